package io.asyncbridge.schemas.topic;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The bridge's topics with their serdes, built from the configured names. The public topics and the hand-off carry
 * the contract's records; the two topics whose values only one service reads and writes (ingest's dispatch results,
 * the callbacks service's webhook events) take that service's serde, so their record types stay private to it.
 *
 * <ul>
 *   <li>{@code requests}: raw bytes both ways (the key should be the taskId); ingest checks key and value itself,
 *       so that a broken record is dead-lettered with every violation instead of failing a deserializer;
 *   <li>{@code deadLetter}: raw bytes both ways, the original record as it was read;
 *   <li>{@code completions}, {@code progress}: the public events as JSON;
 *   <li>{@code tasks}: the hand-off ({@link TaskAccepted}) as JSON.
 * </ul>
 */
public final class BridgeTopics {

  private final TopicNames names;
  private final Topic<byte[], byte[]> requests;
  private final Topic<byte[], byte[]> deadLetter;
  private final Topic<String, Completion> completions;
  private final Topic<String, ProgressEvent> progress;
  private final Topic<String, TaskAccepted> tasks;

  public BridgeTopics(TopicNames names) {
    this.names = names;
    var json = EventJson.newMapper();
    this.requests = new Topic<>(names.requests(), Serdes.ByteArray(), Serdes.ByteArray());
    this.deadLetter = new Topic<>(names.deadLetter(), Serdes.ByteArray(), Serdes.ByteArray());
    this.completions = new Topic<>(names.completions(), Serdes.String(), new JsonSerde<>(Completion.class, json));
    this.progress = new Topic<>(names.progress(), Serdes.String(), new JsonSerde<>(ProgressEvent.class, json));
    this.tasks = new Topic<>(names.tasks(), Serdes.String(), new JsonSerde<>(TaskAccepted.class, json));
  }

  /** The names (and partitions, replication) this registry was built from. */
  public TopicNames names() {
    return names;
  }

  public Topic<byte[], byte[]> requests() {
    return requests;
  }

  public Topic<byte[], byte[]> deadLetter() {
    return deadLetter;
  }

  public Topic<String, Completion> completions() {
    return completions;
  }

  public Topic<String, ProgressEvent> progress() {
    return progress;
  }

  public Topic<String, TaskAccepted> tasks() {
    return tasks;
  }

  /** Ingest's dispatch results, with ingest's own serde for them. */
  public <V> Topic<String, V> dispatchResults(Serde<V> values) {
    return new Topic<>(names.dispatchResults(), Serdes.String(), values);
  }

  /** The callbacks service's webhook events, with its own serde for them. */
  public <V> Topic<String, V> webhooks(Serde<V> values) {
    return new Topic<>(names.webhooks(), Serdes.String(), values);
  }
}
