package io.asyncbridge.poller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.poll.PollAnswerQueue;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.schemas.trace.TraceContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real dispatcher against a small Acquia-like server on loopback: each answer becomes the right observation. */
class HttpPollDispatcherTest {

  Vertx vertx;
  HttpServer server;
  String base;
  HttpPollDispatcher dispatcher;
  ServiceMeters meters;
  final Map<String, PollObservation> observed = new ConcurrentHashMap<>();
  final PollAnswerQueue answers = new PollAnswerQueue(16);
  final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  final AtomicInteger tokenFetches = new AtomicInteger();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final Map<String, String> traceparents = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.actualPort();
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("test", """
        providers:
          acquia:
            type: acquia
            baseUrl: %s/api
            tokenUrl: %s/token
            clientId: id
            clientSecret: secret
            poll:
              requestTimeout: PT0.5S
              concurrency: 2
          limited:
            type: acquia
            baseUrl: %s/api
            tokenUrl: %s/token
            clientId: id
            clientSecret: secret
            poll:
              rateLimit: 0.01
        """.formatted(base, base, base, base));
    meters = ServiceMeters.forTests("poller", config);
    dispatcher = new HttpPollDispatcher(config, vertx, Clock.systemUTC(), meters);
  }

  @AfterEach
  void stop() throws Exception {
    held.forEach(request -> request.response().setStatusCode(200).end("{\"status\":\"completed\"}"));
    dispatcher.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void answer(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/token")) {
      tokenFetches.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json")
          .end("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
      return;
    }
    authorizations.add(String.valueOf(request.getHeader("Authorization")));
    traceparents.put(path, String.valueOf(request.getHeader("traceparent")) + " " + request.getHeader("tracestate"));
    var response = request.response().putHeader("Content-Type", "application/json");
    switch (path) {
      case "/api/notifications/running" -> response.end("{\"status\":\"in-progress\",\"progress\":30}");
      case "/api/notifications/running-later" -> response.putHeader("Retry-After", "12")
          .end("{\"status\":\"in-progress\"}");
      case "/api/notifications/started" -> response.end("{\"status\":\"started\",\"progress\":\"garbage\"}");
      case "/api/notifications/completed" -> response.end("{\"status\":\"completed\",\"progress\":100,\"uuid\":\"c\"}");
      case "/api/notifications/failed" -> response.end("{\"status\":\"failed\",\"progress\":140}");
      case "/api/notifications/weird" -> response.end("{\"status\":\"paused\"}");
      case "/api/notifications/missing" -> response.setStatusCode(404).end("{\"message\":\"not found\"}");
      case "/api/notifications/throttled" -> response.setStatusCode(429).putHeader("Retry-After", "7").end();
      case "/api/notifications/unavailable" -> response.setStatusCode(503).end();
      case "/api/notifications/forbidden" -> response.setStatusCode(403).end("{}");
      case "/api/notifications/html" -> response.putHeader("Content-Type", "text/html").end("<html>oops</html>");
      case "/api/notifications/slow", "/api/notifications/hold" -> held.add(request);
      default -> response.setStatusCode(500).end();
    }
  }

  private io.micrometer.core.instrument.Timer pollTimer(String outcome) {
    return meters.registry().get(HttpPollDispatcher.POLLS).tags("service", "poller", "provider", "acquia",
        "outcome", outcome).timer();
  }

  /** What a stream thread does: takes the answers queued for it. */
  private int drained() {
    answers.drain(answer -> observed.put(answer.taskId(), answer), Integer.MAX_VALUE);
    return observed.size();
  }

  private PollJob job(String taskId, String provider, String url) {
    return new PollJob(taskId, 1, provider, url, answers);
  }

  private PollObservation poll(String name) {
    return poll(name, base + "/api/notifications/" + name);
  }

  private PollObservation poll(String taskId, String url) {
    assertThat(dispatcher.tryDispatch(new PollJob(taskId, 3, "acquia", url, answers))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> drained() > 0 && observed.containsKey(taskId));
    PollObservation observation = observed.get(taskId);
    assertThat(observation.taskId()).isEqualTo(taskId);
    assertThat(observation.attempt()).isEqualTo(3);
    return observation;
  }

  @Test
  void runningWordsWithProgressAndGarbageProgress() {
    PollObservation running = poll("running");
    assertThat(running.outcome()).isEqualTo(PollOutcome.RUNNING);
    assertThat(running.statusWord()).isEqualTo("in-progress");
    assertThat(running.progress()).isEqualTo(30);
    assertThat(running.result()).isNull();

    PollObservation started = poll("started");
    assertThat(started.outcome()).isEqualTo(PollOutcome.RUNNING);
    assertThat(started.progress()).isNull();

    PollObservation weird = poll("weird");
    assertThat(weird.outcome()).as("an unknown word is never success").isEqualTo(PollOutcome.RUNNING);
    assertThat(weird.statusWord()).isEqualTo("paused");
  }

  @Test
  void aRunningAnswersRetryAfterIsCarriedToTheTopology() {
    assertThat(poll("running").retryAfterMillis()).isNull();

    PollObservation later = poll("running-later");

    assertThat(later.outcome()).isEqualTo(PollOutcome.RUNNING);
    assertThat(later.retryAfterMillis()).isEqualTo(12_000L);
  }

  @Test
  void aTracedTasksPollCarriesItsTraceContextAndAnUntracedOneNone() {
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    TraceContext trace = TraceContext.of(parent, "vendor=abc").orElseThrow();
    assertThat(dispatcher.tryDispatch(new PollJob("traced", 1, "acquia", base + "/api/notifications/running",
        answers, trace))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> drained() > 0 && observed.containsKey("traced"));
    assertThat(traceparents.get("/api/notifications/running")).isEqualTo(parent + " vendor=abc");

    poll("completed");
    assertThat(traceparents.get("/api/notifications/completed")).isEqualTo("null null");
  }

  @Test
  void terminalAnswersCarryTheResource() {
    PollObservation completed = poll("completed");
    assertThat(completed.outcome()).isEqualTo(PollOutcome.SUCCEEDED);
    assertThat(completed.result().get("uuid").asText()).isEqualTo("c");

    PollObservation failed = poll("failed");
    assertThat(failed.outcome()).isEqualTo(PollOutcome.FAILED);
    assertThat(pollTimer("succeeded").count()).as("each poll timed under its outcome").isEqualTo(1);
    assertThat(pollTimer("failed").count()).isEqualTo(1);
    assertThat(pollTimer("running").count()).isZero();
    assertThat(meters.registry().get(HttpPollDispatcher.IN_FLIGHT).tag("provider", "acquia").gauge().value()).isZero();
    assertThat(failed.progress()).as("140 is not a percentage").isNull();
    assertThat(failed.result().get("status").asText()).isEqualTo("failed");
  }

  @Test
  void pollsAreAuthorizedWithOneCachedToken() {
    poll("running");
    poll("completed");
    assertThat(tokenFetches.get()).isEqualTo(1);
    assertThat(authorizations).containsOnly("Bearer tok-1");
  }

  @Test
  void errorAnswersAreClassified() {
    assertThat(poll("missing").outcome()).isEqualTo(PollOutcome.NOT_FOUND);
    assertThat(poll("unavailable").outcome()).as("503 without Retry-After").isEqualTo(PollOutcome.RETRY);
    assertThat(poll("html").outcome()).as("not JSON").isEqualTo(PollOutcome.RETRY);
    assertThat(poll("boom").outcome()).as("500").isEqualTo(PollOutcome.RETRY);

    PollObservation forbidden = poll("forbidden");
    assertThat(forbidden.outcome()).isEqualTo(PollOutcome.FATAL);
    assertThat(forbidden.errorCode()).isEqualTo("notification_http_403");
  }

  @Test
  void aRetryAfterHoldsBackEveryPollOfTheProviderNotOnlyTheThrottledTask() {
    PollObservation throttled = poll("throttled");
    assertThat(throttled.outcome()).isEqualTo(PollOutcome.THROTTLED);
    assertThat(throttled.retryAfterMillis()).isEqualTo(7_000L);

    assertThat(dispatcher.tryDispatch(job("other-task", "acquia", base + "/api/notifications/running")))
        .as("another task of the provider waits for the Retry-After too").isFalse();
    assertThat(dispatcher.inFlight("acquia")).as("the refused poll took no slot").isZero();
  }

  @Test
  void aRateLimitedProviderPollsOnlyWithATokenOfItsShare() {
    String url = base + "/api/notifications/running";
    assertThat(dispatcher.rateLimit("acquia")).as("no poll.rateLimit, no bucket").isNull();
    assertThat(dispatcher.tryDispatch(job("r1", "limited", url))).as("no partition owned: no share").isFalse();

    dispatcher.partitionsOwned(3, 3); // 0.01/s: one token, the next in 100 s
    assertThat(dispatcher.rateLimit("limited").bucket().rate()).isEqualTo(0.01);
    assertThat(dispatcher.tryDispatch(job("r1", "limited", url))).isTrue();
    assertThat(dispatcher.tryDispatch(job("r2", "limited", url))).as("waits for the next token").isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> drained() > 0 && observed.containsKey("r1"));
    assertThat(meters.registry().get(io.asyncbridge.core.ratelimit.UpstreamRateLimit.WAIT).tags("provider", "limited",
        "kind", "poll").timer().count()).isEqualTo(1);
    assertThat(meters.registry().get(io.asyncbridge.core.ratelimit.UpstreamRateLimit.LIMIT).tags("provider", "limited",
        "kind", "poll").gauge().value()).isEqualTo(0.01);

    dispatcher.partitionsOwned(0, 3);
    assertThat(dispatcher.rateLimit("limited").bucket().rate()).as("its partitions moved away").isZero();
  }

  @Test
  void aTimeoutIsRetriedAndAConnectionErrorToo() throws Exception {
    PollObservation slow = poll("slow");
    assertThat(slow.outcome()).isEqualTo(PollOutcome.RETRY);
    assertThat(slow.message()).contains("no complete answer");

    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // 127.0.0.1 is allowed (the base URL's host), but nothing listens on this port.
    PollObservation refused = poll("refused", "http://127.0.0.1:" + closedPort + "/api/notifications/x");
    assertThat(refused.outcome()).isEqualTo(PollOutcome.RETRY);
  }

  @Test
  void aLinkToAHostOutsideTheAllowListIsFatalAndNotCalled() {
    PollObservation metadata = poll("ssrf", "http://169.254.169.254/latest/meta-data/");
    assertThat(metadata.outcome()).isEqualTo(PollOutcome.FATAL);
    assertThat(metadata.errorCode()).isEqualTo("notification_host_not_allowed");
    assertThat(metadata.message()).doesNotContain("meta-data");
  }

  @Test
  void theConcurrencyLimitIsRespected() {
    assertThat(dispatcher.tryDispatch(job("h1", "acquia", base + "/api/notifications/hold"))).isTrue();
    assertThat(dispatcher.tryDispatch(job("h2", "acquia", base + "/api/notifications/hold"))).isTrue();
    assertThat(dispatcher.tryDispatch(job("h3", "acquia", base + "/api/notifications/hold")))
        .as("the third poll exceeds poll.concurrency = 2").isFalse();
    assertThat(dispatcher.tryDispatch(job("x", "unknown", base + "/api/notifications/running")))
        .as("a provider this dispatcher does not poll").isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> drained() == 2);
    assertThat(observed.keySet()).containsExactlyInAnyOrder("h1", "h2"); // both timed out after 0.5 s
    assertThat(dispatcher.inFlight("acquia")).isZero();
    assertThat(dispatcher.tryDispatch(job("h3", "acquia", base + "/api/notifications/running"))).isTrue();
  }

  @Test
  void anAnswerForAClosedQueueIsDroppedAndItsSlotGivenBack() {
    PollAnswerQueue revoked = new PollAnswerQueue(4);
    assertThat(dispatcher.tryDispatch(new PollJob("gone", 1, "acquia", base + "/api/notifications/hold", revoked)))
        .isTrue();
    revoked.close(); // the partition moved to another instance while the poll was out

    await().atMost(Duration.ofSeconds(5)).until(() -> revoked.dropped() == 1); // timed out after 0.5 s, dropped

    assertThat(revoked.size()).isZero();
    assertThat(dispatcher.inFlight("acquia")).isZero();
    assertThat(drained()).as("nothing reached another queue").isZero();
  }
}
