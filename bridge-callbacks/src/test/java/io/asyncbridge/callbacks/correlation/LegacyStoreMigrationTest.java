package io.asyncbridge.callbacks.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entries an instance of the layout before the time-bounded stores left behind, moved at the first start. */
class LegacyStoreMigrationTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final Duration RETENTION = Duration.ofMinutes(10); // TestConfigs' earlyWebhookRetention

  @TempDir
  Path stateDir;

  private final BridgeConfig config = TestConfigs.config();
  private final MutableClock clock = new MutableClock(NOW);
  private TopologyTestDriver driver;
  private TestInputTopic<String, TaskAccepted> tasks;
  private TestInputTopic<String, CorrelationEvent> webhooks;
  private TestOutputTopic<String, Completion> completions;
  private KeyValueStore<String, CorrelationState> legacy;
  private KeyValueStore<String, CorrelationState> waiting;
  private HeldEntries held;

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "callbacks-migration-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(CallbacksTopology.build(config, clock, ServiceMeters.forTests("callbacks", config)), props, NOW);
    tasks = driver.createInputTopic(config.topics().tasks(), Serdes.String().serializer(),
        JsonSerde.of(TaskAccepted.class).serializer());
    webhooks = driver.createInputTopic(config.topics().webhooks(), Serdes.String().serializer(),
        new CorrelationEventSerde().serializer());
    completions = driver.createOutputTopic(config.topics().completions(), Serdes.String().deserializer(),
        JsonSerde.of(Completion.class).deserializer());
    legacy = driver.getKeyValueStore(CallbacksTopology.LEGACY_STORE);
    waiting = driver.getKeyValueStore(CallbacksTopology.WAITING_STORE);
    WindowStore<String, CorrelationState> window = driver.getWindowStore(CallbacksTopology.HELD_STORE);
    held = new HeldEntries(window, RETENTION);
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void waitingTasksEarlyWebhooksAndMarkersMoveAndExpiredEntriesGo() {
    TaskAccepted task = task("t-waiting", "w1");
    legacy.put("documents|w1", CorrelationState.waiting(task, NOW.plus(Duration.ofHours(1))));
    WebhookReceived early = new WebhookReceived("documents", null, "e1", NOW.minusSeconds(60),
        "{\"eventId\": \"e1\"}".getBytes(StandardCharsets.UTF_8));
    legacy.put("documents|e1", CorrelationState.early(early, NOW.plus(RETENTION).minusSeconds(60)));
    legacy.put("documents|c1", CorrelationState.completed("t-done", NOW.plusSeconds(120)));
    legacy.put("documents|gone", CorrelationState.completed("t-old", NOW.minusSeconds(1)));

    int moved = LegacyStoreMigration.migrate(legacy, waiting, held, RETENTION, NOW);

    assertThat(moved).isEqualTo(3);
    assertThat(legacy.approximateNumEntries()).isZero();
    assertThat(waiting.get("documents|w1")).isEqualTo(CorrelationState.waiting(task, NOW.plus(Duration.ofHours(1))));
    assertThat(held.latest("documents|e1", NOW).phase()).isEqualTo(CorrelationState.Phase.EARLY_WEBHOOK);
    assertThat(held.latest("documents|c1", NOW).taskId()).isEqualTo("t-done");
    assertThat(held.latest("documents|gone", NOW)).isNull();
    assertThat(held.latest("documents|c1", NOW.plusSeconds(121))).as("the marker keeps its expiry").isNull();
  }

  @Test
  void movedEntriesBehaveAsBefore() {
    legacy.put("documents|w2", CorrelationState.waiting(task("t-w2", "w2"), NOW.plus(Duration.ofHours(1))));
    WebhookReceived early = new WebhookReceived("documents", null, "e2", NOW,
        "{\"eventId\": \"e2\"}".getBytes(StandardCharsets.UTF_8));
    legacy.put("documents|e2", CorrelationState.early(early, NOW.plus(RETENTION)));
    LegacyStoreMigration.migrate(legacy, waiting, held, RETENTION, NOW);

    webhooks.pipeInput("documents|w2", new CorrelationEvent.Webhook(new WebhookReceived("documents", null, "w2", NOW,
        "{\"eventId\": \"w2\"}".getBytes(StandardCharsets.UTF_8))), NOW);
    tasks.pipeInput("t-e2", task("t-e2", "e2"), NOW);
    webhooks.pipeInput("documents|e2", new CorrelationEvent.Webhook(early), NOW);

    assertThat(completions.readValuesToList()).extracting(Completion::taskId, Completion::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("t-w2", CompletionStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("t-e2", CompletionStatus.SUCCEEDED));
  }

  private static TaskAccepted task(String taskId, String eventId) {
    return new TaskAccepted(taskId, "documents", TaskMode.CALLBACK, NOW, NOW, NOW.plus(Duration.ofHours(1)), 202, null,
        eventId, Map.of());
  }
}
