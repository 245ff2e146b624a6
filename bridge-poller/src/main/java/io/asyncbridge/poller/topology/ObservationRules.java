package io.asyncbridge.poller.topology;

import io.asyncbridge.core.config.PollPolicy;
import io.asyncbridge.core.upstream.Backoff;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.Via;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What an answer means for its task: a progress event to emit, and either the completion or the task's next durable
 * state and when to poll next. Pure (apart from jitter), so the rules read in one place. The durable state changes
 * only when a restart would need to know: new progress, the start or end of a run of 404s, a backoff step while the
 * interval still grows, a Retry-After beyond the next interval. An answer that changes none of these returns the
 * task as it was, and the processor writes nothing.
 */
final class ObservationRules {

  /** Used when the task's provider vanished from the configuration while a poll was in flight. */
  static final PollPolicy FALLBACK_POLICY = new PollPolicy(Duration.ZERO, Duration.ofSeconds(5), 1.5,
      Duration.ofSeconds(60), 0.2, true, Duration.ofMinutes(10), Duration.ofSeconds(30), 1);

  static final int MAX_INTERVAL_INDEX = 100;
  /** A running answer's {@code Retry-After: 0} would otherwise ask for the next poll at once, again and again. */
  static final Duration MIN_RUNNING_RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * @param progress a progress value to publish before anything else, if any
   * @param completion the task's one completion, or null while it runs
   * @param next while it runs: the task's durable state after this answer (the same record when nothing changed)
   * @param nextPollAt while it runs: when to poll next
   */
  record Decision(Optional<Integer> progress, Completion completion, PollTask next, Instant nextPollAt) {
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
                : new TaskError(ErrorCode.UPSTREAM_FAILED, "the upstream reported the task as "
                    + (observation.statusWord() == null ? "failed" : "'" + observation.statusWord() + "'"))));
      case FATAL:
        return done(Optional.empty(), Completion.failed(task.origin(taskId), Via.POLL, now, null,
            new TaskError(observation.errorCode() == null ? ErrorCode.NOTIFICATION_POLL_FAILED.code() : observation.errorCode(),
                observation.message() == null ? "the notification cannot be polled" : observation.message())));
      case NOT_FOUND: {
        long since = task.notFoundSinceMillis() == 0 ? now.toEpochMilli() : task.notFoundSinceMillis();
        if (now.toEpochMilli() - since >= policy.notFoundGrace().toMillis()) {
          return done(Optional.empty(), Completion.failed(task.origin(taskId), Via.POLL, now, null,
              new TaskError(ErrorCode.NOTIFICATION_NOT_FOUND, "the notification answered 404 for " + policy.notFoundGrace()
                  + " (notFoundGrace) without a break")));
        }
        return later(task, policy, now, null, false, task.lastProgress(), since, Optional.empty());
      }
      case THROTTLED: {
        Duration retryAfter = policy.honourRetryAfter() && observation.retryAfterMillis() != null
            ? Duration.ofMillis(observation.retryAfterMillis()) : null;
        return later(task, policy, now, retryAfter, false, task.lastProgress(), task.notFoundSinceMillis(),
            Optional.empty());
      }
      case RUNNING: {
        Integer observed = observation.progress();
        Optional<Integer> progress = observed != null && observed != task.lastProgress()
            ? Optional.of(observed) : Optional.empty();
        // A status monitor that names its next poll time (202 or 200 with Retry-After) is polled then, sooner or
        // later than the backoff would: it knows how long the operation takes.
        Duration retryAfter = policy.honourRetryAfter() && observation.retryAfterMillis() != null
            ? max(MIN_RUNNING_RETRY_AFTER, Duration.ofMillis(observation.retryAfterMillis())) : null;
        return later(task, policy, now, retryAfter, true, progress.orElse(task.lastProgress()), 0, progress);
      }
      case RETRY:
      default:
        return later(task, policy, now, null, false, task.lastProgress(), task.notFoundSinceMillis(),
            Optional.empty());
    }
  }

  /**
   * How many backoff steps the interval grows before it reaches {@code maxInterval}; past that the index is not
   * worth writing, so a task polled at its longest interval writes nothing however long it runs.
   */
  static int growthSteps(PollPolicy policy) {
    long initial = Math.max(1, policy.initialInterval().toMillis());
    long max = policy.maxInterval().toMillis();
    if (policy.multiplier() <= 1.0 || initial >= max) {
      return 0;
    }
    double steps = Math.ceil(Math.log((double) max / initial) / Math.log(policy.multiplier()));
    return (int) Math.min(MAX_INTERVAL_INDEX, Math.max(0, steps));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Decision done(Optional<Integer> progress, Completion completion) {
    return new Decision(progress, completion, null, null);
  }

  /**
   * @param retryAfter what the upstream asked for, or null
   * @param retryAfterIsTheDelay true: poll exactly then (a running answer's Retry-After); false: it is a minimum
   *     (429 / 503), and the backoff wins when longer
   */
  private static Decision later(PollTask task, PollPolicy policy, Instant now, Duration retryAfter,
      boolean retryAfterIsTheDelay, int lastProgress, long notFoundSince, Optional<Integer> progress) {
    Backoff backoff = new Backoff(policy.initialInterval(), policy.multiplier(), policy.maxInterval(), policy.jitter());
    Duration computed = backoff.delay(task.intervalIndex(), ThreadLocalRandom.current());
    boolean upstreamAskedLonger = retryAfter != null && retryAfter.compareTo(computed) > 0;
    Duration delay = retryAfter != null && (upstreamAskedLonger || retryAfterIsTheDelay) ? retryAfter : computed;
    Instant nextPollAt = now.plus(delay);
    long notBefore = upstreamAskedLonger ? nextPollAt.toEpochMilli() : task.notBeforeMillis();
    int nextIndex = Math.min(task.intervalIndex() + 1, Math.max(task.intervalIndex(), growthSteps(policy)));
    return new Decision(progress, null, task.answered(nextIndex, lastProgress, notFoundSince, notBefore),
        nextPollAt);
  }
}
