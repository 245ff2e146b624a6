package io.asyncbridge.poller.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.TaskMode;
import io.asyncbridge.core.upstream.HttpExchange;
import io.asyncbridge.core.upstream.UpstreamClient;
import io.asyncbridge.core.upstream.UpstreamRequest;
import io.asyncbridge.poller.poll.ObservationSink;
import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.schemas.EventJson;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls notification resources with Vert.x's non-blocking HTTP client: per provider an {@link UpstreamClient}
 * (allow-list check of the notification host, OAuth2 token shared by all polls) and a cap on polls in flight
 * ({@code poll.concurrency}). Each answer is classified and handed to the {@link ObservationSink}.
 */
public final class HttpPollDispatcher implements PollDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(HttpPollDispatcher.class);

  private final Map<String, Lane> lanes = new HashMap<>();
  private final HttpClient httpClient;
  private final Context context;
  private final ObservationSink sink;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** One provider's client, rules and concurrency budget. */
  private record Lane(UpstreamClient client, NotificationClassifier classifier, int limit, Duration timeout,
      AtomicInteger inFlight) {
  }

  public HttpPollDispatcher(BridgeConfig config, Vertx vertx, ObservationSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
    int poolSize = config.providers().values().stream().filter(p -> p.mode() == TaskMode.POLL)
        .mapToInt(p -> p.poll().concurrency()).max().orElse(1);
    // Vert.x pools 5 connections per host by default; polls to one host must be able to use their whole budget.
    this.httpClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1));
    // One event-loop context for all polls: callbacks then run in order on one thread, and two cores need no more.
    this.context = vertx.getOrCreateContext();
    HttpExchange exchange = new HttpExchange(vertx, httpClient, UpstreamClient.DEFAULT_MAX_BODY_BYTES);
    ObjectMapper json = EventJson.newMapper();
    for (ProviderConfig provider : config.providers().values()) {
      if (provider.mode() == TaskMode.POLL) {
        lanes.put(provider.name(), new Lane(UpstreamClient.forProvider(provider, exchange, clock),
            new NotificationClassifier(provider.status(), json), provider.poll().concurrency(),
            provider.poll().requestTimeout(), new AtomicInteger()));
      }
    }
  }

  @Override
  public boolean tryDispatch(PollJob job) {
    Lane lane = lanes.get(job.provider());
    if (lane == null || closed.get()) {
      return false;
    }
    if (lane.inFlight().incrementAndGet() > lane.limit()) {
      lane.inFlight().decrementAndGet();
      return false;
    }
    context.runOnContext(ignored -> send(job, lane));
    return true;
  }

  /** Polls in flight for a provider (for tests and metrics). */
  public int inFlight(String provider) {
    Lane lane = lanes.get(provider);
    return lane == null ? 0 : lane.inFlight().get();
  }

  private void send(PollJob job, Lane lane) {
    URI url;
    try {
      url = URI.create(job.url());
    } catch (IllegalArgumentException invalid) {
      finish(job, lane, new PollObservation(job.taskId(), job.attempt(), clock.instant(),
          PollOutcome.FATAL, null, null, 0, null, null, "notification_url_invalid",
          "the notification link is not a valid URL"));
      return;
    }
    try {
      lane.client().send(UpstreamRequest.get(url, lane.timeout())).onComplete(result -> {
        PollObservation observation;
        try {
          observation = result.succeeded()
              ? lane.classifier().classify(job, result.result(), clock.instant())
              : lane.classifier().classify(job, result.cause(), clock.instant());
        } catch (RuntimeException unexpected) {
          // Whatever the answer was, the slot must be given back and the task must hear something.
          LOG.error("task {} provider {}: cannot classify the answer to poll {}", job.taskId(), job.provider(),
              job.attempt(), unexpected);
          observation = new PollObservation(job.taskId(), job.attempt(), clock.instant(), PollOutcome.RETRY, null,
              null, 0, null, null, "notification_unreadable", "the answer could not be classified");
        }
        finish(job, lane, observation);
      });
    } catch (RuntimeException unexpected) {
      LOG.error("task {} provider {}: poll could not be sent", job.taskId(), job.provider(), unexpected);
      finish(job, lane, lane.classifier().classify(job, unexpected, clock.instant()));
    }
  }

  private void finish(PollJob job, Lane lane, PollObservation observation) {
    lane.inFlight().decrementAndGet();
    if (closed.get()) {
      return; // the task's lease expires and another instance polls again
    }
    LOG.debug("task {} provider {}: attempt {} -> {}", job.taskId(), job.provider(), job.attempt(),
        observation.outcome());
    try {
      sink.publish(job, observation);
    } catch (RuntimeException failure) {
      LOG.warn("task {} provider {}: observation not published: {}", job.taskId(), job.provider(), failure.toString());
    }
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
      LOG.warn("poll HTTP client did not close cleanly: {}", e.toString());
    }
    sink.close();
  }
}
