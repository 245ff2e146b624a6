package io.asyncbridge.callbacks.http;

import io.asyncbridge.callbacks.cancel.CancelAnswer;
import io.asyncbridge.callbacks.cancel.CancelCalls;
import io.asyncbridge.callbacks.cancel.CancelJob;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.CancelCall;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.ratelimit.CallGate;
import io.asyncbridge.core.ratelimit.TokenBucket;
import io.asyncbridge.core.upstream.HttpExchange;
import io.asyncbridge.core.upstream.UpstreamClient;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.core.upstream.UpstreamMeters;
import io.asyncbridge.core.upstream.UpstreamRequest;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.schemas.task.TaskMode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancel calls of {@code generic} callback-mode providers that declare {@code cancel: {method, path}} with
 * {@code {correlationId}}. One HTTP client for the service and one lane per provider, built once: its
 * {@link UpstreamClient} (credentials, OAuth2 token cache, outbound host policy), {@code dispatch.requestTimeout},
 * at most {@code dispatch.concurrency} calls in flight, {@code dispatch.rateLimit} at this instance's share of the
 * webhooks topic's partitions, and a Retry-After gate that a 429 or 503 closes for every cancel call of the provider.
 */
public final class HttpCancelCalls implements CancelCalls, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpCancelCalls.class);

  /** One provider's cancel call, client and call gate (concurrency, rate limit, Retry-After), built once. */
  private record Lane(ProviderConfig provider, CancelCall call, UpstreamClient client, CallGate gate) {
  }

  private final Map<String, Lane> lanes = new HashMap<>();
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private final int partitions;
  private final HttpClient httpClient;
  private final Context context;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param partitions how many partitions the webhooks topic has (the rate limits' shares are taken of it)
   * @param credentials where a configuration reload finds these clients' credentials
   */
  public HttpCancelCalls(BridgeConfig config, Vertx vertx, Clock clock, ServiceMeters meters,
      UpstreamCredentials credentials, int partitions) {
    this.clock = clock;
    this.partitions = Math.max(1, partitions);
    int poolSize = config.providers().values().stream()
        .filter(p -> p.mode() == TaskMode.CALLBACK && p.cancel().isPresent())
        .mapToInt(p -> p.dispatch().concurrency()).max().orElse(1);
    // Vert.x pools 5 connections per host by default: a few slow cancel calls must not hold up the others.
    this.httpClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1));
    this.context = vertx.getOrCreateContext();
    HttpExchange exchange = new HttpExchange(vertx, httpClient, UpstreamClient.DEFAULT_MAX_BODY_BYTES);
    for (ProviderConfig provider : config.providers().values()) {
      if (provider.mode() != TaskMode.CALLBACK || provider.cancel().isEmpty()) {
        continue;
      }
      // A Retry-After holds the provider's cancel calls back for at most dispatch.maxBackoff, as it does ingest's.
      CallGate gate = CallGate.of(provider.name(), "cancel", provider.dispatch().concurrency(),
          provider.dispatch().rateLimit(), provider.dispatch().maxBackoff(), TokenBucket.nanosOf(clock), meters);
      lanes.put(provider.name(), new Lane(provider, provider.cancel().get(),
          credentials.clientFor(provider, exchange, clock, UpstreamMeters.of(meters, provider.name())), gate));
    }
  }

  @Override
  public boolean cancels(String provider) {
    return lanes.containsKey(provider);
  }

  @Override
  public Duration timeout(String provider) {
    Lane lane = lanes.get(provider);
    return lane == null ? Duration.ZERO : lane.provider().dispatch().requestTimeout();
  }

  @Override
  public void partitionOwned(int partition) {
    owned.add(partition);
    share();
  }

  @Override
  public void partitionReleased(int partition) {
    owned.remove(partition);
    share();
  }

  private void share() {
    for (Lane lane : lanes.values()) {
      lane.gate().partitions(Math.min(owned.size(), partitions), partitions);
    }
  }

  @Override
  public Start tryCancel(CancelJob job) {
    Lane lane = lanes.get(job.provider());
    if (lane == null || closed.get()) {
      return Start.UNAVAILABLE;
    }
    if (job.correlationId() == null || job.correlationId().isEmpty()) {
      LOG.warn("task {} provider {}: no correlation id to name in the cancel call", job.taskId(), job.provider());
      return Start.UNAVAILABLE;
    }
    URI url;
    try {
      url = URI.create(lane.call().urlForCorrelation(lane.provider().baseUrl().toString(), job.correlationId()));
    } catch (IllegalArgumentException invalid) {
      LOG.warn("task {} provider {}: the cancel call's URL is not valid", job.taskId(), job.provider());
      return Start.UNAVAILABLE;
    }
    if (!lane.gate().tryStart(job.taskId())) {
      return Start.NOT_NOW;
    }
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    if (job.trace() != null) {
      job.trace().addTo(headers);
    }
    UpstreamRequest request = new UpstreamRequest(lane.call().method(), url, headers, new byte[] {'{', '}'},
        lane.provider().dispatch().requestTimeout());
    context.runOnContext(ignored -> send(job, lane, request));
    return Start.STARTED;
  }

  private void send(CancelJob job, Lane lane, UpstreamRequest request) {
    Future<UpstreamResponse> sent;
    try {
      sent = lane.client().send(request);
    } catch (RuntimeException unexpected) {
      sent = Future.failedFuture(unexpected);
    }
    sent.onComplete(result -> {
      lane.gate().finished();
      CancelAnswer answer;
      if (result.failed()) {
        LOG.info("task {} provider {}: cancel call failed: {}", job.taskId(), job.provider(),
            result.cause().toString());
        answer = new CancelAnswer(job.key(), job.taskId(), job.attempt(), CancelAnswer.Outcome.NO_ANSWER, 0);
      } else {
        UpstreamResponse response = result.result();
        if (response.status() == 429 || response.status() == 503) {
          // The upstream's quota is the provider's: the next cancel calls of it wait too.
          response.retryAfter(clock.instant()).ifPresent(lane.gate()::holdBack);
        }
        answer = new CancelAnswer(job.key(), job.taskId(), job.attempt(), response.isSuccess()
            ? CancelAnswer.Outcome.ACCEPTED : CancelAnswer.Outcome.REFUSED, response.status());
      }
      if (!closed.get()) {
        job.replyTo().offer(answer);
      }
    });
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      httpClient.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("cancel HTTP client did not close cleanly: {}", e.toString());
    }
  }
}
