package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.callbacks.cancel.CancelCalls;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.core.observability.CompletionMeters;
import io.asyncbridge.core.observability.InFlightTasks;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.topic.BridgeTopics;
import io.asyncbridge.schemas.topic.Topic;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The callbacks service's Kafka Streams topology.
 * <ol>
 *   <li>Callback-mode tasks from the tasks topic, and the cancels ingest forwards for them, are re-keyed by correlation key and written to the webhooks topic,
 *       where the endpoint writes webhooks under the same key: both use the default partitioner on that String key,
 *       so a task and its webhook meet in one partition.</li>
 *   <li>The webhooks topic feeds {@link CorrelationProcessor}, which emits exactly one completion per task.</li>
 * </ol>
 * Its state: tasks waiting for their webhook in {@value #WAITING_STORE} (a key-value store; their deadlines are an
 * in-memory schedule rebuilt from it), early webhooks and completed markers in {@value #HELD_STORE}, a window store
 * whose retention ({@code earlyWebhookRetention}) drops whole segments, so nothing held needs a write to expire.
 * {@value #LEGACY_STORE} is the layout before that; it is kept so that a task's first start after an upgrade moves
 * its entries over ({@link LegacyStoreMigration}), and stays empty afterwards.
 */
public final class CallbacksTopology {

  public static final String WAITING_STORE = "callbacks-waiting";
  public static final String HELD_STORE = "callbacks-held";
  public static final String LEGACY_STORE = "callbacks-correlation";
  static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(1);

  private CallbacksTopology() {
  }

  public static Topology build(BridgeConfig config, Clock clock, ServiceMeters meters) {
    return build(config, clock, PUNCTUATE_EVERY, meters);
  }

  /** @param meters tasks waiting for their webhook, and completions (counted per EOS attempt) */
  public static Topology build(BridgeConfig config, Clock clock, Duration punctuateEvery, ServiceMeters meters) {
    return build(config, clock, punctuateEvery, meters, CancelCalls.NONE);
  }

  /** @param cancelCalls the cancel calls of the providers that have one, made before a cancelled task's completion */
  public static Topology build(BridgeConfig config, Clock clock, ServiceMeters meters, CancelCalls cancelCalls) {
    return build(config, clock, PUNCTUATE_EVERY, meters, cancelCalls);
  }

  public static Topology build(BridgeConfig config, Clock clock, Duration punctuateEvery, ServiceMeters meters,
      CancelCalls cancelCalls) {
    InFlightTasks inFlight = meters.inFlight();
    CompletionMeters completions = meters.completions();
    StreamsBuilder builder = new StreamsBuilder();
    BridgeTopics topics = new BridgeTopics(config.topics());
    Topic<String, CorrelationEvent> webhooks = topics.webhooks(new CorrelationEventSerde());
    builder.stream(topics.tasks().name(), Consumed.with(topics.tasks().keySerde(), topics.tasks().valueSerde()))
        .filter((taskId, task) -> task != null && (task.mode() == TaskMode.CALLBACK
            || task.cancels() && task.cancel().mode() == TaskMode.CALLBACK))
        .map((taskId, task) -> KeyValue.<String, CorrelationEvent>pair(CorrelationKeys.of(task),
            task.cancels() ? new CorrelationEvent.Cancel(task) : new CorrelationEvent.Task(task)))
        .to(webhooks.name(), Produced.with(webhooks.keySerde(), webhooks.valueSerde()));

    Duration retention = config.callbacks().earlyWebhookRetention();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WAITING_STORE), Serdes.String(),
        new CorrelationStateSerde()));
    // Window size 1 ms: each entry is one point in time; without duplicates a key holds one entry per millisecond.
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(HELD_STORE, retention,
        Duration.ofMillis(1), false), Serdes.String(), new CorrelationStateSerde()));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEGACY_STORE), Serdes.String(),
        new CorrelationStateSerde()));
    Counter cancelsIgnored = Counter.builder("bridge.cancels.ignored").tag("service", meters.service())
        .tag("reason", "ended").description("cancels that changed nothing, by why").register(meters.registry());
    Map<String, StatusRules> rules = new HashMap<>();
    Map<String, Duration> timeouts = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      rules.put(provider.name(), provider.status());
      timeouts.put(provider.name(), provider.defaultTimeout());
    }
    builder.stream(webhooks.name(), Consumed.with(webhooks.keySerde(), webhooks.valueSerde()))
        .process(() -> new CorrelationProcessor(Map.copyOf(rules), Map.copyOf(timeouts), retention, punctuateEvery,
            clock, inFlight, meters.tracing(), completions, cancelsIgnored, cancelCalls), WAITING_STORE, HELD_STORE,
            LEGACY_STORE)
        .to(topics.completions().name(),
            Produced.with(topics.completions().keySerde(), topics.completions().valueSerde()));
    return builder.build();
  }
}
