package io.asyncbridge.poller.http;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.CancelCall;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.ProviderType;
import io.asyncbridge.core.upstream.UpstreamRequest;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.poller.poll.CancelCaller;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.poll.PollOutcome;
import io.asyncbridge.schemas.task.TaskMode;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancel calls of poll-mode providers that have one: {@code google-lro}'s AIP-151 CancelOperation, {@code POST
 * {name}:cancel}, which is the operation's URL (the notification URL, {@code {baseUrl}/{name}}) with {@code :cancel}
 * appended, and a {@code generic} provider's declared {@link CancelCall}. They go through the provider's lane of the
 * {@link HttpPollDispatcher}: its credentials (and OAuth2 token), outbound host policy, connection pool, concurrency
 * budget, rate limit and Retry-After gate, with {@code poll.requestTimeout}.
 */
public final class HttpCancelCaller implements CancelCaller {

  private static final Logger LOG = LoggerFactory.getLogger(HttpCancelCaller.class);

  private static final CancelCall GOOGLE_CANCEL = new CancelCall("POST", CancelCall.NOTIFICATION_URL + ":cancel");

  private final Map<String, ProviderConfig> providers = new HashMap<>();
  private final Map<String, CancelCall> calls = new HashMap<>();
  private final HttpPollDispatcher lanes;
  private final Clock clock;

  /** @param lanes the dispatcher whose per-provider lanes carry the cancel calls too */
  public HttpCancelCaller(BridgeConfig config, HttpPollDispatcher lanes, Clock clock) {
    this.lanes = lanes;
    this.clock = clock;
    for (ProviderConfig provider : config.providers().values()) {
      CancelCall call = provider.type() == ProviderType.GOOGLE_LRO ? GOOGLE_CANCEL : provider.cancel().orElse(null);
      if (provider.mode() == TaskMode.POLL && call != null) {
        calls.put(provider.name(), call);
        providers.put(provider.name(), provider);
      }
    }
  }

  @Override
  public boolean cancels(String provider) {
    return calls.containsKey(provider);
  }

  @Override
  public Start tryCancel(PollJob job) {
    CancelCall call = calls.get(job.provider());
    if (call == null) {
      return Start.UNAVAILABLE;
    }
    ProviderConfig provider = providers.get(job.provider());
    URI url;
    try {
      url = URI.create(call.url(provider.baseUrl().toString(), job.url()));
    } catch (IllegalArgumentException invalid) {
      answer(job, PollOutcome.FAILED, 0, "the cancel call's URL is not valid");
      return Start.STARTED;
    }
    UpstreamRequest request = new UpstreamRequest(call.method(), url, Map.of("Content-Type", "application/json"),
        new byte[] {'{', '}'}, provider.poll().requestTimeout());
    return lanes.tryCall(job.provider(), job.taskId(), request, result -> {
      if (result.failed()) {
        LOG.info("task {} provider {}: cancel call failed: {}", job.taskId(), job.provider(),
            result.cause().toString());
        answer(job, PollOutcome.RETRY, 0, "the cancel call got no answer");
      } else {
        UpstreamResponse response = result.result();
        answer(job, response.isSuccess() ? PollOutcome.SUCCEEDED : PollOutcome.FAILED, response.status(), null);
      }
    });
  }

  private void answer(PollJob job, PollOutcome outcome, int httpStatus, String message) {
    if (!job.replyTo().offer(new PollObservation(job.taskId(), job.attempt(), clock.instant(), outcome, null, null,
        httpStatus, null, null, null, message))) {
      LOG.debug("task {}: answer of the cancel call dropped, the partition moved", job.taskId());
    }
  }
}
