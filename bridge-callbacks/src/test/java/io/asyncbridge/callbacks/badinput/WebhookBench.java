package io.asyncbridge.callbacks.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.callbacks.http.CallbackProvider;
import io.asyncbridge.core.http.ErrorResponder;
import io.asyncbridge.callbacks.http.HealthHandler;
import io.asyncbridge.callbacks.http.InFlightWebhooks;
import io.asyncbridge.callbacks.http.WebhookHandler;
import io.asyncbridge.callbacks.http.WebhookRoutes;
import io.asyncbridge.callbacks.http.WebhookServer;
import io.asyncbridge.callbacks.webhook.WebhookSink;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.testkit.time.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The real webhook endpoint (routes, handler, error renderer, HTTP server on port 0) with a sink that records what it
 * was given and confirms at once. Secrets are random per run. {@code maxBodyBytes} is 4096 and the body deadline
 * 500 ms, so size and slow-drip cases stay small and quick.
 */
final class WebhookBench implements AutoCloseable {

  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final int MAX_BODY = 4096;
  static final Duration BODY_DEADLINE = Duration.ofMillis(500);

  final String signatureKey = random();
  final String whsec = "whsec_" + Base64.getEncoder().encodeToString(random().getBytes(StandardCharsets.US_ASCII));
  final String tokenSecret = random();
  final String ceAuthorization = "User " + random() + ", Element " + random();
  final Vertx vertx = Vertx.vertx();
  final BridgeConfig config;
  final CallbackTokens tokens;
  final List<WebhookReceived> received = new CopyOnWriteArrayList<>();
  private final WebhookServer server;
  private final WebClient client;
  private final AtomicInteger validCount = new AtomicInteger();

  WebhookBench() throws Exception {
    config = new BridgeConfigLoader(Map.of()).parse("webhooks.yaml", """
        callbacks:
          host: 127.0.0.1
          port: 0
          publicBaseUrl: https://bridge.example.com
          tokenSecret: %1$s
          maxBodyBytes: %2$d
          bodyReadTimeout: %3$dms
        providers:
          documents:
            type: cloud-elements
            baseUrl: https://api.cloud-elements.com/elements/api-v2
            authorization: "%4$s"
            signatureKey: %5$s
          payments:
            type: generic
            mode: callback
            baseUrl: https://pay.example.com/v1
            status: {pointer: /data/status, succeeded: [paid], failed: [declined]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
              correlationIdPointer: /data/id
              signature: {scheme: standard-webhooks, secret: "%6$s", tolerance: 5m}
          builds:
            type: generic
            mode: callback
            baseUrl: https://ci.example.com
            status: {pointer: /state, succeeded: [ok], failed: [broken]}
            callback:
              requestHeaders: {X-Callback-Url: "{callbackUrl}"}
          acquia:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: a
            clientSecret: %7$s
        """.formatted(tokenSecret, MAX_BODY, BODY_DEADLINE.toMillis(), ceAuthorization, signatureKey, whsec, random()));
    tokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
    Map<String, CallbackProvider> providers = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      CallbackProvider callback = CallbackProvider.of(provider);
      if (callback != null) {
        providers.put(provider.name(), callback);
      }
    }
    WebhookSink sink = new WebhookSink() {
      @Override
      public CompletionStage<Void> send(WebhookReceived webhook) {
        received.add(webhook);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void close() {
      }
    };
    WebhookHandler handler = new WebhookHandler(config.providers().keySet(), providers, tokens, sink,
        new MutableClock(NOW), Duration.ofSeconds(2), new InFlightWebhooks());
    server = new WebhookServer(vertx, WebhookRoutes.create(vertx, handler, new HealthHandler(() -> true),
        new ErrorResponder(WebhookRoutes.errorEndpoint(config.callbacks())),
        config.callbacks().maxBodyBytes(), config.callbacks().bodyReadTimeout()), "127.0.0.1", 0);
    int port = await(server.start());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  int port() {
    return server.port();
  }

  static String random() {
    SecureRandom random = new SecureRandom();
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    StringBuilder text = new StringBuilder("W");
    for (int i = 0; i < 31; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  String perTask(String provider, String taskId) {
    return CallbackTokens.ROUTE_PREFIX + provider + "/" + taskId + "/" + tokens.tokenFor(provider, taskId);
  }

  static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json");
  }

  /** Cloud Elements' signature over the raw bytes. */
  String ceSignature(byte[] body) {
    return "sha256=" + Base64.getEncoder().encodeToString(hmac(signatureKey.getBytes(StandardCharsets.UTF_8), body));
  }

  MultiMap ceSigned(byte[] body) {
    return json().set("Elements-Webhook-Signature", ceSignature(body));
  }

  /** Standard Webhooks' signature over id.timestamp.body (raw bytes). */
  String swSignature(String id, long timestamp, byte[] body) {
    return swSignature(whsec, id, timestamp, body);
  }

  static String swSignature(String secret, String id, long timestamp, byte[] body) {
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, content, 0, prefix.length);
    System.arraycopy(body, 0, content, prefix.length, body.length);
    return "v1," + Base64.getEncoder().encodeToString(hmac(key, content));
  }

  MultiMap swSigned(String id, long timestamp, byte[] body) {
    return json().set("webhook-id", id).set("webhook-timestamp", Long.toString(timestamp))
        .set("webhook-signature", swSignature(id, timestamp, body));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, MultiMap headers, byte[] body) throws Exception {
    return await(client.request(method, path).putHeaders(headers).timeout(10_000)
        .sendBuffer(Buffer.buffer(body == null ? new byte[0] : body)));
  }

  HttpResponse<Buffer> post(String path, MultiMap headers, byte[] body) throws Exception {
    return send(HttpMethod.POST, path, headers, body);
  }

  /** After any bad webhook: a good one is still answered 202 and reaches the sink. */
  void assertAValidWebhookIsStillAccepted() throws Exception {
    int before = received.size();
    String taskId = "valid-" + validCount.incrementAndGet();
    byte[] body = ("{\"eventId\":" + (900_000 + validCount.get()) + ",\"response\":{}}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<Buffer> response = post(perTask("documents", taskId), ceSigned(body), body);
    assertThat(response.statusCode()).as("a valid webhook after the bad one").isEqualTo(202);
    assertThat(received).hasSize(before + 1);
  }

  /** The secrets of this run, plus whatever per-request secrets the caller sent (right tokens, signatures). */
  List<String> secrets(String... sent) {
    List<String> secrets = new ArrayList<>(List.of(signatureKey, whsec, whsec.substring("whsec_".length()), tokenSecret,
        ceAuthorization));
    for (String value : sent) {
      if (value != null && value.length() >= 8) {
        secrets.add(value);
      }
    }
    return secrets;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    client.close();
    await(server.close());
    await(vertx.close());
  }
}
