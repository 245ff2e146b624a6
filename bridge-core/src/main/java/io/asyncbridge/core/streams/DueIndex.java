package io.asyncbridge.core.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * A Kafka Streams store ordered by due time: what is due is a range scan from the start to now, so a punctuator
 * finds due work without touching the rest (many thousands of waiting tasks cost nothing per tick). Keys are
 * {@code <13-digit epoch millis>|<id>}, which sort by time in the store's byte order; the value is the id.
 * The store is changelogged like any other, so the schedule survives restarts and rebalances.
 */
public final class DueIndex {

  private static final int MILLIS_DIGITS = 13;

  private final KeyValueStore<String, String> store;

  public DueIndex(KeyValueStore<String, String> store) {
    this.store = store;
  }

  public static StoreBuilder<KeyValueStore<String, String>> storeBuilder(String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
  }

  /** One entry that is due. Its time has the index's millisecond precision. */
  public record Due(Instant at, String id) {

    /**
     * Whether this entry is the one scheduled for {@code due}. Compare with this, never with {@code equals}: the
     * index keeps milliseconds, while a clock's instants (and so the times callers store) have finer precision.
     */
    public boolean matches(Instant due) {
      return due != null && at.toEpochMilli() == due.toEpochMilli();
    }
  }

  public void schedule(String id, Instant at) {
    store.put(key(at, id), id);
  }

  public void unschedule(String id, Instant at) {
    store.delete(key(at, id));
  }

  /** Moves an entry; {@code from} may be null when it was not scheduled. */
  public void reschedule(String id, Instant from, Instant to) {
    if (from != null) {
      unschedule(id, from);
    }
    schedule(id, to);
  }

  /** Up to {@code limit} entries due at or before {@code now}, earliest first. They stay scheduled. */
  public List<Due> due(Instant now, int limit) {
    List<Due> due = new ArrayList<>();
    String to = pad(Math.max(0, now.toEpochMilli())) + "|\uffff";
    try (KeyValueIterator<String, String> range = store.range(pad(0) + "|", to)) {
      while (range.hasNext() && due.size() < limit) {
        KeyValue<String, String> entry = range.next();
        long millis = Long.parseLong(entry.key.substring(0, MILLIS_DIGITS));
        due.add(new Due(Instant.ofEpochMilli(millis), entry.value));
      }
    }
    return due;
  }

  static String key(Instant at, String id) {
    return pad(Math.max(0, at.toEpochMilli())) + "|" + id;
  }

  private static String pad(long millis) {
    String digits = Long.toString(millis);
    return "0".repeat(Math.max(0, MILLIS_DIGITS - digits.length())) + digits;
  }
}
