package io.asyncbridge.core.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.core.config.ManagementSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManagementServerTest {

  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry registry = BridgeMeters.newRegistry();
  private final Map<String, ServiceHealth> health = new LinkedHashMap<>();
  private ManagementServer server;
  private HttpClient client;

  private record Answer(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = new ManagementServer(vertx, new ManagementSettings("127.0.0.1", 0, true), registry,
        () -> Map.copyOf(health));
    await(server.start());
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** The exchange runs on a Vert.x context: started from the test thread, the body could go by unread. */
  private Answer get(String path) throws Exception {
    Promise<Answer> answer = Promise.promise();
    vertx.getOrCreateContext().runOnContext(ignored -> client.request(HttpMethod.GET, server.port(), "127.0.0.1", path)
        .compose(request -> request.send())
        .compose(response -> response.body().map((Buffer body) ->
            new Answer(response.statusCode(), response.getHeader("Content-Type"), body.toString())))
        .onComplete(answer));
    return await(answer.future());
  }

  @Test
  void listensOnAFreePortWhenAskedForPortZero() {
    assertThat(server.port()).isPositive();
  }

  @Test
  void metricsAreThePrometheusTextOfTheProcessRegistry() throws Exception {
    Counter.builder("bridge.test.things").tag("service", "poller").register(registry).increment(3);

    Answer answer = get("/metrics");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(answer.body()).contains("# TYPE bridge_test_things_total counter")
        .contains("bridge_test_things_total{service=\"poller\"} 3.0");
  }

  @Test
  void readyOnlyWhenEveryServiceIsReadyWithEachServicesDetail() throws Exception {
    health.put("ingest", new ServiceHealth(true, true, Map.of("streams", "RUNNING")));
    health.put("callbacks", ServiceHealth.starting());

    Answer notReady = get("/health/ready");
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.json().getString("status")).isEqualTo("not_ready");
    assertThat(notReady.json().getJsonObject("services").getJsonObject("callbacks").getMap())
        .containsEntry("ready", false).containsEntry("state", "STARTING");
    assertThat(notReady.json().getJsonObject("services").getJsonObject("ingest").getMap())
        .containsEntry("ready", true).containsEntry("streams", "RUNNING");

    health.put("callbacks", new ServiceHealth(true, true, Map.of("streams", "REBALANCING", "kafka", "reachable")));
    Answer ready = get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("ready");
  }

  @Test
  void aProcessWithoutServicesIsNotReady() throws Exception {
    assertThat(get("/health/ready").status()).isEqualTo(503);
  }

  @Test
  void liveUnlessAServiceFailedForGood() throws Exception {
    health.put("poller", ServiceHealth.starting());
    assertThat(get("/health/live").status()).isEqualTo(200);
    assertThat(get("/health/live").json().getString("status")).isEqualTo("up");

    health.put("poller", new ServiceHealth(false, false, Map.of("streams", "ERROR")));
    Answer down = get("/health/live");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().getJsonObject("services").getJsonObject("poller").getString("streams")).isEqualTo("ERROR");
  }

  @Test
  void otherPathsAre404() throws Exception {
    Answer answer = get("/callbacks/x");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).contains("/metrics");
  }

  @Test
  void aDisabledEndpointDoesNotListen() throws Exception {
    ManagementServer disabled = new ManagementServer(vertx, new ManagementSettings("127.0.0.1", 0, false), registry,
        Map::of);
    assertThat(await(disabled.start())).isEqualTo(-1);
    assertThat(disabled.port()).isEqualTo(-1);
  }

  @Test
  void aTakenPortFailsWithTheKeyToChange() {
    ManagementServer second = new ManagementServer(vertx, new ManagementSettings("127.0.0.1", server.port(), true),
        registry, Map::of);
    assertThatThrownBy(() -> await(second.start())).hasMessageContaining("management.port")
        .hasMessageContaining("127.0.0.1:" + server.port());
  }
}
