package io.asyncbridge.core.status;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * What one service knows of its tasks, read on the instance that owns them: ingest's dispatch state, the poller's
 * task record and schedule, the callbacks service's correlation entry. Implemented in each service module; the
 * {@link TaskStatusQueries} route a question to the owner by the service's Kafka Streams metadata.
 *
 * <p>A part never holds a secret: no request headers or body, no callback URL or token, no credential.
 */
public interface TaskStatusSource {

  /** {@code ingest}, {@code poller} or {@code callbacks}. */
  String service();

  /** The service's running Kafka Streams application (for owner metadata), or null before it started. */
  KafkaStreams streams();

  /** The store whose partitioning decides the owner of a key. */
  String store();

  /**
   * The store key of a task, from what the earlier parts said ({@code provider}, {@code correlationId} of ingest's
   * part); null when it cannot be known (the part is then skipped).
   */
  default String keyOf(String taskId, JsonObject hints) {
    return taskId;
  }

  /**
   * Reads a key this instance owns (partition {@code partition} of the store). The future's value is the part, or
   * null when the key is not held here. Called on a Vert.x thread: do not block it.
   */
  Future<JsonObject> readLocal(String key, int partition);

  /** In-flight tasks on this instance's active partitions, newest first, at most {@code limit}. */
  Future<List<JsonObject>> inFlight(String provider, int limit);

  /** Where a key lives. */
  record Owner(String address, int partition) {
  }

  /**
   * The instance ({@code host:port} of its management endpoint) that owns a key, and the key's partition, from the
   * Kafka Streams metadata every instance's {@code application.server} feeds; null while unknown (starting or
   * rebalancing).
   */
  default Owner ownerOf(String key) {
    KafkaStreams running = streams();
    if (running == null) {
      return null;
    }
    KeyQueryMetadata owner = running.queryMetadataForKey(store(), key, new StringSerializer());
    if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner) || owner.activeHost() == null
        || owner.activeHost().port() < 0) {
      return null;
    }
    return new Owner(owner.activeHost().host() + ":" + owner.activeHost().port(), owner.partition());
  }

  /** The management endpoints ({@code host:port}) of every instance of this service, this one included. */
  default List<String> instances() {
    KafkaStreams running = streams();
    if (running == null) {
      return List.of();
    }
    return running.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
        .filter(host -> host.port() > 0).map(host -> host.host() + ":" + host.port()).toList();
  }
}
