package io.asyncbridge.poller.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.http.HttpPollDispatcher;
import io.asyncbridge.poller.poll.PollAnswerQueue;
import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.topology.PollerTopology;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.testkit.time.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus of poll answers: the real poller topology (TopologyTestDriver) with the real HTTP dispatcher
 * polling a notification server on loopback, its observations piped back as Kafka would. Each row is one way a
 * notification can answer, with the task's expected end (status and error code; timed_out at its 3 s deadline when
 * the answers never say anything usable). After each row a valid task still completes; no secret is in any event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PollAnswerCorpusTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration STEP = Duration.ofMillis(100);
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(3);
  private static final AtomicInteger IDS = new AtomicInteger();

  /**
   * One notification behaviour; {@code url} null means the server's own notification of the case under the
   * provider's path. For a success, {@code messagePart} (when given) must be in the completion's result.
   */
  record Case(String name, String provider, String url, BiConsumer<HttpServerRequest, PollAnswerCorpusTest> answer,
      CompletionStatus status, String code, String messagePart) {
    Case(String name, String url, BiConsumer<HttpServerRequest, PollAnswerCorpusTest> answer, CompletionStatus status,
        String code, String messagePart) {
      this(name, "acquia", url, answer, status, code, messagePart);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Where each provider's notifications live on the test server. */
  private static final Map<String, String> NOTIFICATION_PATHS = Map.of("acquia", "/api/notifications/",
      "azure", "/lro/operations/", "google", "/ops/operations/");

  private final String clientSecret = random();
  private final String token = random();
  private final MutableClock clock = new MutableClock(T0);
  private final Map<String, BiConsumer<HttpServerRequest, PollAnswerCorpusTest>> answers = new ConcurrentHashMap<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  /** Polls per notification path, for the answers that change after the first. */
  final Map<String, Integer> pollsByPath = new ConcurrentHashMap<>();
  /** Where the HTTP client's answers arrive first, so the test knows when every answer is in. */
  private final PollAnswerQueue tap = new PollAnswerQueue(64);
  private volatile PollAnswerQueue topologyQueue;
  private final AtomicInteger dispatched = new AtomicInteger();
  private final AtomicInteger published = new AtomicInteger();
  private final EventSchemaValidator validator = EventSchemaValidator.create();
  private Vertx vertx;
  private HttpServer server;
  private HttpPollDispatcher dispatcher;
  private TopologyTestDriver driver;
  private TestInputTopic<String, TaskAccepted> tasks;
  private TestOutputTopic<String, Completion> completions;
  private TestOutputTopic<String, ProgressEvent> progress;
  private Path stateDir;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(this::serve).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("poll-corpus.yaml", """
        providers:
          acquia:
            type: acquia
            baseUrl: %1$s/api
            tokenUrl: %1$s/token
            clientId: corpus
            clientSecret: %2$s
            poll: {initialDelay: 100ms, initialInterval: 100ms, multiplier: 1.5, maxInterval: 300ms, jitter: 0,
                   notFoundGrace: 2s, requestTimeout: 300ms, concurrency: 4}
          azure:
            type: http-lro
            baseUrl: %1$s/lro
            auth: {type: header, header: Authorization, value: 'Bearer %3$s'}
            poll: {initialDelay: 100ms, initialInterval: 100ms, multiplier: 1.5, maxInterval: 300ms, jitter: 0,
                   notFoundGrace: 2s, requestTimeout: 300ms, concurrency: 4}
          google:
            type: google-lro
            baseUrl: %1$s/ops
            auth: {type: header, header: Authorization, value: 'Bearer %3$s'}
            status: {progressPointer: /metadata/progressPercent}
            poll: {initialDelay: 100ms, initialInterval: 100ms, multiplier: 1.5, maxInterval: 300ms, jitter: 0,
                   notFoundGrace: 2s, requestTimeout: 300ms, concurrency: 4}
        """.formatted(base(), clientSecret, token));
    dispatcher = new HttpPollDispatcher(config, vertx, clock, ServiceMeters.forTests("poller", config));
    PollDispatcher counting = new PollDispatcher() {
      @Override
      public boolean tryDispatch(PollJob job) {
        topologyQueue = job.replyTo();
        boolean taken = dispatcher.tryDispatch(new PollJob(job.taskId(), job.attempt(), job.provider(), job.url(),
            tap));
        if (taken) {
          dispatched.incrementAndGet();
        }
        return taken;
      }

      @Override
      public void close() {
      }
    };
    stateDir = Files.createTempDirectory("poll-corpus");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "poll-corpus");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(PollerTopology.build(config, counting, clock, PollerTopology.Tuning.defaults(),
        ServiceMeters.forTests("poller", config)), props, T0);
    tasks = driver.createInputTopic(config.topics().tasks(), new StringSerializer(), JsonSerde.of(TaskAccepted.class));
    completions = driver.createOutputTopic(config.topics().completions(), new StringDeserializer(),
        JsonSerde.of(Completion.class));
    progress = driver.createOutputTopic(config.topics().progress(), new StringDeserializer(),
        JsonSerde.of(ProgressEvent.class));
  }

  @AfterAll
  void stop() throws Exception {
    driver.close();
    dispatcher.close();
    held.forEach(request -> request.connection().close());
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private static String random() {
    SecureRandom random = new SecureRandom();
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    StringBuilder text = new StringBuilder("P");
    for (int i = 0; i < 31; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private void serve(HttpServerRequest request) {
    paths.add(request.path());
    if (request.path().equals("/token")) {
      json(request, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
      return;
    }
    if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
      json(request, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    String name = request.path().substring(request.path().lastIndexOf('/') + 1);
    BiConsumer<HttpServerRequest, PollAnswerCorpusTest> answer = answers.get(name);
    if (answer == null) {
      json(request, 500, "{}");
    } else {
      answer.accept(request, this);
    }
  }

  static void json(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  static BiConsumer<HttpServerRequest, PollAnswerCorpusTest> json(int status, String body) {
    return (request, test) -> json(request, status, body);
  }

  static Case timesOut(String name, BiConsumer<HttpServerRequest, PollAnswerCorpusTest> answer) {
    return new Case(name, null, answer, CompletionStatus.TIMED_OUT, "deadline_exceeded", "");
  }

  static Case fails(String name, BiConsumer<HttpServerRequest, PollAnswerCorpusTest> answer, String code, String part) {
    return new Case(name, null, answer, CompletionStatus.FAILED, code, part);
  }

  static Case azure(String name, BiConsumer<HttpServerRequest, PollAnswerCorpusTest> answer, CompletionStatus status,
      String code, String part) {
    return new Case(name, "azure", null, answer, status, code, part);
  }

  static Case google(String name, BiConsumer<HttpServerRequest, PollAnswerCorpusTest> answer, CompletionStatus status,
      String code, String part) {
    return new Case(name, "google", null, answer, status, code, part);
  }

  /** Answers each poll with the next of {@code answers} (status, body; body null for none), the last one forever. */
  static BiConsumer<HttpServerRequest, PollAnswerCorpusTest> sequence(Object... answers) {
    AtomicInteger polls = new AtomicInteger();
    return (request, test) -> {
      int at = Math.min(polls.getAndIncrement(), answers.length / 2 - 1) * 2;
      int status = (Integer) answers[at];
      String body = (String) answers[at + 1];
      if (body == null) {
        request.response().setStatusCode(status).end();
      } else {
        json(request, status, body);
      }
    };
  }

  static Case refusedLink(String name, String url, String part) {
    return new Case(name, url, json(200, "{\"status\":\"completed\"}"), CompletionStatus.FAILED,
        "notification_host_not_allowed", part);
  }

  static Stream<Case> cases() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    return Stream.of(
        new Case("completed (control)", null, json(200, "{\"status\":\"completed\",\"progress\":100}"),
            CompletionStatus.SUCCEEDED, null, null),
        fails("failed", json(200, "{\"status\":\"failed\"}"), "upstream_failed", "'failed'"),
        // ---- answers that say nothing usable: polled again until the deadline
        timesOut("200, not JSON", (request, test) -> request.response().putHeader("Content-Type", "text/html").end("<html>")),
        timesOut("200, empty body", json(200, "")),
        timesOut("200, a JSON array", json(200, "[{\"status\":\"completed\"}]")),
        timesOut("200, nesting 100,000 levels", json(200, deep)),
        timesOut("unknown status word, forever", json(200, "{\"status\":\"paused\"}")),
        timesOut("status word is a number", json(200, "{\"status\":42}")),
        timesOut("status word is an object", json(200, "{\"status\":{\"value\":\"completed\"}}")),
        timesOut("status word missing", json(200, "{\"progress\":50}")),
        timesOut("status word of 10,000 characters", json(200, "{\"status\":\"" + "w".repeat(10_000) + "\"}")),
        timesOut("500, always", json(500, "{\"message\":\"boom\"}")),
        timesOut("503 with a Retry-After of 11 days", (request, test) -> request.response().setStatusCode(503)
            .putHeader("Retry-After", "999999").end()),
        timesOut("429 with a garbage Retry-After", (request, test) -> request.response().setStatusCode(429)
            .putHeader("Retry-After", "later").end()),
        timesOut("connection reset", (request, test) -> request.connection().close()),
        timesOut("hang (no answer)", (request, test) -> test.held.add(request)),
        timesOut("slow drip answer", (request, test) -> test.drip(request)),
        // ---- answers that end the task
        new Case("garbage progress values, then completed", null, new BiConsumer<>() {
          private final AtomicInteger polls = new AtomicInteger();
          private final String[] answers = {"{\"status\":\"in-progress\",\"progress\":\"NaN\"}",
              "{\"status\":\"in-progress\",\"progress\":1e308}", "{\"status\":\"in-progress\",\"progress\":-5}",
              "{\"status\":\"in-progress\",\"progress\":\"abc\"}", "{\"status\":\"in-progress\",\"progress\":101}",
              "{\"status\":\"completed\"}"};

          @Override
          public void accept(HttpServerRequest request, PollAnswerCorpusTest test) {
            json(request, 200, answers[Math.min(polls.getAndIncrement(), answers.length - 1)]);
          }
        }, CompletionStatus.SUCCEEDED, null, null),
        fails("404, endless", json(404, "{\"message\":\"not found\"}"), "notification_not_found", "404"),
        fails("answer larger than 512 KiB", json(200, "{\"status\":\"completed\",\"pad\":\"" + "p".repeat(600_000) + "\"}"),
            "notification_too_large", "larger than 524288 bytes"),
        fails("403", json(403, "{}"), "notification_http_403", "HTTP 403"),
        fails("410 Gone", json(410, "{}"), "notification_http_410", "HTTP 410"),
        fails("302 to the metadata service (not followed)", (request, test) -> request.response().setStatusCode(302)
            .putHeader("Location", "http://169.254.169.254/latest/meta-data/").end(), "notification_http_302", "HTTP 302"),
        fails("401 even with a fresh token", json(401, "{\"error\":\"invalid_token\"}"), "notification_http_401", "HTTP 401"),
        new Case("completed, echoing the Authorization header", null, (request, test) -> json(request, 200,
            "{\"status\":\"completed\",\"seen\":\"" + request.getHeader("Authorization") + "\"}"),
            CompletionStatus.SUCCEEDED, null, null),
        // ---- links the poller must not follow (ingest refuses them first; the poller checks again)
        refusedLink("link to the metadata service", "http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        refusedLink("link to localhost (not listed)", "http://localhost:{port}/api/notifications/x", "localhost"),
        refusedLink("link to a private address", "http://192.168.1.1/api/notifications/x", "192.168.1.1"),
        refusedLink("link with a file: scheme", "file:///etc/passwd", "scheme 'file'"),
        refusedLink("link with credentials", "http://user:pw@127.0.0.1:{port}/api/notifications/x", "credentials"),
        refusedLink("relative link", "/api/notifications/x", "scheme"),
        new Case("unparsable link", "http://[::1", json(200, "{}"), CompletionStatus.FAILED, "notification_url_invalid",
            "not a valid URL"),
        // ---- http-lro: Azure's status monitor and RFC 9110 Location polling
        azure("http-lro Succeeded (control)", json(200, "{\"status\":\"Succeeded\",\"percentComplete\":100}"),
            CompletionStatus.SUCCEEDED, null, "Succeeded"),
        azure("http-lro NotStarted, Running, InProgress, then Succeeded", sequence(
            200, "{\"status\":\"NotStarted\"}", 200, "{\"status\":\"Running\",\"percentComplete\":30}",
            200, "{\"status\":\"InProgress\",\"percentComplete\":60.5}", 200, "{\"status\":\"Succeeded\"}"),
            CompletionStatus.SUCCEEDED, null, null),
        azure("http-lro Failed with an error object", json(200,
            "{\"status\":\"Failed\",\"error\":{\"code\":\"Conflict\",\"message\":\"The name is taken.\"}}"),
            CompletionStatus.FAILED, "upstream_failed", "'Failed': Conflict: The name is taken."),
        azure("http-lro Failed with an error that is not an object", json(200, "{\"status\":\"failed\",\"error\":[]}"),
            CompletionStatus.FAILED, "upstream_failed", "an error that is not an object"),
        azure("http-lro Failed with an error message of 10,000 characters", json(200,
            "{\"status\":\"Failed\",\"error\":{\"message\":\"" + "m".repeat(10_000) + "\"}}"),
            CompletionStatus.FAILED, "upstream_failed", "mmm..."),
        azure("http-lro Canceled", json(200, "{\"status\":\"Canceled\"}"), CompletionStatus.FAILED,
            "upstream_canceled", "canceled the task"),
        azure("http-lro Cancelled (British spelling)", json(200, "{\"status\":\"Cancelled\"}"), CompletionStatus.FAILED,
            "upstream_canceled", "'Cancelled'"),
        new Case("http-lro unknown status word, forever", "azure", null, json(200, "{\"status\":\"Paused\"}"),
            CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        new Case("http-lro 202 forever (Location polling)", "azure", null, sequence(202, null),
            CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        azure("http-lro 202, 202, then the final resource without status", sequence(202, null, 202, "{}",
            200, "{\"name\":\"vm-1\",\"properties\":{\"provisioningState\":\"Succeeded\"}}"),
            CompletionStatus.SUCCEEDED, null, "vm-1"),
        azure("http-lro 202, then 204", sequence(202, null, 204, null), CompletionStatus.SUCCEEDED, null, null),
        new Case("http-lro final resource with a further Location, forever", "azure", null, (request, test) ->
            request.response().putHeader("Location", test.base() + "/lro/operations/next").putHeader("Content-Type",
                "application/json").end("{\"name\":\"vm-1\"}"), CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        new Case("http-lro 200 HTML page without status, forever", "azure", null, (request, test) -> request.response()
            .putHeader("Content-Type", "text/html").end("<html>Sign in</html>"), CompletionStatus.TIMED_OUT,
            "deadline_exceeded", ""),
        // ---- http-lro: a status monitor that answers 303 See Other when done (followed once, to the final resource)
        azure("http-lro Running, then 303 See Other to the final resource", (request, test) -> {
          if ("final=1".equals(request.query())) {
            json(request, 200, "{\"name\":\"vm-303\",\"properties\":{\"provisioningState\":\"Succeeded\"}}");
          } else if (test.pollsByPath.merge(request.path(), 1, Integer::sum) == 1) {
            json(request, 200, "{\"status\":\"Running\",\"percentComplete\":50}");
          } else {
            request.response().setStatusCode(303).putHeader("Location", request.path() + "?final=1").end();
          }
        }, CompletionStatus.SUCCEEDED, null, "vm-303"),
        azure("http-lro 303 See Other to the metadata service", (request, test) -> request.response()
            .setStatusCode(303).putHeader("Location", "http://169.254.169.254/latest/meta-data/").end(),
            CompletionStatus.FAILED, "notification_host_not_allowed", "169.254.169.254"),
        azure("http-lro 303 See Other without Location", (request, test) -> request.response().setStatusCode(303).end(),
            CompletionStatus.FAILED, "notification_http_303", "HTTP 303"),
        azure("http-lro 303 See Other to a resource that redirects again (followed once only)", (request, test) ->
            request.response().setStatusCode(303).putHeader("Location", request.path() + "?final=1").end(),
            CompletionStatus.FAILED, "notification_http_303", "HTTP 303"),
        new Case("http-lro 303 See Other to a final resource that answers 500, forever", "azure", null,
            (request, test) -> {
              if ("final=1".equals(request.query())) {
                json(request, 500, "{}");
              } else {
                request.response().setStatusCode(303).putHeader("Location", "?final=1").end();
              }
            }, CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        new Case("http-lro 303 See Other to a final resource that is HTML, forever", "azure", null,
            (request, test) -> {
              if ("final=1".equals(request.query())) {
                request.response().putHeader("Content-Type", "text/html").end("<html>Sign in</html>");
              } else {
                request.response().setStatusCode(303).putHeader("Location", "?final=1").end();
              }
            }, CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        // ---- http-lro: a running answer's Retry-After sets the next poll; it is no reason to stop
        azure("http-lro Running with Retry-After: 1, then Succeeded", (request, test) -> {
          if (test.pollsByPath.merge(request.path(), 1, Integer::sum) == 1) {
            request.response().putHeader("Retry-After", "1").putHeader("Content-Type", "application/json")
                .end("{\"status\":\"Running\"}");
          } else {
            json(request, 200, "{\"status\":\"Succeeded\"}");
          }
        }, CompletionStatus.SUCCEEDED, null, "Succeeded"),
        new Case("http-lro 202 with a Retry-After of 11 days (waits past the deadline)", "azure", null,
            (request, test) -> request.response().setStatusCode(202).putHeader("Retry-After", "999999").end(),
            CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        new Case("http-lro Running with a garbage Retry-After, forever", "azure", null, (request, test) -> request
            .response().putHeader("Retry-After", "soon").putHeader("Content-Type", "application/json")
            .end("{\"status\":\"Running\"}"), CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        // ---- google-lro: AIP-151 operations, decided by done
        google("operation done with a response (control)", json(200,
            "{\"name\":\"operations/x\",\"done\":true,\"response\":{\"name\":\"instances/i-1\"}}"),
            CompletionStatus.SUCCEEDED, null, "instances/i-1"),
        google("operation running with progress, then done", sequence(
            200, "{\"name\":\"operations/x\",\"metadata\":{\"progressPercent\":10}}",
            200, "{\"name\":\"operations/x\",\"done\":false,\"metadata\":{\"progressPercent\":\"abc\"}}",
            200, "{\"name\":\"operations/x\",\"done\":true,\"response\":{\"ok\":1}}"),
            CompletionStatus.SUCCEEDED, null, "ok"),
        google("operation done with neither error nor response", json(200, "{\"name\":\"operations/x\",\"done\":true}"),
            CompletionStatus.SUCCEEDED, null, "operations/x"),
        google("operation done with an error", json(200,
            "{\"done\":true,\"error\":{\"code\":3,\"message\":\"bad size\",\"details\":[{\"@type\":\"x\"}]}}"),
            CompletionStatus.FAILED, "upstream_failed", "ended with an error: 3: bad size"),
        google("operation done with error code 1 (cancelled)", json(200,
            "{\"done\":true,\"error\":{\"code\":1,\"message\":\"stopped\"}}"), CompletionStatus.FAILED,
            "upstream_canceled", "the operation was canceled: 1: stopped"),
        google("operation done with an error that is not an object", json(200, "{\"done\":true,\"error\":\"boom\"}"),
            CompletionStatus.FAILED, "upstream_failed", "an error that is not an object ('boom')"),
        new Case("done is a string, forever", "google", null, json(200,
            "{\"done\":\"true\",\"response\":{}}"), CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        new Case("done is a number, forever", "google", null, json(200, "{\"done\":1,\"response\":{}}"),
            CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        new Case("done missing, forever", "google", null, json(200, "{\"name\":\"operations/x\",\"response\":{}}"),
            CompletionStatus.TIMED_OUT, "deadline_exceeded", ""),
        new Case("operation answer a JSON array, forever", "google", null, json(200, "[{\"done\":true}]"),
            CompletionStatus.TIMED_OUT, "deadline_exceeded", ""));
  }

  void drip(HttpServerRequest request) {
    var response = request.response().setChunked(true).putHeader("Content-Type", "application/json");
    response.write("{\"status\":\"");
    long timer = vertx.setPeriodic(50, id -> {
      if (response.closed() || response.ended()) {
        vertx.cancelTimer(id);
      } else {
        response.write("x");
      }
    });
    response.closeHandler(closed -> vertx.cancelTimer(timer));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachAnswerEndsTheTaskAsExpected(Case c) {
    String taskId = "poll-" + IDS.incrementAndGet();
    answers.put(taskId, c.answer());
    String path = NOTIFICATION_PATHS.get(c.provider()) + taskId;
    String url = c.url() == null ? base() + path : c.url().replace("{port}", Integer.toString(server.actualPort()));
    int pathsBefore = paths.size();

    List<Completion> ended = new ArrayList<>();
    List<ProgressEvent> progressed = new ArrayList<>();
    follow(taskId, c.provider(), url, ended, progressed);

    assertThat(ended).as("exactly one completion").hasSize(1);
    Completion completion = ended.get(0);
    assertThat(completion.taskId()).isEqualTo(taskId);
    assertThat(completion.status()).isEqualTo(c.status());
    if (c.code() == null) {
      assertThat(completion.error()).isNull();
      if (c.messagePart() != null) {
        assertThat(completion.result().toString()).as("the result").contains(c.messagePart());
      }
    } else {
      assertThat(completion.error().code()).isEqualTo(c.code());
      assertThat(completion.error().message()).contains(c.messagePart());
    }
    List<String> called = paths.subList(pathsBefore, paths.size());
    assertThat(called).as("polls only ever went to this task's notification on the allowed host (or the token)")
        .allMatch(polled -> polled.equals(path) || polled.equals("/token"));
    if (c.url() != null) {
      assertThat(called).as("a refused link is never called").isEmpty();
    }
    assertThat(progressed).allMatch(event -> event.progress() >= 0 && event.progress() <= 100);
    assertValidAndSecretFree(ended, progressed);

    String valid = "valid-" + taskId;
    answers.put(valid, json(200, "{\"status\":\"completed\"}"));
    List<Completion> validEnded = new ArrayList<>();
    follow(valid, "acquia", base() + "/api/notifications/" + valid, validEnded, new ArrayList<>());
    assertThat(validEnded).as("a valid task after the bad one").singleElement()
        .satisfies(done -> assertThat(done.status()).isEqualTo(CompletionStatus.SUCCEEDED));
  }

  /** Hands a task over and drives time (100 ms steps) until it completes or 3 deadlines have passed. */
  private void follow(String taskId, String provider, String url, List<Completion> ended,
      List<ProgressEvent> progressed) {
    Instant now = clock.instant();
    tasks.pipeInput(taskId, new TaskAccepted(taskId, provider, TaskMode.POLL, now, now, now.plus(TASK_TIMEOUT), 202, url,
        null, Map.of("case", taskId)), now);
    Instant giveUp = now.plus(TASK_TIMEOUT.multipliedBy(3));
    while (ended.stream().noneMatch(c -> c.taskId().equals(taskId)) && clock.instant().isBefore(giveUp)) {
      // Every answer is in before time moves on, then the topology's punctuator applies them on this step.
      await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10))
          .until(() -> {
            tap.drain(answer -> {
              assertThat(topologyQueue.offer(answer)).isTrue();
              published.incrementAndGet();
            }, Integer.MAX_VALUE);
            return published.get() == dispatched.get();
          });
      ended.addAll(completions.readValuesToList());
      progressed.addAll(progress.readValuesToList());
      clock.advance(STEP);
      driver.advanceWallClockTime(STEP);
    }
    ended.addAll(completions.readValuesToList());
    progressed.addAll(progress.readValuesToList());
  }

  private void assertValidAndSecretFree(List<Completion> ended, List<ProgressEvent> progressed) {
    JsonSerde<Completion> completionSerde = JsonSerde.of(Completion.class);
    JsonSerde<ProgressEvent> progressSerde = JsonSerde.of(ProgressEvent.class);
    List<String> texts = new ArrayList<>();
    for (Completion completion : ended) {
      byte[] bytes = completionSerde.serialize("c", completion);
      assertThat(validator.validate(EventType.COMPLETION, bytes)).isEmpty();
      texts.add(new String(bytes, StandardCharsets.UTF_8));
    }
    for (ProgressEvent event : progressed) {
      byte[] bytes = progressSerde.serialize("p", event);
      assertThat(validator.validate(EventType.PROGRESS, bytes)).isEmpty();
      texts.add(new String(bytes, StandardCharsets.UTF_8));
    }
    assertThat(texts).as("no secret in any event").noneMatch(text -> text.contains(clientSecret) || text.contains(token));
  }
}
