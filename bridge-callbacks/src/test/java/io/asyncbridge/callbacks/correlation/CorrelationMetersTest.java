package io.asyncbridge.callbacks.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.ServiceMeters;
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
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks waiting for their webhook and the completions of the correlation topology are metered. */
class CorrelationMetersTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir
  Path stateDir;

  private final BridgeConfig config = TestConfigs.config();
  private final MutableClock clock = new MutableClock(START);
  private final ServiceMeters meters = ServiceMeters.forTests("callbacks", config);
  private TopologyTestDriver driver;
  private TestInputTopic<String, TaskAccepted> tasks;
  private TestInputTopic<String, CorrelationEvent> webhooks;

  @BeforeEach
  void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "callbacks-meters-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(CallbacksTopology.build(config, clock, meters), props, START);
    tasks = driver.createInputTopic(config.topics().tasks(), Serdes.String().serializer(),
        JsonSerde.of(TaskAccepted.class).serializer());
    webhooks = driver.createInputTopic(config.topics().webhooks(), Serdes.String().serializer(),
        new CorrelationEventSerde().serializer());
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  private void accept(String taskId, String eventId, Duration timeout) {
    tasks.pipeInput(taskId, new TaskAccepted(taskId, "documents", TaskMode.CALLBACK, clock.instant(), clock.instant(),
        clock.instant().plus(timeout), 202, null, eventId, Map.of()), clock.instant());
  }

  private void webhook(String taskId, String eventId) throws Exception {
    WebhookReceived webhook = new WebhookReceived("documents", taskId, eventId, clock.instant(),
        ("{\"eventId\": \"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8));
    webhooks.pipeInput(webhook.correlationKey(), new CorrelationEvent.Webhook(webhook), clock.instant());
  }

  @Test
  void waitingTasksAreCountedUntilTheirWebhookOrDeadline() throws Exception {
    accept("t-1", "1", Duration.ofHours(1));
    accept("t-2", "2", Duration.ofMinutes(1));
    accept("t-3", "3", Duration.ofHours(1));
    webhook(null, "early"); // an early webhook is not a task in flight
    assertThat(meters.inFlight().count("documents")).isEqualTo(3);

    webhook("t-1", "1");
    webhook("t-1", "1"); // a duplicate changes nothing
    clock.advance(Duration.ofMinutes(2));
    driver.advanceWallClockTime(Duration.ofMinutes(2)); // t-2 times out

    assertThat(meters.inFlight().count("documents")).isEqualTo(1);
    assertThat(meters.completions().count("documents", CompletionStatus.SUCCEEDED)).isEqualTo(1);
    assertThat(meters.completions().count("documents", CompletionStatus.TIMED_OUT)).isEqualTo(1);
    assertThat(meters.registry().get("bridge.tasks.in.flight").tags("service", "callbacks", "provider", "documents",
        "mode", "callback").gauge().value()).isEqualTo(1);

    driver.close(); // the stream task is closed (revoked): its waiting task leaves this instance's gauge
    driver = null;
    assertThat(meters.inFlight().count("documents")).isZero();
  }

  @Test
  void anEarlyWebhookMetByItsTaskIsNeverInFlight() throws Exception {
    webhook(null, "9");
    accept("t-9", "9", Duration.ofHours(1));

    assertThat(meters.inFlight().count("documents")).isZero();
    assertThat(meters.completions().count("documents", CompletionStatus.SUCCEEDED)).isEqualTo(1);
  }
}
