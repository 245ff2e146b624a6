package io.asyncbridge.poller.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.TopicNames;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.streams.DueIndex;
import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.state.PollTaskSerde;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.serde.JsonSerde;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The poller's Kafka Streams application (Processor API): accepted poll-mode tasks and poll observations flow into
 * one processor that owns the task store and the due index, and completions and progress events flow out. Both
 * inputs are keyed by taskId and co-partitioned, so a task's state and every event about it meet in one stream task,
 * and each state change commits together with the records it causes (exactly_once_v2).
 */
public final class PollerTopology {

  public static final String TASKS_SOURCE = "poll-accepted-tasks";
  public static final String OBSERVATIONS_SOURCE = "poll-observations";
  public static final String PROCESSOR = "poll-state-machine";
  public static final String TASKS_STORE = "poll-tasks";
  public static final String DUE_STORE = "poll-due";
  public static final String COMPLETIONS_SINK = "completions";
  public static final String PROGRESS_SINK = "progress";

  private PollerTopology() {
  }

  /** Tuning of the due-index scan; the defaults suit production, tests may shorten nothing. */
  public record Tuning(Duration tick, int maxDuePerTick, Duration leaseMargin) {

    public static Tuning defaults() {
      // 150 ms keeps poll latency low; 2,000 per tick bounds the time a tick holds the stream thread (a few ms of
      // store reads) while still starting over 10,000 polls per second per stream task.
      return new Tuning(Duration.ofMillis(150), 2_000, Duration.ofSeconds(2));
    }
  }

  public static Topology build(BridgeConfig config, PollDispatcher dispatcher, Clock clock) {
    return build(config, dispatcher, clock, Tuning.defaults());
  }

  public static Topology build(BridgeConfig config, PollDispatcher dispatcher, Clock clock, Tuning tuning) {
    return build(config, dispatcher, clock, tuning, ServiceMeters.detached("poller", config));
  }

  /** @param meters in-flight tasks and completions of this service */
  public static Topology build(BridgeConfig config, PollDispatcher dispatcher, Clock clock, Tuning tuning,
      ServiceMeters meters) {
    TopicNames topics = config.topics();
    Topology topology = new Topology();
    topology.addSource(TASKS_SOURCE, new StringDeserializer(), JsonSerde.of(TaskAccepted.class), topics.tasks());
    topology.addSource(OBSERVATIONS_SOURCE, new StringDeserializer(), JsonSerde.of(PollObservation.class),
        topics.pollObservations());
    topology.addProcessor(PROCESSOR, () -> new PollTaskProcessor(config, dispatcher, clock, tuning, meters),
        TASKS_SOURCE, OBSERVATIONS_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TASKS_STORE),
        Serdes.String(), new PollTaskSerde()), PROCESSOR);
    topology.addStateStore(DueIndex.storeBuilder(DUE_STORE), PROCESSOR);
    topology.addSink(COMPLETIONS_SINK, topics.completions(), new StringSerializer(),
        JsonSerde.of(Completion.class), PROCESSOR);
    topology.addSink(PROGRESS_SINK, topics.progress(), new StringSerializer(),
        JsonSerde.of(ProgressEvent.class), PROCESSOR);
    return topology;
  }
}
