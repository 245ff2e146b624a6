package io.asyncbridge.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceHealth;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code bridge run} and each service's main start: the management endpoint in front of the services. */
class RunningServicesTest {

  @TempDir
  Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> events = new ArrayList<>();
  private RunningServices running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private final class FakeService implements BridgeService {
    private final String name;
    private final boolean failsToStart;
    volatile boolean ready = true;

    FakeService(String name, boolean failsToStart) {
      this.name = name;
      this.failsToStart = failsToStart;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start() {
      if (failsToStart) {
        throw new IllegalStateException(name + " cannot start");
      }
      events.add("start " + name);
    }

    @Override
    public ServiceHealth health() {
      return new ServiceHealth(true, ready, Map.of("streams", ready ? "RUNNING" : "PENDING_SHUTDOWN"));
    }

    @Override
    public void close() {
      events.add("close " + name);
    }
  }

  private ServiceContext context(String management) {
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("test", """
        providers:
          acquia: {type: acquia, baseUrl: 'https://cloud.acquia.com/api', clientId: a, clientSecret: b}
        """ + management);
    return new ServiceContext(config, stateDir, Vertx.vertx(), Clock.systemUTC());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.managementPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesMetricsAndHealthOfEveryServiceOnTheConfiguredEndpoint() throws Exception {
    FakeService ingest = new FakeService("ingest", false);
    FakeService poller = new FakeService("poller", false);
    running = ServiceLauncher.start(context("management: {host: 127.0.0.1, port: 0}"),
        context -> List.of(ingest, poller));

    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(new JsonObject(get("/health/ready").body()).getJsonObject("services").fieldNames())
        .containsExactly("ingest", "poller");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");

    poller.ready = false;
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(notReady.body()).getJsonObject("services").getJsonObject("poller").getString("streams"))
        .isEqualTo("PENDING_SHUTDOWN");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void aServiceThatCannotStartStopsThoseThatDidAndIsNotReady() {
    ServiceContext context = context("management: {host: 127.0.0.1, port: 0}");
    RunningServices services = new RunningServices(context,
        List.of(new FakeService("ingest", false), new FakeService("callbacks", true)));

    assertThatThrownBy(services::start).hasMessageContaining("callbacks cannot start");
    assertThat(services.health().get("ingest").ready()).isTrue();
    assertThat(services.health().get("callbacks").detail()).containsEntry("state", "STARTING");
    services.close();

    assertThat(events).containsExactly("start ingest", "close ingest");
    assertThat(services.health().values()).allSatisfy(health -> assertThat(health.ready()).isFalse());
  }

  @Test
  void aDisabledEndpointServesNothingAndTheServicesStillRun() {
    running = ServiceLauncher.start(context("management: {enabled: false}"),
        context -> List.of(new FakeService("ingest", false)));

    assertThat(running.managementPort()).isEqualTo(-1);
    assertThat(events).containsExactly("start ingest");
  }
}
