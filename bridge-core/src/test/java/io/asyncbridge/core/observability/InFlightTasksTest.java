package io.asyncbridge.core.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InFlightTasksTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ServiceMeters meters = new ServiceMeters(registry, "poller", Map.of("acquia", "poll", "docs", "callback"));

  private double gauge(String provider) {
    return registry.get(InFlightTasks.NAME).tags("service", "poller", "provider", provider).gauge().value();
  }

  @Test
  void everyConfiguredProviderHasAGaugeFromTheStartTaggedWithItsMode() {
    meters.inFlight();

    assertThat(registry.get(InFlightTasks.NAME).tags("provider", "acquia", "mode", "poll").gauge().value()).isZero();
    assertThat(registry.get(InFlightTasks.NAME).tags("provider", "docs", "mode", "callback").gauge().value()).isZero();
  }

  @Test
  void sharesAddUpAndAClosedShareTakesItsTasksOut() {
    InFlightTasks inFlight = meters.inFlight();
    InFlightTasks.Share partition0 = inFlight.share();
    InFlightTasks.Share partition1 = inFlight.share();

    partition0.add("acquia");
    partition0.add("acquia");
    partition1.add("acquia");
    partition1.add("docs");
    partition0.remove("acquia");
    assertThat(gauge("acquia")).isEqualTo(2);
    assertThat(gauge("docs")).isEqualTo(1);

    partition1.close(); // revoked: its tasks are now another instance's to count
    assertThat(gauge("acquia")).isEqualTo(1);
    assertThat(gauge("docs")).isZero();
    assertThat(inFlight.count("acquia")).isEqualTo(1);
  }

  @Test
  void providersNobodyConfiguredShareOneSeries() {
    InFlightTasks.Share share = meters.inFlight().share();
    share.add("made-up-1");
    share.add("made-up-2");

    assertThat(gauge(ServiceMeters.UNKNOWN)).isEqualTo(2);
    assertThat(registry.find(InFlightTasks.NAME).tag("provider", "made-up-1").gauge()).isNull();
  }

  @Test
  void callTimersHaveAFixedSetOfBuckets() {
    var prometheus = BridgeMeters.newRegistry();
    new ServiceMeters(prometheus, "poller", Map.of("acquia", "poll")).timer("bridge.poll.duration", "polls", "acquia",
        "running").record(java.time.Duration.ofMillis(30));

    assertThat(prometheus.scrape().lines().filter(line -> line.startsWith("bridge_poll_duration_seconds_bucket")))
        .hasSize(14) // 5 ms .. 60 s, and +Inf
        .anySatisfy(line -> assertThat(line).contains("le=\"0.05\"").endsWith(" 1"));
  }

  @Test
  void completionsAreCountedByProviderAndStatusWithUnknownProvidersPooled() {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    CompletionMeters completions = meters.completions();
    completions.completed(Completion.rejected(new TaskOrigin("t1", "nope", now, null, null, null), now,
        new TaskError("unknown_provider", "no such provider")));
    completions.completed(Completion.rejected(new TaskOrigin("t2", "acquia", now, null, null, null), now,
        new TaskError("invalid_path", "bad path")));

    assertThat(registry.get(CompletionMeters.NAME).tags("service", "poller", "provider", "acquia", "mode", "poll",
        "status", "rejected").counter().count()).isEqualTo(1);
    assertThat(completions.count("elsewhere", CompletionStatus.REJECTED)).isEqualTo(1);
    assertThat(completions.count("acquia", CompletionStatus.SUCCEEDED)).isZero();
  }
}
