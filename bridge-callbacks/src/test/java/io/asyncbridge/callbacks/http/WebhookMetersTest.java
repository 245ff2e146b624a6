package io.asyncbridge.callbacks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.callbacks.correlation.WebhookReceived;
import io.asyncbridge.callbacks.testing.Signatures;
import io.asyncbridge.callbacks.testing.TestConfigs;
import io.asyncbridge.callbacks.webhook.WebhookSink;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.http.ErrorResponder;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.testkit.time.MutableClock;
import io.micrometer.core.instrument.search.Search;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every answer of the webhook routes is counted by provider and status; paths cannot add series. */
@ExtendWith(VertxExtension.class)
class WebhookMetersTest {

  private final BridgeConfig config = TestConfigs.config();
  private final CallbackTokens tokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
  private final ServiceMeters meters = ServiceMeters.forTests("callbacks", config);
  private final WebhookMeters webhookMeters = new WebhookMeters(meters);
  private WebhookServer server;
  private WebClient client;

  /** Confirms every webhook at once. */
  private static final class ConfirmingSink implements WebhookSink {
    @Override
    public CompletionStage<Void> send(WebhookReceived webhook) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
    }
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Map<String, CallbackProvider> providers = new HashMap<>();
    for (ProviderConfig provider : config.providers().values()) {
      CallbackProvider callback = CallbackProvider.of(provider);
      if (callback != null) {
        providers.put(provider.name(), callback);
      }
    }
    WebhookHandler handler = new WebhookHandler(config.providers().keySet(), providers, tokens, new ConfirmingSink(),
        new MutableClock(Instant.parse("2026-11-23T10:00:00Z")), Duration.ofSeconds(2), new InFlightWebhooks());
    server = new WebhookServer(vertx, WebhookRoutes.create(vertx, handler, new HealthHandler(() -> true),
        new ErrorResponder(WebhookRoutes.errorEndpoint(config.callbacks())),
        config.callbacks().maxBodyBytes(), config.callbacks().bodyReadTimeout(), webhookMeters), "127.0.0.1", 0);
    int port = await(server.start());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    await(server.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int post(String path, byte[] body, boolean signed) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json");
    if (signed) {
      headers.set("Elements-Webhook-Signature", Signatures.cloudElements(TestConfigs.CE_KEY, body));
    }
    return await(client.post(path).putHeaders(headers).sendBuffer(Buffer.buffer(body))).statusCode();
  }

  @Test
  void answersAreCountedByProviderAndStatus() throws Exception {
    byte[] body = "{\"eventId\": 7}".getBytes(StandardCharsets.UTF_8);
    String route = CallbackTokens.ROUTE_PREFIX + "documents/t-1/" + tokens.tokenFor("documents", "t-1");

    assertThat(post(route, body, true)).isEqualTo(202);
    assertThat(post(route, body, true)).isEqualTo(202);
    assertThat(post("/callbacks/documents", body, false)).isEqualTo(401);
    assertThat(post("/callbacks/someone-else-" + System.nanoTime(), body, false)).isEqualTo(404);
    assertThat(await(client.get("/health/ready").send()).statusCode()).isEqualTo(200);

    assertThat(webhookMeters.count("documents", 202)).isEqualTo(2);
    assertThat(webhookMeters.count("documents", 401)).isEqualTo(1);
    assertThat(meters.registry().get(WebhookMeters.ANSWERS).tags("service", "callbacks", "provider", "unknown",
        "status", "404").counter().count()).as("an unknown provider's name is not a tag value").isEqualTo(1);
    assertThat(Search.in(meters.registry()).name(WebhookMeters.ANSWERS).counters())
        .as("health checks are not webhooks").hasSize(3);
  }
}
