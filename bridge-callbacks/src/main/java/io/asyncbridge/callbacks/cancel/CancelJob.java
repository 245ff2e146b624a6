package io.asyncbridge.callbacks.cancel;

import io.asyncbridge.schemas.trace.TraceContext;
import java.util.Objects;

/**
 * One cancel call to make.
 *
 * @param key the task's correlation key (where its state is stored)
 * @param attempt tells this call's answer from an earlier one's
 * @param correlationId the upstream's id of the task, which the provider's cancel path names
 * @param trace the task's trace context, sent with the call when present
 * @param replyTo where the answer goes
 */
public record CancelJob(String key, String taskId, int attempt, String provider, String correlationId,
                        TraceContext trace, CancelAnswers replyTo) {

  public CancelJob {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(replyTo, "replyTo");
  }
}
