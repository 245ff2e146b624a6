package io.asyncbridge.ingest.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.kafka.SamePartition;
import io.asyncbridge.core.streams.DueIndex;
import io.asyncbridge.ingest.dispatch.DispatchEvent;
import io.asyncbridge.ingest.dispatch.UpstreamDispatcher;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.topic.BridgeTopics;
import io.asyncbridge.schemas.topic.Topic;
import java.time.Clock;
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
    BridgeTopics topics = new BridgeTopics(config.topics());
    Topic<String, DispatchEvent> dispatchResults = DispatchEvent.topic(topics, json);
    JsonSerde<IngestTask> taskSerde = new JsonSerde<>(IngestTask.class, json);

    Topology topology = new Topology();
    topology.addSource("requests", topics.requests().keyDeserializer(), topics.requests().valueDeserializer(),
        topics.requests().name());
    topology.addSource("dispatch-events", dispatchResults.keyDeserializer(), dispatchResults.valueDeserializer(),
        dispatchResults.name());
    topology.addProcessor("ingest", () -> new IngestProcessor(config, settings, dispatcher, parser, clock, meters),
        "requests", "dispatch-events");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TASKS_STORE),
        org.apache.kafka.common.serialization.Serdes.String(), taskSerde), "ingest");
    topology.addStateStore(DueIndex.storeBuilder(DUE_STORE), "ingest");
    addSink(topology, DEAD_LETTER_SINK, topics.deadLetter());
    addSink(topology, COMPLETIONS_SINK, topics.completions());
    addSink(topology, TASKS_SINK, topics.tasks());
    topology.addSink(DISPATCH_SINK, dispatchResults.name(), dispatchResults.keySerializer(),
        dispatchResults.valueSerializer(), new SamePartition<String, DispatchEvent>(DispatchEvent::partition), "ingest");
    return topology;
  }

  private static <K, V> void addSink(Topology topology, String sink, Topic<K, V> topic) {
    topology.addSink(sink, topic.name(), topic.keySerializer(), topic.valueSerializer(), "ingest");
  }
}
