package io.asyncbridge.poller.http;

import static io.asyncbridge.poller.poll.CancelCaller.Start.NOT_NOW;
import static io.asyncbridge.poller.poll.CancelCaller.Start.STARTED;
import static io.asyncbridge.poller.poll.CancelCaller.Start.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.poller.poll.PollAnswerQueue;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.lro.LroApis;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real cancel calls: google-lro's :cancel against the simulator, a generic template against a loopback server. */
class HttpCancelCallerTest {

  Vertx vertx;
  UpstreamSimulator simulator;
  HttpServer server;
  HttpPollDispatcher dispatcher;
  HttpCancelCaller caller;
  final PollAnswerQueue answers = new PollAnswerQueue(16);
  final Map<String, PollObservation> observed = new ConcurrentHashMap<>();
  final List<String> genericCalls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).build());
    server = vertx.createHttpServer().requestHandler(request -> {
      genericCalls.add(request.method() + " " + request.path() + " " + request.getHeader("X-Api-Key"));
      if (request.path().contains("throttle")) {
        request.response().setStatusCode(429).putHeader("Retry-After", "60").end();
        return;
      }
      request.response().setStatusCode(request.path().contains("refuse") ? 409 : 202).end();
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("test", """
        providers:
          google:
            type: google-lro
            baseUrl: %s
            auth: {type: header, header: X-Goog-Api-Key, value: %s}
          jobs:
            type: generic
            mode: poll
            baseUrl: http://127.0.0.1:%d/api
            notificationLinkPointer: /status
            status: {succeeded: [done]}
            auth: {type: header, header: X-Api-Key, value: key-of-the-jobs}
            cancel: {method: DELETE, path: '{notificationUrl}/run'}
          plain:
            type: generic
            mode: poll
            baseUrl: http://127.0.0.1:%d/api
            notificationLinkPointer: /status
            status: {succeeded: [done]}
          limited:
            type: generic
            mode: poll
            baseUrl: http://127.0.0.1:%d/api
            notificationLinkPointer: /status
            status: {succeeded: [done]}
            poll: {rateLimit: 5}
            cancel: {path: '{notificationUrl}/cancel'}
          quota:
            type: generic
            mode: poll
            baseUrl: http://127.0.0.1:%d/api
            notificationLinkPointer: /status
            status: {succeeded: [done]}
            cancel: {path: '{notificationUrl}/throttle'}
        """.formatted(simulator.googleLroBaseUrl(), LroApis.GOOGLE_API_KEY, server.actualPort(), server.actualPort(),
            server.actualPort(), server.actualPort()));
    dispatcher = new HttpPollDispatcher(config, vertx, Clock.systemUTC(), ServiceMeters.forTests("poller", config),
        new UpstreamCredentials());
    caller = new HttpCancelCaller(config, dispatcher, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    dispatcher.close();
    simulator.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private PollObservation answerOf(String taskId) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      answers.drain(answer -> observed.put(answer.taskId(), answer), Integer.MAX_VALUE);
      return observed.containsKey(taskId);
    });
    return observed.get(taskId);
  }

  private String createOperation(String scenario) throws Exception {
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            simulator.googleLroBaseUrl() + "/projects/p/locations/eu/instances"))
        .header(LroApis.GOOGLE_API_KEY_HEADER, LroApis.GOOGLE_API_KEY).header("X-Simulator-Scenario", scenario)
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    String name = created.body().replaceAll("(?s).*\"name\"\\s*:\\s*\"(operations/[^\"]+)\".*", "$1");
    return simulator.googleLroBaseUrl() + "/" + name;
  }

  @Test
  void googleLroCancelsTheOperationAndReportsWhetherTheUpstreamAccepted() throws Exception {
    String running = createOperation("never");
    String refusing = createOperation("never,no-cancel");
    assertThat(caller.cancels("google")).isTrue();

    assertThat(caller.tryCancel(new PollJob("t-run", 3, "google", running, answers))).isEqualTo(STARTED);
    assertThat(caller.tryCancel(new PollJob("t-refuse", 1, "google", refusing, answers))).isEqualTo(STARTED);

    PollObservation accepted = answerOf("t-run");
    assertThat(accepted.outcome()).isEqualTo(PollOutcome.SUCCEEDED);
    assertThat(accepted.httpStatus()).isEqualTo(200);
    assertThat(accepted.attempt()).isEqualTo(3);
    assertThat(simulator.lroOperations().cancelled(running.substring(running.lastIndexOf('/') + 1))).isTrue();
    PollObservation refused = answerOf("t-refuse");
    assertThat(refused.outcome()).isEqualTo(PollOutcome.FAILED);
    assertThat(refused.httpStatus()).isEqualTo(501);
  }

  @Test
  void aGenericTemplateIsCalledWithItsMethodAndCredentialsAndOtherProvidersHaveNone() {
    String base = "http://127.0.0.1:" + server.actualPort() + "/api/jobs/";
    assertThat(caller.cancels("plain")).isFalse();
    assertThat(caller.tryCancel(new PollJob("t-plain", 1, "plain", base + "p", answers))).isEqualTo(UNAVAILABLE);

    assertThat(caller.tryCancel(new PollJob("t-ok", 1, "jobs", base + "j-1", answers))).isEqualTo(STARTED);
    assertThat(caller.tryCancel(new PollJob("t-no", 1, "jobs", base + "refuse", answers))).isEqualTo(STARTED);

    assertThat(answerOf("t-ok").httpStatus()).isEqualTo(202);
    assertThat(answerOf("t-no").outcome()).isEqualTo(PollOutcome.FAILED);
    assertThat(genericCalls).contains("DELETE /api/jobs/j-1/run key-of-the-jobs", "DELETE /api/jobs/refuse/run"
        + " key-of-the-jobs");
  }

  @Test
  void anUnreachableUpstreamIsAnAnswerToo() {
    assertThat(caller.tryCancel(new PollJob("t-down", 1, "google",
        simulator.googleLroBaseUrl().replaceFirst(":\\d+", ":1") + "/operations/x", answers))).isEqualTo(STARTED);
    assertThat(answerOf("t-down").outcome()).isEqualTo(PollOutcome.RETRY);
  }

  @Test
  void aCancelCallSharesItsProvidersRateLimitAndRetryAfterWithThePolls() {
    String base = "http://127.0.0.1:" + server.actualPort() + "/api/jobs/";
    assertThat(caller.tryCancel(new PollJob("t-limited", 1, "limited", base + "l", answers)))
        .as("no share of poll.rateLimit owned yet: held back like a poll").isEqualTo(NOT_NOW);
    dispatcher.partitionsOwned(1, 1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        caller.tryCancel(new PollJob("t-limited", 1, "limited", base + "l", answers)) == STARTED);
    assertThat(answerOf("t-limited").httpStatus()).isEqualTo(202);

    assertThat(caller.tryCancel(new PollJob("t-quota", 1, "quota", base + "q", answers))).isEqualTo(STARTED);
    assertThat(answerOf("t-quota").httpStatus()).isEqualTo(429);
    assertThat(dispatcher.tryDispatch(new PollJob("t-poll", 1, "quota", base + "q", answers)))
        .as("the cancel's Retry-After holds the provider's polls back").isFalse();
    assertThat(caller.tryCancel(new PollJob("t-quota-2", 1, "quota", base + "q2", answers))).isEqualTo(NOT_NOW);
  }
}
