package io.asyncbridge.poller.http;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.CancelCall;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.ProviderType;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.upstream.HttpExchange;
import io.asyncbridge.core.upstream.UpstreamClient;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.core.upstream.UpstreamMeters;
import io.asyncbridge.core.upstream.UpstreamRequest;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.poller.poll.CancelCaller;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.schemas.task.TaskMode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancel calls of poll-mode providers that have one: {@code google-lro}'s AIP-151 CancelOperation, {@code POST
 * {name}:cancel}, which is the operation's URL (the notification URL, {@code {baseUrl}/{name}}) with {@code :cancel}
 * appended, and a {@code generic} provider's declared {@link CancelCall}; sent with the provider's credentials and
 * outbound host policy. Rare calls: a client of its own, apart from the polls' concurrency budget.
 */
public final class HttpCancelCaller implements CancelCaller, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpCancelCaller.class);

  private static final CancelCall GOOGLE_CANCEL = new CancelCall("POST", CancelCall.NOTIFICATION_URL + ":cancel");

  private final Map<String, UpstreamClient> clients = new HashMap<>();
  private final Map<String, CancelCall> calls = new HashMap<>();
  private final HttpClient httpClient;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  public HttpCancelCaller(BridgeConfig config, Vertx vertx, Clock clock, ServiceMeters meters,
      UpstreamCredentials credentials) {
    this.clock = clock;
    this.httpClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    HttpExchange exchange = new HttpExchange(vertx, httpClient, UpstreamClient.DEFAULT_MAX_BODY_BYTES);
    for (ProviderConfig provider : config.providers().values()) {
      CancelCall call = provider.type() == ProviderType.GOOGLE_LRO ? GOOGLE_CANCEL : provider.cancel().orElse(null);
      if (provider.mode() == TaskMode.POLL && call != null) {
        calls.put(provider.name(), call);
        clients.put(provider.name(), credentials.clientFor(provider, exchange, clock,
            UpstreamMeters.of(meters, provider.name())));
      }
    }
  }

  @Override
  public boolean cancels(String provider) {
    return clients.containsKey(provider);
  }

  @Override
  public boolean tryCancel(PollJob job) {
    UpstreamClient client = clients.get(job.provider());
    if (client == null || closed.get()) {
      return false;
    }
    CancelCall call = calls.get(job.provider());
    URI url;
    try {
      url = URI.create(call.url(client.provider().baseUrl().toString(), job.url()));
    } catch (IllegalArgumentException invalid) {
      answer(job, PollOutcome.FAILED, 0, "the cancel call's URL is not valid");
      return true;
    }
    UpstreamRequest request = new UpstreamRequest(call.method(), url, Map.of("Content-Type", "application/json"),
        new byte[] {'{', '}'}, client.provider().poll().requestTimeout());
    try {
      client.send(request).onComplete(result -> {
        if (result.failed()) {
          LOG.info("task {} provider {}: cancel call failed: {}", job.taskId(), job.provider(),
              result.cause().toString());
          answer(job, PollOutcome.RETRY, 0, "the cancel call got no answer");
        } else {
          UpstreamResponse response = result.result();
          answer(job, response.isSuccess() ? PollOutcome.SUCCEEDED : PollOutcome.FAILED, response.status(), null);
        }
      });
    } catch (RuntimeException unexpected) {
      LOG.warn("task {} provider {}: cancel call could not be sent", job.taskId(), job.provider(), unexpected);
      answer(job, PollOutcome.RETRY, 0, "the cancel call could not be sent");
    }
    return true;
  }

  private void answer(PollJob job, PollOutcome outcome, int httpStatus, String message) {
    if (!job.replyTo().offer(new PollObservation(job.taskId(), job.attempt(), clock.instant(), outcome, null, null,
        httpStatus, null, null, null, message))) {
      LOG.debug("task {}: answer of the cancel call dropped, the partition moved", job.taskId());
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
      LOG.warn("cancel HTTP client did not close cleanly: {}", e.toString());
    }
  }
}
