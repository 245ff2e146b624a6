package io.asyncbridge.core.status;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The newest {@code limit} tasks of an in-flight listing, kept while a store is scanned: a bounded heap whose oldest
 * task leaves when a newer one comes.
 *
 * @param <T> what is kept of a task
 */
public final class NewestTasks<T> {

  private final int limit;
  private final PriorityQueue<T> oldestFirst;

  /** @param bySubmission orders tasks from the oldest submitted to the newest */
  public NewestTasks(int limit, Comparator<? super T> bySubmission) {
    this.limit = limit;
    this.oldestFirst = new PriorityQueue<>(bySubmission);
  }

  /** Keeps the task if it is among the newest; returns the task that left (maybe this one), or null. */
  public T offer(T task) {
    oldestFirst.add(task);
    return oldestFirst.size() > limit ? oldestFirst.poll() : null;
  }

  /** The tasks kept, newest first, as the listing shows them; empties this. */
  public List<JsonObject> newestFirst(Function<? super T, JsonObject> describe) {
    List<JsonObject> tasks = new ArrayList<>();
    while (!oldestFirst.isEmpty()) {
      tasks.add(0, describe.apply(oldestFirst.poll()));
    }
    return tasks;
  }
}
