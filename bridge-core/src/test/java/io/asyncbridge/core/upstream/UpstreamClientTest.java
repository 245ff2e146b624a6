package io.asyncbridge.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.testkit.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client against a real HTTP server on loopback that plays token endpoint and API. */
class UpstreamClientTest {

  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicReference<String> validToken = new AtomicReference<>();
  private final AtomicInteger apiCalls = new AtomicInteger();
  private final List<String> seenAuthorizations = new ArrayList<>();
  private volatile String expectedSecret = "right-secret";
  private volatile int apiDelayMillis;
  private volatile int apiBodyBytes = 2;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private UpstreamMeters meters;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/oauth/token")) {
        request.body().onSuccess(body -> {
          if (!body.toString().contains("client_secret=" + expectedSecret)) {
            request.response().setStatusCode(401).end("{\"error\":\"invalid_client\"}");
            return;
          }
          String token = "token-" + tokensIssued.incrementAndGet();
          validToken.set(token);
          request.response().putHeader("Content-Type", "application/json")
              .end("{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":300}");
        });
        return;
      }
      apiCalls.incrementAndGet();
      String authorization = request.getHeader("Authorization");
      synchronized (seenAuthorizations) {
        seenAuthorizations.add(authorization);
      }
      if (!("Bearer " + validToken.get()).equals(authorization)) {
        request.response().setStatusCode(401).end("{\"error\":\"invalid_token\"}");
        return;
      }
      if (request.path().equals("/api/echo")) {
        request.response().setStatusCode(422).end("{\"error\":\"bad\",\"you sent\":\"" + authorization + "\"}");
        return;
      }
      vertx.setTimer(Math.max(1, apiDelayMillis), id -> {
        if (!request.response().closed()) {
          request.response().setStatusCode(202).end("x".repeat(apiBodyBytes));
        }
      });
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ProviderConfig provider() {
    String base = "http://127.0.0.1:" + server.actualPort();
    return new BridgeConfigLoader(Map.of()).parse("test", """
        providers:
          acquia:
            type: acquia
            baseUrl: %s/api
            tokenUrl: %s/oauth/token
            clientId: id
            clientSecret: right-secret
        """.formatted(base, base)).provider("acquia").orElseThrow();
  }

  private UpstreamClient client(Clock clock, int maxBodyBytes) {
    ProviderConfig provider = provider();
    meters = UpstreamMeters.of(
        new ServiceMeters(registry, "poller", new BridgeConfig(null, null, null, Map.of("acquia", provider))), "acquia");
    return UpstreamClient.forProvider(provider,
        new HttpExchange(vertx, vertx.createHttpClient(), maxBodyBytes), clock, meters);
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/api" + path);
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void manyConcurrentCallsShareOneToken() throws Exception {
    UpstreamClient client = client(Clock.systemUTC(), 1024);

    List<Future<UpstreamResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(client.send(UpstreamRequest.get(api("/notifications/" + i), Duration.ofSeconds(20))));
    }
    await(Future.all(calls));

    assertThat(calls).allSatisfy(call -> assertThat(call.result().status()).isEqualTo(202));
    assertThat(tokensIssued).hasValue(1);
    assertThat(((OAuth2TokenCache) client.authorizer()).tokensFetched()).isEqualTo(1);
    assertThat(meters.tokenFetches(UpstreamMeters.TokenOutcome.SUCCESS)).isEqualTo(1);
    assertThat(registry.get(UpstreamMeters.TOKEN_REFRESHES)
        .tags("service", "poller", "provider", "acquia", "outcome", "success").counter().count()).isEqualTo(1);
  }

  @Test
  void aRevokedTokenIsRefreshedOnceAndTheCallRetried() throws Exception {
    UpstreamClient client = client(Clock.systemUTC(), 1024);
    await(client.send(UpstreamRequest.get(api("/a"), Duration.ofSeconds(20))));
    validToken.set("revoked-by-upstream");

    List<Future<UpstreamResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(client.send(UpstreamRequest.get(api("/b" + i), Duration.ofSeconds(20))));
    }
    await(Future.join(calls));

    assertThat(calls).allSatisfy(call -> assertThat(call.result().status()).isEqualTo(202));
    assertThat(tokensIssued).as("one refresh for the whole batch, not one per call").hasValue(2);
  }

  @Test
  void refreshesBeforeExpiry() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    UpstreamClient client = client(clock, 1024);

    await(client.send(UpstreamRequest.get(api("/a"), Duration.ofSeconds(20))));
    clock.advance(Duration.ofSeconds(200));
    await(client.send(UpstreamRequest.get(api("/b"), Duration.ofSeconds(20))));
    assertThat(tokensIssued).hasValue(1);

    clock.advance(Duration.ofSeconds(80)); // 280 s: inside the 30 s refresh margin of a 300 s token
    await(client.send(UpstreamRequest.get(api("/c"), Duration.ofSeconds(20))));
    assertThat(tokensIssued).hasValue(2);
  }

  /** Many refreshes in a row: a fetch whose answer came before its bookkeeping once pinned the old token for good. */
  @Test
  void everyRefreshFetchesAFreshToken() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    UpstreamClient client = client(clock, 1024);

    for (int refresh = 1; refresh <= 200; refresh++) {
      await(client.send(UpstreamRequest.get(api("/r" + refresh), Duration.ofSeconds(20))));
      assertThat(tokensIssued).as("tokens after call %d", refresh).hasValue(refresh);
      clock.advance(Duration.ofSeconds(280));
    }
  }

  @Test
  void aWrongSecretFailsFastWithoutAStorm() throws Exception {
    expectedSecret = "something-else";
    UpstreamClient client = client(Clock.systemUTC(), 1024);

    List<Future<UpstreamResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(client.send(UpstreamRequest.get(api("/x" + i), Duration.ofSeconds(20))));
    }
    await(Future.join(calls).recover(failure -> Future.succeededFuture()));
    Future<UpstreamResponse> later = client.send(UpstreamRequest.get(api("/y"), Duration.ofSeconds(20)));
    await(later.map(ok -> (Object) ok).recover(failure -> Future.succeededFuture()));

    assertThat(calls).allSatisfy(call -> assertThat(call.cause()).isInstanceOfSatisfying(UpstreamException.class,
        e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.AUTH_REJECTED)));
    assertThat(later.cause()).hasMessageContaining("refused the client credentials (HTTP 401, invalid_client)")
        .hasMessageNotContaining("something-else").hasMessageNotContaining("right-secret");
    assertThat(apiCalls).as("no API call without a token").hasValue(0);
    assertThat(meters.tokenFetches(UpstreamMeters.TokenOutcome.REJECTED)).isEqualTo(1);
    assertThat(meters.tokenFetches(UpstreamMeters.TokenOutcome.SUCCESS)).isZero();
    assertThat(meters.errors(UpstreamException.Kind.AUTH_REJECTED)).as("every call, the remembered refusal too")
        .isEqualTo(31);
  }

  @Test
  void refusesHostsOutsideTheAllowList() {
    UpstreamClient client = client(Clock.systemUTC(), 1024);

    assertThatThrownBy(() -> await(client.send(UpstreamRequest.get(URI.create("http://169.254.169.254/latest"),
        Duration.ofSeconds(1)))))
        .isInstanceOfSatisfying(UpstreamException.class,
            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.HOST_NOT_ALLOWED));
    assertThat(tokensIssued).hasValue(0);
    assertThat(meters.errors(UpstreamException.Kind.HOST_NOT_ALLOWED)).isEqualTo(1);
    assertThat(meters.errors(UpstreamException.Kind.TIMEOUT)).isZero();
  }

  @Test
  void slowAnswersTimeOut() {
    apiDelayMillis = 2_000;
    UpstreamClient client = client(Clock.systemUTC(), 1024);

    assertThatThrownBy(() -> await(client.send(UpstreamRequest.get(api("/slow"), Duration.ofMillis(300)))))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
          assertThat(e.kind().retriable()).isTrue();
        });
  }

  @Test
  void hugeAnswersAreCutOff() {
    apiBodyBytes = 64 * 1024;
    UpstreamClient client = client(Clock.systemUTC(), 1024);

    assertThatThrownBy(() -> await(client.send(UpstreamRequest.get(api("/huge"), Duration.ofSeconds(20)))))
        .isInstanceOfSatisfying(UpstreamException.class,
            e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RESPONSE_TOO_LARGE));
  }

  @Test
  void connectionRefusedIsRetriable() throws Exception {
    int port = server.actualPort();
    await(server.close());
    UpstreamClient client = client(Clock.systemUTC(), 1024);

    assertThatThrownBy(() -> await(client.send(UpstreamRequest.get(
        URI.create("http://127.0.0.1:" + port + "/api/x"), Duration.ofSeconds(2)))))
        .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind().retriable()).isTrue());
  }

  @Test
  void anAnswerEchoingTheCredentialHasItRedacted() throws Exception {
    UpstreamResponse answer = await(client(Clock.systemUTC(), 1024).send(UpstreamRequest.get(api("/echo"), Duration.ofSeconds(20))));

    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.bodyText()).isEqualTo("{\"error\":\"bad\",\"you sent\":\"****\"}");
  }

  @Test
  void redactionReplacesEveryOccurrenceOfLongValuesOnly() {
    UpstreamResponse response = new UpstreamResponse(400, Map.of(),
        "{\"a\":\"User u-0123456789, Element e-0123456789\",\"b\":\"e-0123456789\",\"c\":\"short\"}".getBytes());

    UpstreamResponse redacted = response.redacted(UpstreamClient.credentialValues(
        java.util.Optional.of(Map.entry("Authorization", "User u-0123456789, Element e-0123456789"))));

    assertThat(redacted.bodyText()).isEqualTo("{\"a\":\"****\",\"b\":\"****\",\"c\":\"short\"}");
    assertThat(response.redacted(List.of("short")).bodyText()).as("too short to be a secret").contains("short");
    assertThat(redacted.status()).isEqualTo(400);
  }
}
