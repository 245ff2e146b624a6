package io.asyncbridge.poller.status;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A read-only window on the poller's in-memory schedule, per partition, for the status API. The schedule belongs to
 * its stream thread alone, so a question is not answered by reading it from another thread: it is queued for the
 * partition's processor, which answers on its next tick (every few milliseconds) from its store and schedule.
 * Nothing is written back to Kafka.
 */
public final class PollScheduleViews {

  /** What the processor knows of one task, on its own thread. */
  public record Snapshot(long nextPollAtMillis, int attempt, boolean pollInFlight) {
  }

  /** The questions waiting for one partition's processor. */
  public static final class Partition {

    private final Queue<Question> questions = new ConcurrentLinkedQueue<>();
    private volatile boolean open = true;

    /** Called by the processor on its stream thread: answers every waiting question. */
    public void answer(Function<String, Snapshot> lookup) {
      Question question;
      while ((question = questions.poll()) != null) {
        try {
          question.promise.complete(lookup.apply(question.taskId));
        } catch (RuntimeException e) {
          question.promise.fail(e);
        }
      }
    }

    void close() {
      open = false;
      Question question;
      while ((question = questions.poll()) != null) {
        question.promise.fail(new IllegalStateException("the partition moved while the question waited"));
      }
    }
  }

  private record Question(String taskId, Promise<Snapshot> promise) {
  }

  private final Map<Integer, Partition> partitions = new ConcurrentHashMap<>();
  private volatile java.util.function.IntConsumer ownedListener = owned -> { };

  /**
   * Told the number of partitions this instance owns each time a processor registers or unregisters its partition:
   * the rate limits take their share from it.
   */
  public void onOwnedPartitions(java.util.function.IntConsumer listener) {
    this.ownedListener = listener;
    listener.accept(partitions.size());
  }

  /** Called by a processor when its partition is assigned. */
  public Partition register(int partition) {
    Partition view = new Partition();
    Partition previous = partitions.put(partition, view);
    if (previous != null) {
      previous.close();
    }
    ownedListener.accept(partitions.size());
    return view;
  }

  /** Called by a processor when its partition is closed. */
  public void unregister(int partition, Partition view) {
    if (partitions.remove(partition, view)) {
      view.close();
      ownedListener.accept(partitions.size());
    }
  }

  /** The schedule of a task on an owned partition; null when the schedule does not hold it. */
  public Future<Snapshot> ask(int partition, String taskId) {
    Partition view = partitions.get(partition);
    if (view == null || !view.open) {
      return Future.failedFuture(new IllegalStateException("partition " + partition + " is not active here"));
    }
    Promise<Snapshot> promise = Promise.promise();
    view.questions.add(new Question(taskId, promise));
    if (!view.open) {
      view.close();
    }
    return promise.future();
  }
}
