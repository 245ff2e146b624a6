package io.asyncbridge.poller.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.ratelimit.CallGate;
import io.asyncbridge.core.ratelimit.TokenBucket;
import io.asyncbridge.core.ratelimit.UpstreamRateLimit;
import io.asyncbridge.core.trace.BridgeTracing;
import io.asyncbridge.core.upstream.HttpExchange;
import io.asyncbridge.core.upstream.RelativeLinks;
import io.asyncbridge.core.upstream.UpstreamClient;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.core.upstream.UpstreamMeters;
import io.asyncbridge.core.upstream.UpstreamRequest;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.poller.poll.CancelCaller;
import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.trace.TraceContext;
import io.vertx.core.Context;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls notification resources with Vert.x's non-blocking HTTP client: per provider an {@link UpstreamClient}
 * (allow-list check of the notification host, OAuth2 token shared by all polls) and a cap on polls in flight
 * ({@code poll.concurrency}), and its rate limit ({@code poll.rateLimit}, this instance's share of it). A 429 or 503
 * with Retry-After holds back every poll of its provider until then. Each answer is classified and offered to the queue of the stream task that asked.
 * A provider's other calls (its cancel calls, {@link #tryCall}) go through the same lane: one connection pool, one
 * token cache, one concurrency budget, rate limit and Retry-After gate per provider.
 */
public final class HttpPollDispatcher implements PollDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(HttpPollDispatcher.class);
  public static final String POLLS = "bridge.poll.duration";
  public static final String IN_FLIGHT = "bridge.poll.in.flight";

  private final Map<String, Lane> lanes = new HashMap<>();
  private final HttpClient httpClient;
  private final Context context;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final BridgeTracing tracing;

  /**
   * One provider's client, rules, call gate (concurrency, rate limit, Retry-After) and poll timers, created once: polls
   * look nothing up.
   */
  private record Lane(UpstreamClient client, NotificationClassifier classifier, Duration timeout, CallGate gate,
      Map<PollOutcome, io.micrometer.core.instrument.Timer> timers, boolean honourRetryAfter) {
  }

  /** @param meters where polls are timed by outcome, and polls in flight and upstream errors are counted */
  public HttpPollDispatcher(BridgeConfig config, Vertx vertx, Clock clock, ServiceMeters meters) {
    this(config, vertx, clock, meters, new UpstreamCredentials());
  }

  /** @param credentials where a configuration reload finds this dispatcher's upstream credentials */
  public HttpPollDispatcher(BridgeConfig config, Vertx vertx, Clock clock, ServiceMeters meters,
      UpstreamCredentials credentials) {
    this.clock = clock;
    this.tracing = meters.tracing();
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
        // A Retry-After holds the provider back for at most poll.maxInterval.
        CallGate gate = CallGate.of(provider.name(), "poll", provider.poll().concurrency(),
            provider.poll().rateLimit(), provider.poll().maxInterval(), TokenBucket.nanosOf(clock), meters);
        Lane lane = new Lane(
            credentials.clientFor(provider, exchange, clock, UpstreamMeters.of(meters, provider.name())),
            new NotificationClassifier(provider.status(), json), provider.poll().requestTimeout(), gate,
            timers(meters, provider.name()), provider.poll().honourRetryAfter());
        lanes.put(provider.name(), lane);
        meters.gauge(IN_FLIGHT, "polls in flight (poll.concurrency bounds it)", provider.name(), gate::inFlight);
      }
    }
  }

  private static Map<PollOutcome, io.micrometer.core.instrument.Timer> timers(ServiceMeters meters, String provider) {
    Map<PollOutcome, io.micrometer.core.instrument.Timer> timers = new EnumMap<>(PollOutcome.class);
    for (PollOutcome outcome : PollOutcome.values()) {
      timers.put(outcome, meters.timer(POLLS, "polls of notification resources, by what the answer meant", provider,
          outcome.name().toLowerCase(java.util.Locale.ROOT)));
    }
    return timers;
  }

  @Override
  public boolean tryDispatch(PollJob job) {
    Lane lane = lanes.get(job.provider());
    if (lane == null || closed.get()) {
      return false;
    }
    if (!lane.gate().tryStart(job.taskId())) {
      return false; // the task stays due in the schedule and asks again on a later tick
    }
    context.runOnContext(ignored -> send(job, lane));
    return true;
  }

  /**
   * Starts a call other than a poll (a cancel call) in the provider's lane, so that it shares the polls' client (pool
   * and token cache), concurrency budget, rate limit and Retry-After gate; a 429 or 503 with Retry-After to it holds
   * back the provider's polls too. The answer, or the failure, goes to {@code onAnswer} on the dispatcher's event
   * loop (not after {@link #close}).
   *
   * @return {@code NOT_NOW} when the lane holds the call back; {@code UNAVAILABLE} for a provider this dispatcher does
   *     not poll, or once closed
   */
  public CancelCaller.Start tryCall(String provider, String taskId, UpstreamRequest request,
      Handler<AsyncResult<UpstreamResponse>> onAnswer) {
    Lane lane = lanes.get(provider);
    if (lane == null || closed.get()) {
      return CancelCaller.Start.UNAVAILABLE;
    }
    if (!lane.gate().tryStart(taskId)) {
      return CancelCaller.Start.NOT_NOW;
    }
    context.runOnContext(ignored -> {
      Future<UpstreamResponse> sent;
      try {
        sent = lane.client().send(request);
      } catch (RuntimeException unexpected) {
        sent = Future.failedFuture(unexpected);
      }
      sent.onComplete(result -> {
        lane.gate().finished();
        if (result.succeeded() && lane.honourRetryAfter()
            && (result.result().status() == 429 || result.result().status() == 503)) {
          result.result().retryAfter(clock.instant()).ifPresent(lane.gate()::holdBack);
        }
        if (!closed.get()) {
          onAnswer.handle(result);
        }
      });
    });
    return CancelCaller.Start.STARTED;
  }

  /**
   * Takes, for every provider with {@code poll.rateLimit}, the share of the limit that matches the share of the
   * tasks topic's partitions this instance owns (called on every assignment change).
   */
  public void partitionsOwned(int owned, int total) {
    for (Lane lane : lanes.values()) {
      lane.gate().partitions(owned, total);
    }
  }

  /** The rate limit of a provider's polls on this instance, or null when it has none (for tests). */
  public UpstreamRateLimit rateLimit(String provider) {
    Lane lane = lanes.get(provider);
    return lane == null ? null : lane.gate().rateLimit();
  }

  /** Polls in flight for a provider (for tests and metrics). */
  public int inFlight(String provider) {
    Lane lane = lanes.get(provider);
    return lane == null ? 0 : lane.gate().inFlight();
  }

  private void send(PollJob job, Lane lane) {
    long sentAt = System.nanoTime();
    URI url;
    try {
      url = URI.create(job.url());
    } catch (IllegalArgumentException invalid) {
      finish(job, lane, sentAt, new PollObservation(job.taskId(), job.attempt(), clock.instant(),
          PollOutcome.FATAL, null, null, 0, null, null, ErrorCode.NOTIFICATION_URL_INVALID.code(),
          "the notification link is not a valid URL"));
      return;
    }
    BridgeTracing.Call call = tracing.startCall("poll", job.trace(), job.taskId(), job.provider(), job.attempt(), "GET",
        url);
    TraceContext trace = call.propagated();
    try {
      lane.client().send(request(trace, url, lane.timeout()))
          .compose(response -> followSeeOther(lane, url, trace, response)).onComplete(result -> {
        PollObservation observation;
        try {
          if (result.failed()) {
            observation = lane.classifier().classify(job, result.cause(), clock.instant());
          } else if (result.result().seeOther()) {
            observation = lane.classifier().classifyFinalResource(job, result.result().response(), clock.instant());
          } else {
            observation = lane.classifier().classify(job, result.result().response(), clock.instant());
          }
        } catch (RuntimeException unexpected) {
          // Whatever the answer was, the slot must be given back and the task must hear something.
          LOG.error("task {} provider {}: cannot classify the answer to poll {}", job.taskId(), job.provider(),
              job.attempt(), unexpected);
          observation = new PollObservation(job.taskId(), job.attempt(), clock.instant(), PollOutcome.RETRY, null,
              null, 0, null, null, ErrorCode.NOTIFICATION_UNREADABLE.code(), "the answer could not be classified");
        }
        finish(job, lane, sentAt, observation, call);
      });
    } catch (RuntimeException unexpected) {
      LOG.error("task {} provider {}: poll could not be sent", job.taskId(), job.provider(), unexpected);
      finish(job, lane, sentAt, lane.classifier().classify(job, unexpected, clock.instant()), call);
    }
  }

  /** An answer to a poll; {@code seeOther}: the final resource a 303 See Other from the status monitor led to. */
  private record Answer(UpstreamResponse response, boolean seeOther) {
  }

  /**
   * A status monitor that answers 303 See Other is done, and its {@code Location} is the final resource (RFC 9110
   * 15.4.4, the Azure convention): fetch it once, relative links resolved against the poll's URL, with the host policy
   * of every call. Nothing else is followed: any other redirect stays an answer the classifier refuses.
   */
  private Future<Answer> followSeeOther(Lane lane, URI pollUrl, TraceContext trace, UpstreamResponse response) {
    Optional<String> location = response.header("Location").map(String::trim).filter(text -> !text.isEmpty());
    if (response.status() != 303 || location.isEmpty()) {
      return Future.succeededFuture(new Answer(response, false));
    }
    URI target;
    try {
      target = RelativeLinks.resolve(pollUrl, location.get());
    } catch (URISyntaxException | IllegalArgumentException invalid) {
      return Future.succeededFuture(new Answer(response, false)); // classified as the 303 it is, naming no URL
    }
    return lane.client().send(request(trace, target, lane.timeout())).map(finalAnswer -> new Answer(finalAnswer, true));
  }

  /**
   * A GET of the notification; the task's trace context goes with it (naming the poll's span as parent when tracing
   * is on), so the upstream can join the trace.
   */
  static UpstreamRequest request(TraceContext trace, URI url, Duration timeout) {
    UpstreamRequest get = UpstreamRequest.get(url, timeout);
    if (trace == null) {
      return get;
    }
    Map<String, String> headers = new HashMap<>(get.headers());
    trace.addTo(headers);
    return new UpstreamRequest(get.method(), get.url(), headers, get.body(), get.timeout());
  }

  private void finish(PollJob job, Lane lane, long sentAt, PollObservation observation, BridgeTracing.Call call) {
    call.end(observation.httpStatus(), observation.outcome().name().toLowerCase(java.util.Locale.ROOT),
        observation.outcome() == PollOutcome.FAILED || observation.outcome() == PollOutcome.FATAL);
    finish(job, lane, sentAt, observation);
  }

  private void finish(PollJob job, Lane lane, long sentAt, PollObservation observation) {
    lane.gate().finished();
    if (observation.outcome() == PollOutcome.THROTTLED && observation.retryAfterMillis() != null
        && lane.honourRetryAfter()) {
      // The upstream's quota is the provider's, not the task's: every poll of it waits, not only this one.
      lane.gate().holdBack(Duration.ofMillis(observation.retryAfterMillis()));
    }
    lane.timers().get(observation.outcome()).record(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
    if (closed.get()) {
      return; // the task's lease expires and another instance polls again
    }
    LOG.debug("task {} provider {}: attempt {} -> {}", job.taskId(), job.provider(), job.attempt(),
        observation.outcome());
    if (!job.replyTo().offer(observation)) {
      // The partition moved away (or, impossibly, more answers than slots): whoever owns it now polls again.
      LOG.debug("task {} provider {}: answer to attempt {} dropped, its stream task no longer takes answers",
          job.taskId(), job.provider(), job.attempt());
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
  }
}
