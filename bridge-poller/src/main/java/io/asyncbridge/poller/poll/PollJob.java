package io.asyncbridge.poller.poll;

/**
 * One poll of a task's notification resource, handed from the topology to a {@link PollDispatcher}.
 *
 * @param attempt echoed on the answer, so that a late or repeated answer is recognized as stale
 * @param replyTo where the answer goes: the queue of the stream task that owns the task
 */
public record PollJob(String taskId, int attempt, String provider, String url, PollAnswerQueue replyTo) {
}
