package io.asyncbridge.callbacks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.callbacks.testing.Signatures;
import io.asyncbridge.core.http.ErrorResponder;
import io.asyncbridge.testkit.time.MutableClock;
import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.callbacks.webhook.WebhookSink;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.security.CallbackTokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WebhookEndpointTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration ACK_TIMEOUT = Duration.ofMillis(400);

  private final BridgeConfig config = TestConfigs.config();
  private final CallbackTokens tokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
  private final FakeSink sink = new FakeSink();
  private final AtomicBoolean kafkaReachable = new AtomicBoolean(true);
  private final InFlightWebhooks inFlight = new InFlightWebhooks();
  private WebhookServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Map<String, CallbackProvider> providers = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      CallbackProvider callback = CallbackProvider.of(provider);
      if (callback != null) {
        providers.put(provider.name(), callback);
      }
    }
    WebhookHandler handler = new WebhookHandler(config.providers().keySet(), providers, tokens, sink,
        new MutableClock(NOW), ACK_TIMEOUT, inFlight);
    server = new WebhookServer(vertx, WebhookRoutes.create(vertx, handler, new HealthHandler(kafkaReachable::get),
        new ErrorResponder(WebhookRoutes.errorEndpoint(config.callbacks())),
        config.callbacks().maxBodyBytes(), config.callbacks().bodyReadTimeout()), "127.0.0.1", 0);
    int port = await(server.start());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    await(server.close());
  }

  @Test
  void aSignedPerTaskWebhookIsAcceptedOnlyAfterTheSinkConfirms() throws Exception {
    sink.confirmManually();
    byte[] body = "{\"eventId\": 1028, \"response\": {}}".getBytes(StandardCharsets.UTF_8);

    Future<HttpResponse<Buffer>> answer = post(perTask("documents", "t-1"), ceSigned(body), body);

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.pending.size() == 1);
    assertThat(answer.isComplete()).as("no answer before Kafka confirms").isFalse();
    sink.pending.get(0).complete(null);
    HttpResponse<Buffer> response = await(answer);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "accepted"));
    WebhookReceived webhook = sink.received.get(0);
    assertThat(webhook.provider()).isEqualTo("documents");
    assertThat(webhook.routeTaskId()).isEqualTo("t-1");
    assertThat(webhook.correlationId()).isEqualTo("1028");
    assertThat(webhook.receivedAt()).isEqualTo(NOW);
    assertThat(webhook.body()).as("the body exactly as sent").isEqualTo(body);
  }

  @Test
  void aProviderLevelWebhookNeedsItsCorrelationId() throws Exception {
    byte[] body = "{\"eventId\": \"abc\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(await(post("/callbacks/documents", ceSigned(body), body)).statusCode()).isEqualTo(202);
    assertThat(sink.received.get(0).routeTaskId()).isNull();
    assertThat(sink.received.get(0).correlationId()).isEqualTo("abc");

    byte[] noId = "{\"instanceId\": 30}".getBytes(StandardCharsets.UTF_8);
    assertError(await(post("/callbacks/documents", ceSigned(noId), noId)), 400, "missing_correlation_id");
  }

  @Test
  void aDuplicateIsAcceptedToo() throws Exception {
    byte[] body = "{\"eventId\": 7}".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      assertThat(await(post(perTask("documents", "t-7"), ceSigned(body), body)).statusCode()).isEqualTo(202);
    }
    assertThat(sink.received).hasSize(3);
  }

  @Test
  void unconfirmedWebhooksGet503WithRetryAfter() throws Exception {
    sink.confirmManually();
    byte[] body = "{\"eventId\": 8}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<Buffer> response = await(post(perTask("documents", "t-8"), ceSigned(body), body));

    assertError(response, 503, "unavailable");
    assertThat(response.getHeader("Retry-After")).isEqualTo("7");
    assertThat(inFlight.count()).isZero();
  }

  @Test
  void aFailedSendGets503() throws Exception {
    sink.failWith(new IllegalStateException("broker down"));
    byte[] body = "{\"eventId\": 9}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<Buffer> response = await(post(perTask("documents", "t-9"), ceSigned(body), body));

    assertError(response, 503, "unavailable");
    assertThat(response.bodyAsString()).doesNotContain("broker down");
  }

  @Test
  void unknownAndNonCallbackProvidersAre404EvenWithHugeBodies() throws Exception {
    byte[] huge = new byte[10_000];
    assertError(await(post("/callbacks/nobody/t-1/token", json(), huge)), 404, "unknown_provider");
    assertError(await(post(perTask("acquia", "t-1"), json(), huge)), 404, "not_a_callback_provider");
    assertError(await(post("/callbacks/builds", json(), "{}".getBytes(StandardCharsets.UTF_8))), 404,
        "provider_route_disabled");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    byte[] body = ("{\"eventId\": 1, \"pad\": \"" + "x".repeat(3000) + "\"}").getBytes(StandardCharsets.UTF_8);

    HttpResponse<Buffer> response = await(post(perTask("documents", "t-1"), ceSigned(body), body));

    assertError(response, 413, "body_too_large");
    assertThat(sink.received).isEmpty();
  }

  @Test
  void aChunkedBodyOverTheLimitIs413(Vertx vertx) throws Exception {
    io.vertx.core.http.HttpClient http = vertx.createHttpClient();
    io.vertx.core.http.HttpClientResponse response = await(http.request(io.vertx.core.http.HttpMethod.POST,
        server.port(), "127.0.0.1", perTask("documents", "t-1")).compose(request -> {
          request.setChunked(true).putHeader("Content-Type", "application/json");
          for (int i = 0; i < 10; i++) {
            request.write(Buffer.buffer("x".repeat(500)));
          }
          return request.end().compose(ignored -> request.response());
        }));
    assertThat(response.statusCode()).isEqualTo(413);
    http.close();
  }

  @Test
  void aNonJsonContentTypeIs415() throws Exception {
    byte[] body = "{\"eventId\": 1}".getBytes(StandardCharsets.UTF_8);
    MultiMap headers = ceSigned(body).set("Content-Type", "text/plain");

    assertError(await(post(perTask("documents", "t-1"), headers, body)), 415, "unsupported_media_type");
    assertThat(WebhookHandler.isJson("application/json; charset=utf-8")).isTrue();
    assertThat(WebhookHandler.isJson("application/cloudevents+json")).isTrue();
    assertThat(WebhookHandler.isJson(null)).isFalse();
  }

  @Test
  void aWrongTokenIs401AndTheMessageHoldsNoToken() throws Exception {
    byte[] body = "{\"eventId\": 1}".getBytes(StandardCharsets.UTF_8);
    String rightToken = tokens.tokenFor("documents", "t-1");
    String wrongToken = tokens.tokenFor("documents", "t-2");

    HttpResponse<Buffer> response = await(post("/callbacks/documents/t-1/" + wrongToken, ceSigned(body), body));

    assertError(response, 401, "invalid_token");
    assertThat(response.bodyAsString()).doesNotContain(wrongToken, rightToken);
    assertThat(sink.received).isEmpty();
  }

  @Test
  void aTaskIdWithEncodedLineBreaksIsRefusedAndNeverLoggedAsIs() throws Exception {
    byte[] body = "{\"eventId\": 1}".getBytes(StandardCharsets.UTF_8);
    String forged = "t-1\n2026-11-23 WARN forged line";

    HttpResponse<Buffer> response = await(post("/callbacks/documents/t-1%0A2026-11-23%20WARN%20forged%20line/"
        + tokens.tokenFor("documents", forged), ceSigned(body), body));

    assertError(response, 401, "invalid_token");
    assertThat(sink.received).isEmpty();
    assertThat(WebhookHandler.loggable(forged)).doesNotContain("\n").isEqualTo("<not a valid taskId>");
    assertThat(WebhookHandler.loggable("t-1:a.b_c")).isEqualTo("t-1:a.b_c");
  }

  @Test
  void aMissingOrWrongSignatureIs401() throws Exception {
    byte[] body = "{\"eventId\": 1}".getBytes(StandardCharsets.UTF_8);
    assertError(await(post(perTask("documents", "t-1"), json(), body)), 401, "missing_signature");

    byte[] other = "{\"eventId\": 2}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<Buffer> response = await(post(perTask("documents", "t-1"), ceSigned(other), body));
    assertError(response, 401, "invalid_signature");
    assertThat(response.bodyAsString()).doesNotContain(Signatures.cloudElements(TestConfigs.CE_KEY, body));
    assertThat(sink.received).isEmpty();
  }

  @Test
  void standardWebhooksAreCheckedWithTheirReplayWindow() throws Exception {
    byte[] body = "{\"data\": {\"id\": \"pay_1\", \"status\": \"paid\"}}".getBytes(StandardCharsets.UTF_8);
    long now = NOW.getEpochSecond();

    String valid = Signatures.standardWebhooks(TestConfigs.WHSEC, "msg_1", now, body);
    MultiMap rotated = swHeaders("msg_1", now, "v1,bm90IHRoZSBzaWduYXR1cmU= " + valid);
    assertThat(await(post("/callbacks/payments", rotated, body)).statusCode()).isEqualTo(202);
    assertThat(sink.received.get(0).correlationId()).isEqualTo("pay_1");

    long old = now - 600;
    MultiMap replayed = swHeaders("msg_1", old, Signatures.standardWebhooks(TestConfigs.WHSEC, "msg_1", old, body));
    assertError(await(post("/callbacks/payments", replayed, body)), 401, "stale_timestamp");

    MultiMap forged = swHeaders("msg_1", now, Signatures.standardWebhooks(TestConfigs.WHSEC, "msg_2", now, body));
    assertError(await(post("/callbacks/payments", forged, body)), 401, "invalid_signature");
  }

  @Test
  void malformedAndTooDeepJsonIs400() throws Exception {
    byte[] broken = "{\"eventId\": 1".getBytes(StandardCharsets.UTF_8);
    assertError(await(post(perTask("documents", "t-1"), ceSigned(broken), broken)), 400, "malformed_json");

    byte[] deep = ("[".repeat(100) + "]".repeat(100)).getBytes(StandardCharsets.UTF_8);
    assertError(await(post(perTask("documents", "t-1"), ceSigned(deep), deep)), 400, "too_deep");

    byte[] duplicateKeys = "{\"eventId\": 1, \"eventId\": 2}".getBytes(StandardCharsets.UTF_8);
    assertError(await(post(perTask("documents", "t-1"), ceSigned(duplicateKeys), duplicateKeys)), 400, "malformed_json");
    assertThat(sink.received).isEmpty();
  }

  @Test
  void unsignedProvidersRelyOnTheToken() throws Exception {
    byte[] body = "{\"state\": \"ok\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(await(post(perTask("builds", "b-1"), json(), body)).statusCode()).isEqualTo(202);
    assertThat(sink.received.get(0).correlationId()).isNull();
    assertThat(sink.received.get(0).correlationKey()).isEqualTo("builds|task:b-1");
  }

  @Test
  void healthEndpoints() throws Exception {
    assertThat(await(client.get("/health/live").send()).statusCode()).isEqualTo(200);
    assertThat(await(client.get("/health/ready").send()).statusCode()).isEqualTo(200);
    kafkaReachable.set(false);
    assertThat(await(client.get("/health/ready").send()).statusCode()).isEqualTo(503);
  }

  @Test
  void unknownPathsAndMethodsUseTheSameErrorShape() throws Exception {
    assertError(await(client.get("/nowhere").send()), 404, "not_found");
    assertError(await(client.get(perTask("documents", "t-1")).send()), 405, "method_not_allowed");
  }

  @Test
  void afterShutdownBeganNewWebhooksGet503() throws Exception {
    inFlight.stopAccepting();
    byte[] body = "{\"eventId\": 1}".getBytes(StandardCharsets.UTF_8);

    assertError(await(post(perTask("documents", "t-1"), ceSigned(body), body)), 503, "unavailable");
    assertThat(sink.received).isEmpty();
  }

  private String perTask(String provider, String taskId) {
    return CallbackTokens.ROUTE_PREFIX + provider + "/" + taskId + "/" + tokens.tokenFor(provider, taskId);
  }

  private Future<HttpResponse<Buffer>> post(String path, MultiMap headers, byte[] body) {
    return client.post(path).putHeaders(headers).sendBuffer(Buffer.buffer(body));
  }

  private static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json");
  }

  private static MultiMap ceSigned(byte[] body) {
    return json().set("Elements-Webhook-Signature", Signatures.cloudElements(TestConfigs.CE_KEY, body));
  }

  private static MultiMap swHeaders(String id, long timestamp, String signature) {
    return json().set("webhook-id", id).set("webhook-timestamp", Long.toString(timestamp))
        .set("webhook-signature", signature);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(response.bodyAsJsonObject().fieldNames()).containsExactly("error");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("status", "code", "message");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A sink that confirms at once, only when told, or fails. */
  private static final class FakeSink implements WebhookSink {
    final List<WebhookReceived> received = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
    private volatile Function<WebhookReceived, CompletableFuture<Void>> behaviour =
        webhook -> CompletableFuture.completedFuture(null);

    void confirmManually() {
      behaviour = webhook -> {
        CompletableFuture<Void> future = new CompletableFuture<>();
        pending.add(future);
        return future;
      };
    }

    void failWith(RuntimeException failure) {
      behaviour = webhook -> CompletableFuture.failedFuture(failure);
    }

    @Override
    public CompletionStage<Void> send(WebhookReceived webhook) {
      received.add(webhook);
      return behaviour.apply(webhook);
    }

    @Override
    public void close() {
    }
  }
}
