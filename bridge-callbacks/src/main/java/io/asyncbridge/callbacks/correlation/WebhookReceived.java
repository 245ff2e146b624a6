package io.asyncbridge.callbacks.correlation;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A webhook that passed the endpoint's checks, as written to the webhooks topic. It carries no request headers:
 * signatures and tokens stay at the edge.
 *
 * @param routeTaskId the taskId of the per-task route it came in on, or null on the provider-level route
 * @param correlationId the id read from the body with the provider's correlation pointer, or null
 * @param body the webhook body exactly as received: a JSON document the endpoint has checked, kept as bytes so it is
 *     parsed once at the edge and once when the completion is built, never re-encoded in between
 */
public record WebhookReceived(String provider, String routeTaskId, String correlationId, Instant receivedAt,
                              byte[] body) {

  public WebhookReceived {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(body, "body");
    if (routeTaskId == null && correlationId == null) {
      throw new IllegalArgumentException("a webhook of " + provider + " needs a route taskId or a correlation id");
    }
  }

  /** Where this webhook meets its task. */
  public String correlationKey() {
    return correlationId != null
        ? CorrelationKeys.forId(provider, correlationId)
        : CorrelationKeys.forTask(provider, routeTaskId);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebhookReceived that && provider.equals(that.provider)
        && Objects.equals(routeTaskId, that.routeTaskId) && Objects.equals(correlationId, that.correlationId)
        && receivedAt.equals(that.receivedAt) && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, routeTaskId, correlationId, receivedAt, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "WebhookReceived[provider=" + provider + ", routeTaskId=" + routeTaskId + ", correlationId="
        + correlationId + ", receivedAt=" + receivedAt + ", body=" + body.length + " bytes]";
  }
}
