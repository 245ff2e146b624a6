package io.asyncbridge.poller.poll;

import io.asyncbridge.schemas.trace.TraceContext;

/**
 * One poll of a task's notification resource, handed from the topology to a {@link PollDispatcher}.
 *
 * @param attempt echoed on the answer, so that a late or repeated answer is recognized as stale
 * @param replyTo where the answer goes: the queue of the stream task that owns the task
 * @param trace the W3C trace context the task's request carried (sent with the poll), or null
 */
public record PollJob(String taskId, int attempt, String provider, String url, PollAnswerQueue replyTo,
    TraceContext trace) {

  /** A poll without trace context. */
  public PollJob(String taskId, int attempt, String provider, String url, PollAnswerQueue replyTo) {
    this(taskId, attempt, provider, url, replyTo, null);
  }
}
