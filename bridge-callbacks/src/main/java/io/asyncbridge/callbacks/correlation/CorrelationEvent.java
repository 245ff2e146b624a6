package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.core.task.TaskAccepted;
import java.util.Objects;

/**
 * What the webhooks topic carries, keyed by correlation key: a callback-mode task re-keyed from the tasks topic,
 * or a webhook from the endpoint. One topic for both keeps them in one partition and one ordered stream.
 * Encoded by {@link CorrelationEventSerde}.
 */
public sealed interface CorrelationEvent {

  /** A callback-mode task the upstream accepted. */
  record Task(TaskAccepted task) implements CorrelationEvent {
    public Task {
      Objects.requireNonNull(task, "task");
    }
  }

  /** A webhook that passed the endpoint's checks. */
  record Webhook(WebhookReceived webhook) implements CorrelationEvent {
    public Webhook {
      Objects.requireNonNull(webhook, "webhook");
    }
  }
}
