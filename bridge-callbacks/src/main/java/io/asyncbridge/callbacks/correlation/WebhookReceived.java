package io.asyncbridge.callbacks.correlation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A webhook that passed the endpoint's checks, as written to the webhooks topic. It carries no request headers:
 * signatures and tokens stay at the edge.
 *
 * @param routeTaskId the taskId of the per-task route it came in on, or null on the provider-level route
 * @param correlationId the id read from the body with the provider's correlation pointer, or null
 * @param body the webhook body as received (parsed JSON)
 */
public record WebhookReceived(String provider, String routeTaskId, String correlationId, Instant receivedAt,
                              JsonNode body) {

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
}
