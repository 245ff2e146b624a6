package io.asyncbridge.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.ratelimit.UpstreamRateLimit;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.request.ParsedRequest;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Starting calls wait for a token of {@code dispatch.rateLimit} (this instance's share of it), and a 429 with
 * Retry-After holds back every starting call of its provider, not only the task that got it. A refused call is not
 * sent and not lost: {@code tryDispatch} says false and the topology asks again later.
 */
class HttpUpstreamDispatcherRateLimitTest {

  private final Vertx vertx = Vertx.vertx();
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final AtomicInteger calls = new AtomicInteger();
  private HttpServer upstream;
  private HttpUpstreamDispatcher dispatcher;
  private ServiceMeters meters;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = vertx.createHttpServer().requestHandler(request -> {
      calls.incrementAndGet();
      if (request.path().equals("/busy")) {
        request.response().setStatusCode(429).putHeader("Retry-After", "30").end();
        return;
      }
      request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
          .end("{\"link\":\"http://127.0.0.1:" + request.localAddress().port() + "/notifications/1\"}");
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("bridge.yaml", """
        kafka: {bootstrapServers: localhost:9}
        providers:
          api:
            type: generic
            mode: poll
            baseUrl: http://127.0.0.1:%1$d
            notificationLinkPointer: /link
            status: {succeeded: [done]}
          limited:
            type: generic
            mode: poll
            baseUrl: http://127.0.0.1:%1$d
            notificationLinkPointer: /link
            status: {succeeded: [done]}
            dispatch: {rateLimit: 0.01}
        """.formatted(upstream.actualPort()));
    meters = ServiceMeters.forTests("ingest", config);
    dispatcher = new HttpUpstreamDispatcher(config, vertx, producer,
        new UpstreamCallBuilder(EventJson.newMapper(), Optional.empty(), Optional.empty()), EventJson.newMapper(),
        Clock.systemUTC(), meters, new UpstreamCredentials());
  }

  @AfterEach
  void stop() throws Exception {
    dispatcher.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRateLimitedProviderStartsCallsOnlyWithATokenOfItsShare() {
    assertThat(dispatcher.rateLimit("api")).as("no dispatch.rateLimit, no bucket").isNull();
    assertThat(dispatcher.tryDispatch(job("t1", "limited", "/jobs"))).as("no requests partition owned").isFalse();

    dispatcher.partitionsOwned(2, 6); // a third of 0.01/s: one token to start with, the next in 300 s
    assertThat(dispatcher.tryDispatch(job("t1", "limited", "/jobs"))).isTrue();
    assertThat(dispatcher.tryDispatch(job("t2", "limited", "/jobs"))).as("waits for a token").isFalse();
    assertThat(dispatcher.tryDispatch(job("t3", "api", "/jobs"))).as("another provider is not held").isTrue();

    assertThat(dispatcher.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(calls.get()).isEqualTo(2);
    assertThat(dispatcher.inFlight("limited")).isZero();
    assertThat(meters.registry().get(UpstreamRateLimit.LIMIT).tags("provider", "limited", "kind", "dispatch")
        .gauge().value()).isCloseTo(0.01 / 3, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(meters.registry().get(UpstreamRateLimit.WAIT).tags("provider", "limited", "kind", "dispatch")
        .timer().count()).as("one call started under the limit").isEqualTo(1);
  }

  @Test
  void aRetryAfterHoldsBackEveryStartingCallOfTheProvider() {
    assertThat(dispatcher.tryDispatch(job("busy-1", "api", "/busy"))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    DispatchEvent answer = JsonSerde.of(DispatchEvent.class).deserialize("results", producer.history().get(0).value());
    assertThat(answer.outcome()).isEqualTo(DispatchEvent.Outcome.RETRY);
    assertThat(answer.retryAfterMillis()).isEqualTo(30_000L);

    assertThat(dispatcher.tryDispatch(job("other", "api", "/jobs"))).as("another task waits for the Retry-After")
        .isFalse();
    assertThat(dispatcher.inFlight("api")).isZero();
    assertThat(calls.get()).isEqualTo(1);
  }

  private static DispatchJob job(String taskId, String provider, String path) {
    byte[] json = ("{\"taskId\":\"" + taskId + "\",\"provider\":\"" + provider + "\",\"method\":\"POST\",\"path\":\""
        + path + "\",\"body\":{\"name\":\"x\"}}").getBytes(StandardCharsets.UTF_8);
    TaskRequest request = ((ParsedRequest.Valid) RequestParser.create().parse(json)).request();
    return new DispatchJob(taskId, 1, 2, request, Instant.now().plus(Duration.ofMinutes(5)));
  }
}
