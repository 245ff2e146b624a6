package io.asyncbridge.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every answer of the status API on a real HTTP server: found (in flight and ended), unknown (404), malformed or
 * oversized (400), without or with a wrong token (401), a part that cannot be asked (503), routing errors (404, 405)
 * and the web view's files. The services' parts come from in-memory sources that own every key.
 */
class StatusRoutesTest {

  static final String TOKEN = "a-routes-test-management-token";
  static final String SELF = "127.0.0.1:1";

  private Vertx vertx;
  private HttpServer server;
  private TaskStatusQueries queries;
  private RecentCompletions recent;
  private final HttpClient http = HttpClient.newHttpClient();
  private final MapSource ingest = new MapSource("ingest");
  private final MapSource poller = new MapSource("poller");

  /** A part source over a map, owning every key (or none, to play a rebalance). */
  static final class MapSource implements TaskStatusSource {
    final String service;
    final Map<String, JsonObject> parts = new ConcurrentHashMap<>();
    volatile boolean rebalancing;

    MapSource(String service) {
      this.service = service;
    }

    @Override
    public String service() {
      return service;
    }

    @Override
    public KafkaStreams streams() {
      return null;
    }

    @Override
    public String store() {
      return service + "-store";
    }

    @Override
    public Owner ownerOf(String key) {
      return rebalancing ? null : new Owner(SELF, 0);
    }

    @Override
    public List<String> instances() {
      return List.of(SELF);
    }

    @Override
    public Future<JsonObject> readLocal(String key, int partition) {
      JsonObject part = parts.get(key);
      return Future.succeededFuture(part == null ? null : part.copy());
    }

    @Override
    public Future<List<JsonObject>> inFlight(String provider, int limit) {
      List<JsonObject> tasks = new ArrayList<>();
      parts.forEach((taskId, part) -> {
        if (!"ended".equals(part.getString("state")) && (provider == null || provider.equals(part.getString("provider")))) {
          tasks.add(part.copy().put("taskId", taskId));
        }
      });
      tasks.sort(Comparator.comparing((JsonObject task) -> task.getString("submittedAt")).reversed());
      return Future.succeededFuture(tasks.subList(0, Math.min(limit, tasks.size())));
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", """
        management: {authToken: %s}
        providers:
          acquia: {type: acquia, baseUrl: 'https://cloud.acquia.com/api', clientId: id, clientSecret: s3cr3t-value}
        """.formatted(TOKEN));
    TaskStatusRegistry registry = new TaskStatusRegistry();
    registry.advertise(SELF);
    registry.register(ingest);
    registry.register(poller);
    recent = new RecentCompletions("completions", Map.of(), 100, Clock.systemUTC());
    queries = new TaskStatusQueries(vertx, config, registry, recent);
    server = vertx.createHttpServer().requestHandler(new StatusRoutes(queries, config.management().authToken())
        .router(vertx)).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    queries.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPolledTaskShowsIngestsHandOverAndThePollersPart() throws Exception {
    ingest.parts.put("t-1", new JsonObject().put("state", "ended").put("outcome", "handed_over")
        .put("provider", "acquia").put("mode", "poll"));
    poller.parts.put("t-1", new JsonObject().put("state", "polling").put("provider", "acquia").put("progress", 40)
        .put("nextPollAt", "2026-12-01T10:00:05Z"));

    HttpResponse<String> response = get("/api/tasks/t-1", TOKEN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getString("state")).isEqualTo("polling");
    assertThat(answer.getString("mode")).isEqualTo("poll");
    assertThat(answer.getString("provider")).isEqualTo("acquia");
    assertThat(answer.getJsonObject("poller").getInteger("progress")).isEqualTo(40);
    assertThat(answer.getJsonObject("poller").getString("nextPollAt")).isEqualTo("2026-12-01T10:00:05Z");
    assertThat(answer.containsKey("incomplete")).isFalse();
  }

  @Test
  void aTaskAtIngestIsReceivedOrDispatching() throws Exception {
    ingest.parts.put("t-2", new JsonObject().put("state", "dispatching").put("provider", "acquia").put("attempt", 2)
        .put("failures", 1).put("nextAttemptAt", "2026-12-01T10:00:09Z"));

    JsonObject answer = new JsonObject(get("/api/tasks/t-2", TOKEN).body());

    assertThat(answer.getString("state")).isEqualTo("dispatching");
    assertThat(answer.getJsonObject("ingest").getString("nextAttemptAt")).isEqualTo("2026-12-01T10:00:09Z");
  }

  @Test
  void anEndedTaskShowsItsCompletionAsPublished() throws Exception {
    String published = "{\"taskId\":\"t-3\",\"provider\":\"acquia\",\"status\":\"failed\",\"via\":\"poll\","
        + "\"completedAt\":\"2026-12-01T10:03:12Z\",\"error\":{\"code\":\"upstream_failed\",\"message\":\"no\"}}";
    recent.add("t-3", published.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());

    JsonObject answer = new JsonObject(get("/api/tasks/t-3", TOKEN).body());

    assertThat(answer.getString("state")).isEqualTo("ended");
    assertThat(answer.getJsonObject("completion")).isEqualTo(new JsonObject(published));
  }

  @Test
  void anUnknownTaskIs404InTheSharedErrorShape() throws Exception {
    HttpResponse<String> response = get("/api/tasks/nobody-knows-me", TOKEN);

    assertThat(response.statusCode()).isEqualTo(404);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(404);
    assertThat(error.getString("code")).isEqualTo("unknown_task");
    assertThat(error.getString("message")).contains("nobody-knows-me");
  }

  @Test
  void whenAPartCannotBeAskedAnUnknownTaskIs503NotAGuess() throws Exception {
    poller.rebalancing = true;

    HttpResponse<String> response = get("/api/tasks/maybe-known", TOKEN);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).contains("poller");
  }

  @Test
  void aKnownTaskIsShownWithWhatCouldNotBeAsked() throws Exception {
    poller.rebalancing = true;
    ingest.parts.put("t-4", new JsonObject().put("state", "ended").put("outcome", "handed_over")
        .put("provider", "acquia"));

    JsonObject answer = new JsonObject(get("/api/tasks/t-4", TOKEN).body());

    assertThat(answer.getString("state")).isEqualTo("handed_over");
    assertThat(answer.getJsonObject("incomplete").fieldNames()).containsExactly("poller");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/api/tasks/bad%20id | invalid_task_id",
      "/api/tasks/a%2Fb | invalid_task_id",
      "/api/tasks/t-1?verbose=1 | unknown_parameter",
      "/api/tasks?state=ended | invalid_state",
      "/api/tasks?limit=0 | invalid_limit",
      "/api/tasks?limit=501 | invalid_limit",
      "/api/tasks?limit=ten | invalid_limit",
      "/api/tasks?limit=99999999999 | invalid_limit",
      "/api/tasks?provider=%3Cscript%3E | invalid_provider",
      "/api/tasks?state=in-flight&state=in-flight | repeated_parameter",
      "/api/tasks?sort=desc | unknown_parameter",
      "/api/overview?x=1 | unknown_parameter",
      "/api/internal/parts/poller/t-1?scope=everything | invalid_scope",
      "/api/internal/parts/database/t-1?scope=local | invalid_service"})
  void malformedParametersAre400(String path, String code) throws Exception {
    HttpResponse<String> response = get(path, TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo(code);
  }

  @Test
  void oversizedRequestsAre400() throws Exception {
    assertThat(get("/api/tasks/" + "x".repeat(129), TOKEN).statusCode()).isEqualTo(400);
    HttpResponse<String> longUri = get("/api/tasks?provider=" + "p".repeat(3_000), TOKEN);
    assertThat(longUri.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(longUri.body()).getJsonObject("error").getString("code")).isEqualTo("uri_too_long");
  }

  @Test
  void withoutTheTokenTheApiAnswers401() throws Exception {
    ingest.parts.put("t-5", new JsonObject().put("state", "received").put("provider", "acquia"));

    HttpResponse<String> none = get("/api/tasks/t-5", null);
    HttpResponse<String> wrong = get("/api/tasks/t-5", "not-the-management-token");
    HttpResponse<String> list = get("/api/tasks", null);

    for (HttpResponse<String> response : List.of(none, wrong, list)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
          .startsWith("Bearer"));
      assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("unauthorized");
      assertThat(response.body()).doesNotContain("received").doesNotContain(TOKEN);
    }
  }

  @Test
  void theInFlightListIsNewestFirstBoundedAndFiltered() throws Exception {
    for (int i = 0; i < 5; i++) {
      poller.parts.put("p-" + i, new JsonObject().put("state", "polling").put("provider", i % 2 == 0 ? "acquia"
          : "other").put("submittedAt", "2026-12-01T10:00:0" + i + "Z"));
    }
    ingest.parts.put("i-1", new JsonObject().put("state", "dispatching").put("provider", "acquia")
        .put("submittedAt", "2026-12-01T10:00:09Z"));
    ingest.parts.put("i-2", new JsonObject().put("state", "ended").put("provider", "acquia")
        .put("submittedAt", "2026-12-01T10:00:08Z"));

    JsonObject all = new JsonObject(get("/api/tasks?state=in-flight&limit=3", TOKEN).body());
    JsonObject acquia = new JsonObject(get("/api/tasks?provider=acquia", TOKEN).body());

    assertThat(ids(all)).containsExactly("i-1", "p-4", "p-3");
    assertThat(ids(acquia)).containsExactly("i-1", "p-4", "p-2", "p-0");
  }

  @Test
  void theOverviewHasInFlightTasksRecentCompletionsAndRates() throws Exception {
    poller.parts.put("p-1", new JsonObject().put("state", "polling").put("provider", "acquia")
        .put("submittedAt", "2026-12-01T10:00:00Z"));
    recent.add("done-1", "{\"taskId\":\"done-1\",\"provider\":\"acquia\",\"status\":\"succeeded\",\"via\":\"poll\"}"
        .getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());

    JsonObject overview = new JsonObject(get("/api/overview", TOKEN).body());

    assertThat(ids(overview.getJsonObject("inFlight"))).containsExactly("p-1");
    assertThat(overview.getJsonArray("recent").getJsonObject(0).getString("status")).isEqualTo("succeeded");
    assertThat(overview.getJsonObject("perMinute").getDouble("succeeded")).isPositive();
  }

  @Test
  void routingErrorsHaveTheSameShape() throws Exception {
    HttpResponse<String> missing = get("/api/nothing-here", TOKEN);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getJsonObject("error").getString("code")).isEqualTo("not_found");

    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/api/tasks/t-1"))
        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isIn(404, 405);
    assertThat(new JsonObject(post.body()).getJsonObject("error").getInteger("status")).isEqualTo(post.statusCode());
  }

  @Test
  void theWebViewIsServedFromTheJarWithoutTheToken() throws Exception {
    HttpResponse<String> page = get("/ui/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
        .contains("default-src 'self'"));
    assertThat(page.body()).contains("app.js").doesNotContain("http://").doesNotContain("https://");
    assertThat(get("/ui/app.js", null).body()).contains("/api/overview");
    assertThat(get("/ui/style.css", null).statusCode()).isEqualTo(200);
    assertThat(get("/ui/../pom.xml", null).statusCode()).isEqualTo(404);
    assertThat(get("/ui/secret.txt", null).statusCode()).isEqualTo(404);
  }

  private static List<String> ids(JsonObject list) {
    List<String> ids = new ArrayList<>();
    list.getJsonArray("tasks").forEach(task -> ids.add(((JsonObject) task).getString("taskId")));
    return ids;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
