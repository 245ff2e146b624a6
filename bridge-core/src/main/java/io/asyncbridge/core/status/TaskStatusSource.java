package io.asyncbridge.core.status;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

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
}
