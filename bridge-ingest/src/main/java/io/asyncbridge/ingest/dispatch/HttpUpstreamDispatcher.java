package io.asyncbridge.ingest.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.ratelimit.CallGate;
import io.asyncbridge.core.ratelimit.TokenBucket;
import io.asyncbridge.core.ratelimit.UpstreamRateLimit;
import io.asyncbridge.core.trace.BridgeTracing;
import io.asyncbridge.core.upstream.HttpExchange;
import io.asyncbridge.core.upstream.UpstreamClient;
import io.asyncbridge.core.upstream.UpstreamMeters;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.core.upstream.UpstreamRequest;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.topic.BridgeTopics;
import io.asyncbridge.schemas.topic.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends task requests upstream with a non-blocking Vert.x HTTP client, at most {@code dispatch.concurrency} at a
 * time per provider, and writes each answer as a RESULT {@link DispatchEvent} into the task's partition with an
 * idempotent producer (acks=all). A job stays accounted for until its RESULT is acknowledged by Kafka, and for a
 * while after, so the topology never mistakes a call whose answer is on its way for one whose outcome is unknown.
 */
public final class HttpUpstreamDispatcher implements UpstreamDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(HttpUpstreamDispatcher.class);
  private static final Duration REMEMBER_FINISHED = Duration.ofMinutes(2);
  private static final Duration REPUBLISH_FIRST_DELAY = Duration.ofMillis(250);
  private static final Duration REPUBLISH_MAX_DELAY = Duration.ofSeconds(5);
  public static final String CALLS = "bridge.dispatch.duration";
  public static final String IN_FLIGHT = "bridge.dispatch.in.flight";

  private final Vertx vertx;
  private final Map<String, ProviderLane> lanes = new HashMap<>();
  private final List<HttpClient> clients = new ArrayList<>();
  private final Producer<String, byte[]> producer;
  private final Topic<String, DispatchEvent> resultsTopic;
  private final UpstreamCallBuilder calls;
  private final AnswerInterpreter answers;
  private final Clock clock;
  private final Map<String, Instant> active = new ConcurrentHashMap<>();
  private final AtomicInteger publishedSincePrune = new AtomicInteger();
  private final AtomicInteger unfinished = new AtomicInteger();
  private final Object idle = new Object();
  private volatile boolean accepting = true;
  private final BridgeTracing tracing;

  /** @param meters where calls are timed by outcome, and calls in flight and upstream errors are counted */
  public HttpUpstreamDispatcher(BridgeConfig config, Vertx vertx, Producer<String, byte[]> producer,
      UpstreamCallBuilder calls, ObjectMapper json, Clock clock, ServiceMeters meters) {
    this(config, vertx, producer, calls, json, clock, meters, new UpstreamCredentials());
  }

  /** @param credentials where a configuration reload finds this dispatcher's upstream credentials */
  public HttpUpstreamDispatcher(BridgeConfig config, Vertx vertx, Producer<String, byte[]> producer,
      UpstreamCallBuilder calls, ObjectMapper json, Clock clock, ServiceMeters meters,
      UpstreamCredentials credentials) {
    this.vertx = vertx;
    this.producer = producer;
    this.resultsTopic = DispatchEvent.topic(new BridgeTopics(config.topics()), json);
    this.calls = calls;
    this.answers = new AnswerInterpreter(json, clock);
    this.clock = clock;
    this.tracing = meters.tracing();
    for (ProviderConfig provider : config.providers().values()) {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(provider.dispatch().concurrency()).setMaxWaitQueueSize(-1));
      clients.add(client);
      // A Retry-After holds the provider's starting calls back for at most dispatch.maxBackoff.
      CallGate gate = CallGate.of(provider.name(), "dispatch", provider.dispatch().concurrency(),
          provider.dispatch().rateLimit(), provider.dispatch().maxBackoff(), TokenBucket.nanosOf(clock), meters);
      ProviderLane lane = new ProviderLane(provider, credentials.clientFor(provider,
          new HttpExchange(vertx, client, UpstreamClient.DEFAULT_MAX_BODY_BYTES), clock,
          UpstreamMeters.of(meters, provider.name())), gate, timers(meters, provider.name()));
      lanes.put(provider.name(), lane);
      meters.gauge(IN_FLIGHT, "starting calls in flight (dispatch.concurrency bounds it)", provider.name(),
          gate::inFlight);
    }
  }

  private static Map<DispatchEvent.Outcome, io.micrometer.core.instrument.Timer> timers(ServiceMeters meters,
      String provider) {
    Map<DispatchEvent.Outcome, io.micrometer.core.instrument.Timer> timers = new EnumMap<>(DispatchEvent.Outcome.class);
    for (DispatchEvent.Outcome outcome : DispatchEvent.Outcome.values()) {
      timers.put(outcome, meters.timer(CALLS, "starting calls sent upstream, by what they came to", provider,
          outcome.name().toLowerCase(java.util.Locale.ROOT)));
    }
    return timers;
  }

  /**
   * One provider's client, call gate (concurrency, rate limit, Retry-After) and call timers, created once: the send
   * path looks nothing up.
   */
  private record ProviderLane(ProviderConfig provider, UpstreamClient client, CallGate gate,
      Map<DispatchEvent.Outcome, io.micrometer.core.instrument.Timer> timers) {
  }

  /**
   * Takes, for every provider with {@code dispatch.rateLimit}, the share of the limit that matches the share of the
   * requests topic's partitions this instance owns.
   */
  public void partitionsOwned(int owned, int total) {
    for (ProviderLane lane : lanes.values()) {
      lane.gate().partitions(owned, total);
    }
  }

  /** The rate limit of a provider's starting calls on this instance, or null when it has none (for tests). */
  public UpstreamRateLimit rateLimit(String provider) {
    ProviderLane lane = lanes.get(provider);
    return lane == null ? null : lane.gate().rateLimit();
  }

  @Override
  public boolean tryDispatch(DispatchJob job) {
    if (!accepting) {
      return false;
    }
    ProviderLane lane = lanes.get(job.request().provider());
    if (lane == null) {
      publish(DispatchEvent.ended(job, DispatchEvent.Outcome.REJECTED, null, ErrorCode.UNKNOWN_PROVIDER.code(),
          "provider '" + job.request().provider() + "' is not configured", null));
      return true;
    }
    if (!lane.gate().tryStart(job.taskId())) {
      return false; // no slot or token (or a Retry-After holds the provider): the task asks again later
    }
    active.put(job.key(), Instant.MAX);
    unfinished.incrementAndGet();
    UpstreamRequest request;
    BridgeTracing.Call call = null;
    try {
      Map<String, String> headers = calls.headers(lane.provider(), job.request());
      URI url = calls.url(lane.provider(), job.request());
      call = tracing.startCall("dispatch", job.trace(), job.taskId(), lane.provider().name(), job.attempt(),
          job.request().method().name(), url);
      if (call.propagated() != null) {
        call.propagated().addTo(headers); // the producer's trace continues through the upstream call
      }
      request = new UpstreamRequest(job.request().method().name(), url, headers, calls.body(job.request()),
          lane.provider().dispatch().requestTimeout());
    } catch (RuntimeException e) {
      if (call != null) {
        call.end(0, "invalid_request", true);
      }
      lane.gate().finished();
      // never e.getMessage(): URI errors quote the whole URL, query values (and any key in them) included
      publish(DispatchEvent.ended(job, DispatchEvent.Outcome.REJECTED, null, ErrorCode.INVALID_REQUEST.code(),
          "the request's path or query does not make a valid URL for provider " + lane.provider().name(), null));
      finishedOne();
      return true;
    }
    LOG.debug("task {} provider {}: sending attempt {}", job.taskId(), lane.provider().name(), job.attempt());
    long sentAt = System.nanoTime();
    List<String> sensitive = calls.sensitiveValues(lane.provider(), job.request());
    URI requestUrl = request.url();
    BridgeTracing.Call sent = call;
    lane.client().send(request)
        .map(response -> answers.interpret(job, lane.provider(), requestUrl, response.redacted(sensitive)))
        .otherwise(failure -> answers.interpret(job, lane.provider(), failure))
        .onComplete(result -> {
          DispatchEvent answer = result.result();
          if (answer.outcome() == DispatchEvent.Outcome.RETRY && answer.retryAfterMillis() != null) {
            // The upstream's quota is the provider's: every starting call to it waits, not only this task's retry.
            lane.gate().holdBack(Duration.ofMillis(answer.retryAfterMillis()));
          }
          sent.end(answer.httpStatus() == null ? 0 : answer.httpStatus(),
              answer.outcome().name().toLowerCase(java.util.Locale.ROOT), answer.outcome() == DispatchEvent.Outcome.REJECTED
                  || answer.outcome() == DispatchEvent.Outcome.FAILED);
          lane.gate().finished();
          lane.timers().get(result.result().outcome()).record(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
          publish(result.result());
          finishedOne();
        });
    return true;
  }

  private void publish(DispatchEvent event) {
    String key = event.taskId() + "#" + event.attempt();
    active.put(key, Instant.MAX);
    unfinished.incrementAndGet();
    send(event, key, clock.instant(), 0);
  }

  /**
   * Writes the answer, and writes it again after a retriable failure (the broker was away longer than the producer
   * waits, e.g. for metadata): this process knows the outcome, and giving it up would make the topology treat a call
   * the upstream accepted as one whose outcome is unknown, so it would send it again or end the task failed. The job
   * stays accounted for meanwhile. Gives up after {@link #REMEMBER_FINISHED}, or on a failure that will not pass.
   */
  private void send(DispatchEvent event, String key, Instant firstTry, int retries) {
    byte[] value = resultsTopic.valueSerializer().serialize(resultsTopic.name(), event);
    try {
      producer.send(new ProducerRecord<>(resultsTopic.name(), event.partition(), event.taskId(), value),
          (metadata, failure) -> {
            if (failure instanceof RetriableException && clock.instant().isBefore(firstTry.plus(REMEMBER_FINISHED))) {
              long delay = republishDelay(retries);
              LOG.warn("task {}: recording the upstream's answer to attempt {} failed ({}); trying again in {} ms",
                  event.taskId(), event.attempt(), failure.getMessage(), delay);
              // not from the producer's I/O thread: a send there could wait for metadata that only that thread fetches
              try {
                vertx.setTimer(delay, id -> send(event, key, firstTry, retries + 1));
                return;
              } catch (RuntimeException stopping) {
                // Vert.x is closing: the service is stopping, so nothing more can be recorded from here
              }
            }
            recorded(event, key, failure);
          });
    } catch (RuntimeException closed) {
      recorded(event, key, closed); // the producer is closed: the service is stopping
    }
  }

  private static long republishDelay(int retries) {
    return Math.min(REPUBLISH_MAX_DELAY.toMillis(), REPUBLISH_FIRST_DELAY.toMillis() << Math.min(retries, 8));
  }

  private void recorded(DispatchEvent event, String key, Exception failure) {
    active.put(key, clock.instant());
    finishedOne();
    if (publishedSincePrune.incrementAndGet() >= 1024) {
      publishedSincePrune.set(0);
      prune();
    }
    if (failure != null) {
      // The task stays SENDING; once this job is no longer accounted for, the topology applies the
      // provider's policy for an unknown outcome. Nothing is lost, at worst the call is made again.
      LOG.error("task {}: cannot record the upstream's answer to attempt {}: {}", event.taskId(), event.attempt(),
          failure.getMessage());
    }
  }

  private void finishedOne() {
    if (unfinished.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  @Override
  public boolean isAccepting() {
    return accepting;
  }

  @Override
  public void stopAccepting() {
    accepting = false;
  }

  @Override
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (unfinished.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          idle.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public boolean isAccountedFor(DispatchJob job) {
    Instant finished = active.get(job.key());
    if (finished == null) {
      return false;
    }
    if (finished.equals(Instant.MAX)) {
      return true; // still calling, or still writing the answer (Instant.MAX plus anything overflows)
    }
    Instant now = clock.instant();
    if (finished.plus(REMEMBER_FINISHED).isBefore(now)) {
      active.remove(job.key());
      return false;
    }
    return true;
  }

  private void prune() {
    Instant horizon = clock.instant().minus(REMEMBER_FINISHED);
    active.values().removeIf(finished -> finished.isBefore(horizon));
  }

  /** Calls in flight for a provider (a metric). */
  public int inFlight(String provider) {
    ProviderLane lane = lanes.get(provider);
    return lane == null ? 0 : lane.gate().inFlight();
  }

  @Override
  public void close() {
    clients.forEach(HttpClient::close);
  }
}
