package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.schemas.task.TaskAccepted;
import java.util.Objects;

/**
 * What the webhooks topic carries, keyed by correlation key: a callback-mode task (or a cancel of one) re-keyed from the
 * tasks topic, or a webhook from the endpoint. One topic for both keeps them in one partition and one ordered stream.
 * Encoded by {@link CorrelationEventSerde}.
 */
public sealed interface CorrelationEvent {

  /** A callback-mode task the upstream accepted. */
  record Task(TaskAccepted task) implements CorrelationEvent {
    public Task {
      Objects.requireNonNull(task, "task");
    }
  }

  /**
   * A cancel of a callback-mode task, forwarded by ingest ({@link TaskAccepted#cancelOf}), keyed like the task. It has
   * a kind of its own on the topic, so a reader from before cancels existed skips it as unreadable.
   */
  record Cancel(TaskAccepted cancel) implements CorrelationEvent {
    public Cancel {
      Objects.requireNonNull(cancel, "cancel");
      if (!cancel.cancels()) {
        throw new IllegalArgumentException("not a cancel: " + cancel.taskId());
      }
    }
  }

  /** A webhook that passed the endpoint's checks. */
  record Webhook(WebhookReceived webhook) implements CorrelationEvent {
    public Webhook {
      Objects.requireNonNull(webhook, "webhook");
    }
  }
}
