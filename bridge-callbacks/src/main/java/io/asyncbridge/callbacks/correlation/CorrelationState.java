package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.schemas.task.TaskAccepted;
import java.time.Instant;
import java.util.Objects;

/**
 * What the correlation store holds per correlation key: a task waiting for its webhook, a webhook waiting for its
 * task, or a small marker that the task completed (kept for a while so duplicates are recognized).
 *
 * @param dueAt when this entry's deadline or expiry falls; it is also its position in the due index
 */
public record CorrelationState(Phase phase, TaskAccepted task, WebhookReceived webhook, String taskId,
                               Instant dueAt) {

  /** Where a correlation key stands. */
  public enum Phase {
    /** The task is known; its webhook has not come. Due at the task's deadline. */
    WAITING_FOR_WEBHOOK,
    /** A webhook came before its task. Due when it stops being held. */
    EARLY_WEBHOOK,
    /** The task's one completion was emitted. Due when duplicates stop being recognized. */
    COMPLETED
  }

  public CorrelationState {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(dueAt, "dueAt");
  }

  static CorrelationState waiting(TaskAccepted task, Instant deadline) {
    return new CorrelationState(Phase.WAITING_FOR_WEBHOOK, task, null, task.taskId(), deadline);
  }

  static CorrelationState early(WebhookReceived webhook, Instant expiry) {
    return new CorrelationState(Phase.EARLY_WEBHOOK, null, webhook, webhook.routeTaskId(), expiry);
  }

  /** Only the taskId is kept: the marker costs a few bytes per completed task. */
  static CorrelationState completed(String taskId, Instant forgetAt) {
    return new CorrelationState(Phase.COMPLETED, null, null, taskId, forgetAt);
  }
}
