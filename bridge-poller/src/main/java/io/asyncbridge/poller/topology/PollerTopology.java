package io.asyncbridge.poller.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.poll.CancelCaller;
import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.state.PollTaskSerde;
import io.asyncbridge.poller.status.PollScheduleViews;
import io.asyncbridge.schemas.topic.BridgeTopics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The poller's Kafka Streams application (Processor API): accepted poll-mode tasks flow into one processor that owns
 * the task store, and completions and progress events flow out. The answers to polls do not pass through Kafka: the
 * HTTP client queues them in memory for the stream task that sent the poll, whose punctuator applies them, so each
 * state change commits together with the records it causes (exactly_once_v2).
 */
public final class PollerTopology {

  public static final String TASKS_SOURCE = "poll-accepted-tasks";
  public static final String PROCESSOR = "poll-state-machine";
  public static final String TASKS_STORE = "poll-tasks";
  public static final String COMPLETIONS_SINK = "completions";
  public static final String PROGRESS_SINK = "progress";

  private PollerTopology() {
  }

  /**
   * Tuning of the punctuator.
   *
   * @param tick how often answers are applied and due polls started (the poller's {@code poll.ms} follows it)
   * @param maxDuePerTick how many due tasks one tick may start, which bounds how long a tick holds the stream thread
   * @param leaseMargin added to the provider's request timeout: a poll without an answer by then is sent again
   */
  public record Tuning(Duration tick, int maxDuePerTick, Duration leaseMargin) {

    public static Tuning defaults() {
      // 10 ms keeps the schedule's lag to a few ms; 2,000 per tick (a few ms of store reads) still allows far more
      // polls per second than one stream thread's HTTP client can send.
      return new Tuning(Duration.ofMillis(10), 2_000, Duration.ofSeconds(2));
    }
  }

  /** @param meters in-flight tasks and completions of this service */
  public static Topology build(BridgeConfig config, PollDispatcher dispatcher, Clock clock, Tuning tuning,
      ServiceMeters meters) {
    return build(config, dispatcher, clock, tuning, meters, new PollScheduleViews());
  }

  /** @param views where the status API reads each partition's schedule */
  public static Topology build(BridgeConfig config, PollDispatcher dispatcher, Clock clock, Tuning tuning,
      ServiceMeters meters, PollScheduleViews views) {
    return build(config, dispatcher, clock, tuning, meters, views, CancelCaller.NONE);
  }

  /** @param cancels the providers' cancel calls, made before a forwarded cancel's completion */
  public static Topology build(BridgeConfig config, PollDispatcher dispatcher, Clock clock, Tuning tuning,
      ServiceMeters meters, PollScheduleViews views, CancelCaller cancels) {
    BridgeTopics topics = new BridgeTopics(config.topics());
    Topology topology = new Topology();
    topology.addSource(TASKS_SOURCE, topics.tasks().keyDeserializer(), topics.tasks().valueDeserializer(),
        topics.tasks().name());
    topology.addProcessor(PROCESSOR, () -> new PollTaskProcessor(config, dispatcher, cancels, clock, tuning, meters, views),
        TASKS_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TASKS_STORE),
        Serdes.String(), new PollTaskSerde()), PROCESSOR);
    topology.addSink(COMPLETIONS_SINK, topics.completions().name(), topics.completions().keySerializer(),
        topics.completions().valueSerializer(), PROCESSOR);
    topology.addSink(PROGRESS_SINK, topics.progress().name(), topics.progress().keySerializer(),
        topics.progress().valueSerializer(), PROCESSOR);
    return topology;
  }
}
