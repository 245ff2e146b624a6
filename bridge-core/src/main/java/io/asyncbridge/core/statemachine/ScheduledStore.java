package io.asyncbridge.core.statemachine;

import io.asyncbridge.core.schedule.TaskSchedule;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A processor's task state: a Kafka Streams key-value store (changelogged, what a restart needs) and the in-memory
 * {@link TaskSchedule} of when each task is due next, owned by one stream task and used on its stream thread only.
 *
 * <p>The schedule is rebuilt from the store by {@link #restore} when the processor is initialized, so moving a task in
 * time ({@link #reschedule}) costs no Kafka write. {@link #put} and {@link #remove} change both together, so a task
 * is scheduled exactly while it is stored; {@link #nextDue} still drops a due entry whose task is not stored (it cannot
 * happen while all changes go through this class, and a loop on it would never end).
 *
 * @param <V> the state kept per task id
 */
public final class ScheduledStore<V> {

  /** Where a stored task goes in the schedule when it is restored. */
  public record Placement(int lane, long dueAtMillis) {
  }

  /** Decides the placement of each stored task on restore. */
  @FunctionalInterface
  public interface Placer<V> {
    Placement place(String id, V value, long nowMillis);
  }

  /** A task that is due: its id and stored state. */
  public record Due<V>(String id, V value) {
  }

  private final KeyValueStore<String, V> store;
  private final TaskSchedule schedule;

  private ScheduledStore(KeyValueStore<String, V> store, TaskSchedule schedule) {
    this.store = store;
    this.schedule = schedule;
  }

  /**
   * Schedules every task the store holds (it was restored before the processor's init). A new schedule each time: a
   * stream task revived after a failure is initialized again on its restored store.
   *
   * @param lanes lanes of the schedule (see {@link TaskSchedule})
   * @param placer where each task goes; it may also count or log what it sees
   */
  public static <V> ScheduledStore<V> restore(KeyValueStore<String, V> store, int lanes, long nowMillis,
      Placer<V> placer) {
    long stored = store.approximateNumEntries();
    ScheduledStore<V> restored = new ScheduledStore<>(store,
        new TaskSchedule(lanes, (int) Math.max(0, Math.min(stored + 16, 1 << 24))));
    try (KeyValueIterator<String, V> all = store.all()) {
      while (all.hasNext()) {
        var entry = all.next();
        Placement placement = placer.place(entry.key, entry.value, nowMillis);
        restored.schedule.schedule(entry.key, placement.lane(), placement.dueAtMillis());
      }
    }
    return restored;
  }

  public V get(String id) {
    return store.get(id);
  }

  public boolean contains(String id) {
    return schedule.contains(id);
  }

  /** Stores the task's state and schedules it (a task already scheduled keeps its tag). */
  public void put(String id, V value, int lane, long dueAtMillis) {
    store.put(id, value);
    schedule.schedule(id, lane, dueAtMillis);
  }

  /** Writes the task's state only; its place in the schedule does not change. */
  public void update(String id, V value) {
    store.put(id, value);
  }

  /** Moves a stored task in time (or to another lane) without writing its state. */
  public void reschedule(String id, int lane, long dueAtMillis) {
    schedule.schedule(id, lane, dueAtMillis);
  }

  /** Deletes the task's state and its schedule entry; false (and nothing is deleted) when it was not scheduled. */
  public boolean remove(String id) {
    if (!schedule.remove(id)) {
      return false;
    }
    store.delete(id);
    return true;
  }

  /**
   * The task due first in a lane if it is due at {@code nowMillis}, else null. It stays scheduled: the caller moves or
   * removes it, or the same task is answered again.
   */
  public Due<V> nextDue(int lane, long nowMillis) {
    while (schedule.nextDueAt(lane) <= nowMillis) {
      String id = schedule.peek(lane);
      V value = store.get(id);
      if (value != null) {
        return new Due<>(id, value);
      }
      schedule.remove(id);
    }
    return null;
  }

  /** The schedule itself, for tags, lanes and due times (changing it directly is the caller's risk). */
  public TaskSchedule schedule() {
    return schedule;
  }

  /** Empties the schedule (the processor is closed; the store stays for the next owner). */
  public void clearSchedule() {
    schedule.clear();
  }
}
