package io.asyncbridge.callbacks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.callbacks.cancel.CancelAnswer;
import io.asyncbridge.callbacks.cancel.CancelAnswers;
import io.asyncbridge.callbacks.cancel.CancelCalls;
import io.asyncbridge.callbacks.cancel.CancelJob;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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

/** The real cancel calls of callback-mode providers against a loopback upstream. */
class HttpCancelCallsTest {

  Vertx vertx;
  HttpServer server;
  HttpCancelCalls calls;
  final CancelAnswers answers = new CancelAnswers();
  final Map<String, CancelAnswer> observed = new ConcurrentHashMap<>();
  final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      received.add(request.method() + " " + request.uri() + " " + request.getHeader("X-Api-Key"));
      if (request.uri().contains("busy")) {
        request.response().setStatusCode(429).putHeader("Retry-After", "60").end();
        return;
      }
      request.response().setStatusCode(request.uri().contains("done") ? 409 : 200).end("{}");
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("test", """
        callbacks: {publicBaseUrl: 'https://bridge.example.com', tokenSecret: a-long-enough-token-secret}
        providers:
          jobs:
            type: generic
            mode: callback
            baseUrl: http://127.0.0.1:%1$d/api
            status: {succeeded: [done]}
            auth: {type: header, header: X-Api-Key, value: key-of-the-jobs}
            callback: {requestHeaders: {X-Callback: '{callbackUrl}'}, correlationIdPointer: /id}
            cancel: {method: DELETE, path: '/jobs/{correlationId}'}
            dispatch: {requestTimeout: 5s}
          limited:
            type: generic
            mode: callback
            baseUrl: http://127.0.0.1:%1$d/api
            status: {succeeded: [done]}
            callback: {requestHeaders: {X-Callback: '{callbackUrl}'}, correlationIdPointer: /id}
            cancel: {path: '/jobs/{correlationId}/cancel'}
            dispatch: {rateLimit: 5}
          plain:
            type: generic
            mode: callback
            baseUrl: http://127.0.0.1:%1$d/api
            status: {succeeded: [done]}
            callback: {requestHeaders: {X-Callback: '{callbackUrl}'}}
          down:
            type: generic
            mode: callback
            baseUrl: http://127.0.0.1:1/api
            status: {succeeded: [done]}
            callback: {requestHeaders: {X-Callback: '{callbackUrl}'}}
            cancel: {path: '/jobs/{correlationId}/cancel'}
        """.formatted(server.actualPort()));
    calls = new HttpCancelCalls(config, vertx, Clock.systemUTC(), ServiceMeters.forTests("callbacks", config),
        new UpstreamCredentials(), 3);
  }

  @AfterEach
  void stop() throws Exception {
    calls.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private CancelJob job(String taskId, String provider, String correlationId) {
    return new CancelJob("key-" + taskId, taskId, 1, provider, correlationId, null, answers);
  }

  private CancelAnswer answerOf(String taskId) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      answers.drain(answer -> observed.put(answer.taskId(), answer));
      return observed.containsKey(taskId);
    });
    return observed.get(taskId);
  }

  @Test
  void theTemplateIsCalledWithTheEncodedCorrelationIdAndTheProvidersCredentials() {
    assertThat(calls.cancels("jobs")).isTrue();
    assertThat(calls.cancels("plain")).isFalse();
    assertThat(calls.timeout("jobs")).isEqualTo(Duration.ofSeconds(5));
    assertThat(calls.tryCancel(job("t-plain", "plain", "p-1"))).isEqualTo(CancelCalls.Start.UNAVAILABLE);

    assertThat(calls.tryCancel(job("t-ok", "jobs", "job 7/x"))).isEqualTo(CancelCalls.Start.STARTED);
    assertThat(calls.tryCancel(job("t-no", "jobs", "done-1"))).isEqualTo(CancelCalls.Start.STARTED);

    CancelAnswer accepted = answerOf("t-ok");
    assertThat(accepted.outcome()).isEqualTo(CancelAnswer.Outcome.ACCEPTED);
    assertThat(accepted.describe()).isEqualTo("the upstream accepted the cancel call (HTTP 200)");
    assertThat(accepted.key()).isEqualTo("key-t-ok");
    CancelAnswer refused = answerOf("t-no");
    assertThat(refused.describe()).isEqualTo("the upstream refused the cancel call (HTTP 409)");
    assertThat(received).containsExactlyInAnyOrder("DELETE /api/jobs/job%207%2Fx key-of-the-jobs",
        "DELETE /api/jobs/done-1 key-of-the-jobs");
  }

  @Test
  void aRetryAfterHoldsBackTheProvidersNextCallsAndTheRateLimitFollowsThePartitionsOwned() {
    assertThat(calls.tryCancel(job("t-busy", "jobs", "busy"))).isEqualTo(CancelCalls.Start.STARTED);
    assertThat(answerOf("t-busy").describe()).isEqualTo("the upstream refused the cancel call (HTTP 429)");
    assertThat(calls.tryCancel(job("t-next", "jobs", "j-2"))).as("the provider's Retry-After runs")
        .isEqualTo(CancelCalls.Start.NOT_NOW);

    assertThat(calls.tryCancel(job("t-lim", "limited", "l-1"))).as("no partition owned: no share of the limit")
        .isEqualTo(CancelCalls.Start.NOT_NOW);
    calls.partitionOwned(0);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        calls.tryCancel(job("t-lim", "limited", "l-1")) == CancelCalls.Start.STARTED);
    assertThat(answerOf("t-lim").outcome()).isEqualTo(CancelAnswer.Outcome.ACCEPTED);
  }

  @Test
  void anUnreachableUpstreamIsAnAnswerToo() {
    assertThat(calls.tryCancel(job("t-down", "down", "d-1"))).isEqualTo(CancelCalls.Start.STARTED);
    CancelAnswer answer = answerOf("t-down");
    assertThat(answer.outcome()).isEqualTo(CancelAnswer.Outcome.NO_ANSWER);
    assertThat(answer.describe()).isEqualTo("the cancel call got no answer");
  }
}
