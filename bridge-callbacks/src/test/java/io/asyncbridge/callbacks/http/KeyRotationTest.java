package io.asyncbridge.callbacks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.callbacks.testing.Signatures;
import io.asyncbridge.callbacks.webhook.WebhookSink;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.http.ErrorResponder;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.testkit.time.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rotation run of the three keys that verify (Cloud Elements {@code signatureKey}, a Standard Webhooks secret and
 * {@code callbacks.tokenSecret}), each in the three steps an operator takes: only the old key; the new key added first
 * (old and new both accepted, new callback URLs issued under the new one); the old key removed (old refused).
 */
@ExtendWith(VertxExtension.class)
class KeyRotationTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final String OLD_CE = "ce-old-signature-key";
  private static final String NEW_CE = "ce-new-signature-key";
  private static final String OLD_WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String NEW_WHSEC = "whsec_c2Vjb25kLWtleS1mb3Itcm90YXRpb24tdGVzdHM=";
  private static final String OLD_TOKEN_SECRET = "old-token-secret-0123456789";
  private static final String NEW_TOKEN_SECRET = "new-token-secret-9876543210";

  private final List<WebhookReceived> received = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private WebhookServer server;
  private WebClient client;

  @AfterEach
  void stop() throws Exception {
    stopServer();
  }

  @Test
  void cloudElementsSignatureKeyRotates(Vertx vertx) throws Exception {
    this.vertx = vertx;
    byte[] body = "{\"eventId\": 1028}".getBytes(StandardCharsets.UTF_8);

    start(OLD_CE, OLD_WHSEC, OLD_TOKEN_SECRET);
    assertThat(postCe(body, OLD_CE)).as("before the rotation: the old key").isEqualTo(202);
    assertThat(postCe(body, NEW_CE)).as("before the rotation: the new key is not known yet").isEqualTo(401);

    start("[" + NEW_CE + ", " + OLD_CE + "]", OLD_WHSEC, OLD_TOKEN_SECRET);
    assertThat(postCe(body, OLD_CE)).as("during the rotation: the old key").isEqualTo(202);
    assertThat(postCe(body, NEW_CE)).as("during the rotation: the new key").isEqualTo(202);
    assertThat(postCe(body, "some-other-key")).as("during the rotation: any other key").isEqualTo(401);

    start("[" + NEW_CE + "]", OLD_WHSEC, OLD_TOKEN_SECRET);
    assertThat(postCe(body, NEW_CE)).as("after the removal: the new key").isEqualTo(202);
    assertThat(postCe(body, OLD_CE)).as("after the removal: the old key").isEqualTo(401);
    assertThat(received).hasSize(4);
  }

  @Test
  void standardWebhooksSecretRotates(Vertx vertx) throws Exception {
    this.vertx = vertx;
    byte[] body = "{\"data\": {\"id\": \"pay-1\", \"status\": \"paid\"}}".getBytes(StandardCharsets.UTF_8);

    start(OLD_CE, OLD_WHSEC, OLD_TOKEN_SECRET);
    assertThat(postSw(body, OLD_WHSEC)).isEqualTo(202);
    assertThat(postSw(body, NEW_WHSEC)).isEqualTo(401);

    start(OLD_CE, "[" + NEW_WHSEC + ", " + OLD_WHSEC + "]", OLD_TOKEN_SECRET);
    assertThat(postSw(body, OLD_WHSEC)).isEqualTo(202);
    assertThat(postSw(body, NEW_WHSEC)).isEqualTo(202);

    start(OLD_CE, NEW_WHSEC, OLD_TOKEN_SECRET);
    assertThat(postSw(body, NEW_WHSEC)).isEqualTo(202);
    assertThat(postSw(body, OLD_WHSEC)).isEqualTo(401);
  }

  @Test
  void callbackUrlsIssuedUnderTheOldTokenSecretWorkUntilItIsRemoved(Vertx vertx) throws Exception {
    this.vertx = vertx;
    String issuedBefore = perTaskPath(OLD_TOKEN_SECRET, "builds", "before-rotation");

    BridgeConfig during = start(OLD_CE, OLD_WHSEC, "[" + NEW_TOKEN_SECRET + ", " + OLD_TOKEN_SECRET + "]");
    String issuedDuring = new CallbackTokens(during.callbacks().tokenSecret().orElseThrow())
        .callbackUrl(during.callbacks().publicBaseUrl().orElseThrow(), "builds", "during-rotation").getRawPath();
    assertThat(issuedDuring).as("new URLs are issued under the first (new) secret")
        .isEqualTo(perTaskPath(NEW_TOKEN_SECRET, "builds", "during-rotation"));
    assertThat(postUnsigned(issuedBefore)).as("a URL issued before the rotation").isEqualTo(202);
    assertThat(postUnsigned(issuedDuring)).as("a URL issued during it").isEqualTo(202);

    start(OLD_CE, OLD_WHSEC, NEW_TOKEN_SECRET);
    assertThat(postUnsigned(issuedDuring)).isEqualTo(202);
    assertThat(postUnsigned(issuedBefore)).as("the old secret was removed").isEqualTo(401);
  }

  private BridgeConfig start(String ceKeys, String whsecs, String tokenSecrets) throws Exception {
    stopServer();
    BridgeConfig config = config(ceKeys, whsecs, tokenSecrets);
    Map<String, CallbackProvider> providers = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      CallbackProvider callback = CallbackProvider.of(provider);
      if (callback != null) {
        providers.put(provider.name(), callback);
      }
    }
    WebhookHandler handler = new WebhookHandler(config.providers().keySet(), providers,
        new CallbackTokens(config.callbacks().tokenSecrets()), new ListSink(received), new MutableClock(NOW),
        Duration.ofSeconds(2), new InFlightWebhooks());
    server = new WebhookServer(vertx, WebhookRoutes.create(vertx, handler, new HealthHandler(() -> true),
        new ErrorResponder(WebhookRoutes.errorEndpoint(config.callbacks())),
        config.callbacks().maxBodyBytes(), config.callbacks().bodyReadTimeout()), "127.0.0.1", 0);
    int port = await(server.start());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    return config;
  }

  private void stopServer() throws Exception {
    if (client != null) {
      client.close();
      client = null;
    }
    if (server != null) {
      await(server.close());
      server = null;
    }
  }

  private static BridgeConfig config(String ceKeys, String whsecs, String tokenSecrets) {
    String yaml = """
        kafka:
          bootstrapServers: localhost:9092
        callbacks:
          host: 127.0.0.1
          port: 0
          publicBaseUrl: http://127.0.0.1:8080
          tokenSecret: %3$s
        providers:
          documents:
            type: cloud-elements
            baseUrl: https://api.cloud-elements.com/elements/api-v2
            authorization: User u-secret, Element e-secret
            signatureKey: %1$s
          payments:
            type: generic
            mode: callback
            baseUrl: https://pay.example.com/v1
            status:
              pointer: /data/status
              succeeded: [paid]
              failed: [declined]
            callback:
              requestHeaders:
                X-Callback-Url: "{callbackUrl}"
              correlationIdPointer: /data/id
              signature:
                scheme: standard-webhooks
                secret: %2$s
          builds:
            type: generic
            mode: callback
            baseUrl: https://ci.example.com
            status:
              pointer: /state
              succeeded: [ok]
              failed: [broken]
            callback:
              requestHeaders:
                X-Callback-Url: "{callbackUrl}"
        """.formatted(ceKeys, whsecs, tokenSecrets);
    return new BridgeConfigLoader(Map.of()).parse("rotation.yaml", yaml);
  }

  private static String perTaskPath(String tokenSecret, String provider, String taskId) {
    return new CallbackTokens(io.asyncbridge.core.config.Secret.of(tokenSecret))
        .callbackUrl(java.net.URI.create("http://127.0.0.1:8080"), provider, taskId).getRawPath();
  }

  private int postCe(byte[] body, String key) throws Exception {
    MultiMap headers = json().set("Elements-Webhook-Signature", Signatures.cloudElements(key, body));
    return await(post("/callbacks/documents", headers, body)).statusCode();
  }

  private int postSw(byte[] body, String whsec) throws Exception {
    long timestamp = NOW.getEpochSecond();
    MultiMap headers = json().set("webhook-id", "msg-1").set("webhook-timestamp", Long.toString(timestamp))
        .set("webhook-signature", Signatures.standardWebhooks(whsec, "msg-1", timestamp, body));
    return await(post("/callbacks/payments", headers, body)).statusCode();
  }

  private int postUnsigned(String path) throws Exception {
    byte[] body = "{\"state\": \"ok\"}".getBytes(StandardCharsets.UTF_8);
    return await(post(path, json(), body)).statusCode();
  }

  private Future<HttpResponse<Buffer>> post(String path, MultiMap headers, byte[] body) {
    return client.post(path).putHeaders(headers).sendBuffer(Buffer.buffer(body));
  }

  private static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private record ListSink(List<WebhookReceived> received) implements WebhookSink {
    @Override
    public CompletionStage<Void> send(WebhookReceived webhook) {
      received.add(webhook);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
    }
  }
}
