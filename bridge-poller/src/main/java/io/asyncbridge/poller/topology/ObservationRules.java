package io.asyncbridge.poller.topology;

import io.asyncbridge.core.config.PollPolicy;
import io.asyncbridge.core.upstream.Backoff;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.Via;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What an observation means for its task: a progress event to emit, and either the completion or when to poll next.
 * Pure (apart from jitter), so the rules read in one place.
 */
final class ObservationRules {

  /** Used when the task's provider vanished from the configuration while a poll was in flight. */
  static final PollPolicy FALLBACK_POLICY = new PollPolicy(Duration.ZERO, Duration.ofSeconds(5), 1.5,
      Duration.ofSeconds(60), 0.2, true, Duration.ofMinutes(10), Duration.ofSeconds(30), 1);

  static final int MAX_INTERVAL_INDEX = 100;
  static final String NOT_FOUND = "notification_not_found";
  static final String POLL_FAILED = "notification_poll_failed";

  /**
   * @param progress a progress value to publish before anything else, if any
   * @param completion the task's one completion, or null while it runs
   */
  record Decision(Optional<Integer> progress, Completion completion, int nextIntervalIndex, Instant nextPollAt) {
  }

  Decision decide(String taskId, PollTask task, PollObservation observation, PollPolicy configured, Instant now) {
    PollPolicy policy = configured == null ? FALLBACK_POLICY : configured;
    switch (observation.outcome()) {
      case SUCCEEDED: {
        boolean progressKnown = task.lastProgress() >= 0 || observation.progress() != null;
        Optional<Integer> progress = progressKnown && task.lastProgress() != 100 ? Optional.of(100) : Optional.empty();
        return done(progress, Completion.succeeded(task.origin(taskId), Via.POLL, now, observation.result()));
      }
      case FAILED:
        // The classifier names the reason (upstream_failed or upstream_canceled, with the upstream's own error).
        return done(Optional.empty(), Completion.failed(task.origin(taskId), Via.POLL, now, observation.result(),
            observation.errorCode() != null && observation.message() != null
                ? new TaskError(observation.errorCode(), observation.message())
                : new TaskError(TaskError.UPSTREAM_FAILED, "the upstream reported the task as "
                    + (observation.statusWord() == null ? "failed" : "'" + observation.statusWord() + "'"))));
      case FATAL:
        return done(Optional.empty(), Completion.failed(task.origin(taskId), Via.POLL, now, null,
            new TaskError(observation.errorCode() == null ? POLL_FAILED : observation.errorCode(),
                observation.message() == null ? "the notification cannot be polled" : observation.message())));
      case NOT_FOUND:
        if (Duration.between(task.acceptedAt(), now).compareTo(policy.notFoundGrace()) >= 0) {
          return done(Optional.empty(), Completion.failed(task.origin(taskId), Via.POLL, now, null,
              new TaskError(NOT_FOUND, "the notification still answered 404 " + policy.notFoundGrace()
                  + " after the task was accepted")));
        }
        return later(task, policy, now, null, Optional.empty());
      case THROTTLED: {
        Duration retryAfter = policy.honourRetryAfter() && observation.retryAfterMillis() != null
            ? Duration.ofMillis(observation.retryAfterMillis()) : null;
        return later(task, policy, now, retryAfter, Optional.empty());
      }
      case RUNNING: {
        Integer observed = observation.progress();
        Optional<Integer> progress = observed != null && observed != task.lastProgress()
            ? Optional.of(observed) : Optional.empty();
        return later(task, policy, now, null, progress);
      }
      case RETRY:
      default:
        return later(task, policy, now, null, Optional.empty());
    }
  }

  private static Decision done(Optional<Integer> progress, Completion completion) {
    return new Decision(progress, completion, 0, null);
  }

  private static Decision later(PollTask task, PollPolicy policy, Instant now, Duration retryAfter,
      Optional<Integer> progress) {
    Backoff backoff = new Backoff(policy.initialInterval(), policy.multiplier(), policy.maxInterval(), policy.jitter());
    Duration delay = backoff.delay(task.intervalIndex(), ThreadLocalRandom.current(), retryAfter);
    // Past the cap the index need not grow; bounding it keeps it in the store's two bytes however long a task runs.
    int nextIndex = Math.min(task.intervalIndex() + 1, MAX_INTERVAL_INDEX);
    return new Decision(progress, null, nextIndex, now.plus(delay));
  }
}
