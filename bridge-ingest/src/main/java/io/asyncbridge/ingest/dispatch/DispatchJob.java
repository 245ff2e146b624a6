package io.asyncbridge.ingest.dispatch;

import io.asyncbridge.schemas.TaskRequest;
import java.time.Instant;

/**
 * One upstream call to make: the {@code attempt}-th intent of a task, whose answer goes back to {@code partition}
 * of the dispatch-results topic, where the task's state lives.
 */
public record DispatchJob(String taskId, int attempt, int partition, TaskRequest request, Instant deadline,
    io.asyncbridge.schemas.trace.TraceContext trace) {

  /** A call without trace context. */
  public DispatchJob(String taskId, int attempt, int partition, TaskRequest request, Instant deadline) {
    this(taskId, attempt, partition, request, deadline, null);
  }

  public String key() {
    return taskId + "#" + attempt;
  }
}
