package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.schemas.task.TaskAccepted;

/**
 * The key a task and its webhook share on the webhooks topic: {@code <provider>|<correlationId>} when the upstream
 * gave the task an id (Cloud Elements' eventId), else {@code <provider>|task:<taskId>}. Both sides are written with
 * the default partitioner on this String key, so they land in the same partition and meet in one store.
 *
 * <p>Consequence: a provider that names its tasks with ids must send that id in its webhooks too; a per-task webhook
 * without one is keyed by taskId and cannot meet a task keyed by id (it expires as an early webhook).
 */
public final class CorrelationKeys {

  private static final String SEPARATOR = "|";
  private static final String TASK_PREFIX = "task:";

  private CorrelationKeys() {
  }

  public static String forId(String provider, String correlationId) {
    return provider + SEPARATOR + correlationId;
  }

  public static String forTask(String provider, String taskId) {
    return provider + SEPARATOR + TASK_PREFIX + taskId;
  }

  public static String of(TaskAccepted task) {
    return task.correlationId() != null && !task.correlationId().isEmpty()
        ? forId(task.provider(), task.correlationId())
        : forTask(task.provider(), task.taskId());
  }
}
