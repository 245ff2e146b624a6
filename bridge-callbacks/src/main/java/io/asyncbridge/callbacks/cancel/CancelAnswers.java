package io.asyncbridge.callbacks.cancel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The answers to one stream task's cancel calls: offered by the HTTP client's event loop, drained by the stream
 * thread, which alone may touch the task's state.
 */
public final class CancelAnswers {

  private final Queue<CancelAnswer> answers = new ConcurrentLinkedQueue<>();

  public void offer(CancelAnswer answer) {
    answers.add(answer);
  }

  /** Hands every answer received so far to {@code apply}, in arrival order. */
  public void drain(Consumer<CancelAnswer> apply) {
    for (CancelAnswer answer = answers.poll(); answer != null; answer = answers.poll()) {
      apply.accept(answer);
    }
  }
}
