package io.asyncbridge.core.status;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The part every service's status source shares: which service and store it answers for, the running Kafka Streams
 * application it queries (interactive queries, on a worker thread since a store read can block), and the bounded
 * scan behind an in-flight listing. A subclass says how a stored entry reads as a part of the task's status.
 */
public abstract class StoreStatusSource implements TaskStatusSource {

  /** How many store entries one in-flight listing looks at, at most (ended markers can fill a store for days). */
  public static final int MAX_SCANNED = 200_000;

  private final Vertx vertx;
  private final String service;
  private final String store;
  private final Supplier<KafkaStreams> streams;
  private final String notRunning;

  /**
   * @param store the store whose partitioning decides the owner of a key
   * @param streams the service's running application, or null before it started and after it stopped
   * @param notRunning the error a question gets while there is no running application
   */
  protected StoreStatusSource(Vertx vertx, String service, String store, Supplier<KafkaStreams> streams,
      String notRunning) {
    this.vertx = vertx;
    this.service = service;
    this.store = store;
    this.streams = streams;
    this.notRunning = notRunning;
  }

  @Override
  public final String service() {
    return service;
  }

  @Override
  public final KafkaStreams streams() {
    return streams.get();
  }

  @Override
  public final String store() {
    return store;
  }

  /** The running application; fails with the service's "not running" message when there is none. */
  protected final KafkaStreams running() {
    KafkaStreams running = streams.get();
    if (running == null) {
      throw new IllegalStateException(notRunning);
    }
    return running;
  }

  /** A key-value store of the running application: one partition of it, or all the local ones when null. */
  protected final <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String name, Integer partition) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore());
    return running().store(partition == null ? query : query.withPartition(partition));
  }

  /** Runs a store read on a worker thread (unordered: questions do not wait for each other). */
  protected final <T> Future<T> blocking(Callable<T> read) {
    return vertx.executeBlocking(read, false);
  }

  /** Hands each entry to {@code each}, at most {@link #MAX_SCANNED} of them, and closes the iterator. */
  protected static <K, V> void scan(KeyValueIterator<K, V> entries, BiConsumer<K, V> each) {
    try (entries) {
      int scanned = 0;
      while (entries.hasNext() && scanned++ < MAX_SCANNED) {
        KeyValue<K, V> entry = entries.next();
        each.accept(entry.key, entry.value);
      }
    }
  }
}
