package io.asyncbridge.poller.poll;

/**
 * One poll of a task's notification resource, handed from the topology to a {@link PollDispatcher}.
 *
 * @param attempt echoed on the observation, so that a late or repeated answer is recognized as stale
 * @param partition where the observation must be written: the partition that holds the task's state
 */
public record PollJob(String taskId, int attempt, int partition, String provider, String url) {
}
