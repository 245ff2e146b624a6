package io.asyncbridge.ingest.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.SamePartition;
import io.asyncbridge.core.streams.DueIndex;
import io.asyncbridge.ingest.dispatch.DispatchEvent;
import io.asyncbridge.ingest.dispatch.UpstreamDispatcher;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import java.time.Clock;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Ingest's Kafka Streams topology: requests and dispatch events feed one processor that owns the task store and
 * its due index; it writes dead letters, completions (rejected, failed, timed out), TaskAccepted hand-overs and its
 * own GO records, all in one exactly-once transaction per commit.
 */
public final class IngestTopology {

  public static final String TASKS_STORE = "ingest-tasks";
  public static final String DUE_STORE = "ingest-due";
  static final String DEAD_LETTER_SINK = "dead-letters";
  static final String COMPLETIONS_SINK = "completions";
  static final String TASKS_SINK = "tasks";
  static final String DISPATCH_SINK = "dispatch";

  private IngestTopology() {
  }

  public static Topology build(BridgeConfig config, IngestSettings settings, UpstreamDispatcher dispatcher,
      RequestParser parser, Clock clock, IngestMeters meters) {
    var json = EventJson.newMapper();
    JsonSerde<DispatchEvent> dispatchSerde = new JsonSerde<>(DispatchEvent.class, json);
    JsonSerde<Completion> completionSerde = new JsonSerde<>(Completion.class, json);
    JsonSerde<TaskAccepted> acceptedSerde = new JsonSerde<>(TaskAccepted.class, json);
    JsonSerde<IngestTask> taskSerde = new JsonSerde<>(IngestTask.class, json);

    Topology topology = new Topology();
    topology.addSource("requests", new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().requests());
    topology.addSource("dispatch-events", new StringDeserializer(), dispatchSerde.deserializer(),
        config.topics().dispatchResults());
    topology.addProcessor("ingest", () -> new IngestProcessor(config, settings, dispatcher, parser, clock, meters),
        "requests", "dispatch-events");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TASKS_STORE),
        org.apache.kafka.common.serialization.Serdes.String(), taskSerde), "ingest");
    topology.addStateStore(DueIndex.storeBuilder(DUE_STORE), "ingest");
    topology.addSink(DEAD_LETTER_SINK, config.topics().deadLetter(), new ByteArraySerializer(), new ByteArraySerializer(),
        "ingest");
    topology.addSink(COMPLETIONS_SINK, config.topics().completions(), new StringSerializer(),
        completionSerde.serializer(), "ingest");
    topology.addSink(TASKS_SINK, config.topics().tasks(), new StringSerializer(), acceptedSerde.serializer(), "ingest");
    topology.addSink(DISPATCH_SINK, config.topics().dispatchResults(), new StringSerializer(), dispatchSerde.serializer(),
        new SamePartition<String, DispatchEvent>(DispatchEvent::partition), "ingest");
    return topology;
  }
}
