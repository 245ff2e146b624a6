package io.asyncbridge.poller.poll;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The answers to one stream task's polls, on their way back from the HTTP client's thread to the stream thread that
 * owns the task. The stream thread drains it; no answer passes through Kafka.
 *
 * <p>Bounded: polls are started only by the stream thread, and at most {@code poll.concurrency} per provider are in
 * flight, so between two drains no more answers than that can arrive. An answer that finds the queue full or closed
 * is dropped, which costs a repeated poll: the task's lease runs out and it is polled again. The queue is closed when
 * its partition is revoked, so answers that come back afterwards never touch state this instance no longer owns.
 */
public final class PollAnswerQueue {

  private final ArrayBlockingQueue<PollObservation> answers;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  public PollAnswerQueue(int capacity) {
    this.answers = new ArrayBlockingQueue<>(capacity);
  }

  /** Hands over an answer from any thread; false when it was dropped (the queue is closed or full). */
  public boolean offer(PollObservation answer) {
    if (closed || !answers.offer(answer)) {
      dropped.incrementAndGet();
      return false;
    }
    if (closed) {
      answers.clear(); // closed while we offered: the stream thread will not drain again
    }
    return true;
  }

  /** Takes up to {@code max} answers in arrival order (stream thread only); returns how many. */
  public int drain(Consumer<PollObservation> handler, int max) {
    int taken = 0;
    PollObservation answer;
    while (taken < max && (answer = answers.poll()) != null) {
      handler.accept(answer);
      taken++;
    }
    return taken;
  }

  /** Stops taking answers and forgets those waiting: the partition is no longer this stream task's. */
  public void close() {
    closed = true;
    answers.clear();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Answers waiting to be drained. */
  public int size() {
    return answers.size();
  }

  /** Answers dropped so far because the queue was closed or full. */
  public long dropped() {
    return dropped.get();
  }
}
