package io.asyncbridge.ingest.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.upstream.Backoff;
import io.asyncbridge.ingest.dispatch.DispatchEvent;
import io.asyncbridge.ingest.dispatch.DispatchJob;
import io.asyncbridge.ingest.dispatch.UpstreamDispatcher;
import io.asyncbridge.ingest.request.Admission;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.UpstreamInfo;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.trace.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch state machine of one partition's tasks at ingest: {@code PENDING} (waiting to be sent: first attempt,
 * retry after backoff, no capacity, stopping) → {@code INTENT} (an intent and its GO record written) → {@code SENDING}
 * (the GO read back by this incarnation and the call made, or read by a later one and the outcome unknown) → {@code
 * DONE} (handed over, succeeded, rejected, failed, timed out or cancelled; kept to deduplicate the taskId).
 *
 * <p>The call is made only when this same incarnation reads its GO back: the intent is then durable, and a GO read by a
 * later incarnation (after a crash or rebalance) means the call may or may not have happened, so the provider's policy
 * for an unknown outcome decides. Answers come back as RESULT records.
 *
 * <p>It changes tasks and publishes through {@link Effects} only, so it holds no store, context or Kafka client; the
 * upstream calls go through the {@link UpstreamDispatcher}, which makes them off the stream thread.
 */
final class DispatchStateMachine {

  /** What the machine does to the world: the processor wires these to the stores and the sinks. */
  interface Effects {

    IngestTask task(String taskId);

    /** Writes the task's new state and moves its entry in the due index from {@code before}'s due to its own. */
    void save(String taskId, IngestTask before, IngestTask after);

    void complete(Completion completion, TraceContext trace);

    /** The GO record of an intent, read back by this processor. */
    void go(String taskId, DispatchEvent go, Instant now);

    /** A hand-over (or a forwarded cancel) on the tasks topic. */
    void toTasksTopic(String taskId, TaskAccepted accepted, Instant now);
  }

  private static final Logger LOG = LoggerFactory.getLogger(DispatchStateMachine.class);
  /** Why a call's outcome can be unknown: the two ways ingest loses track of a call in flight. */
  private static final String LOST_TRACK = "the instance that sent it stopped, or could not record the upstream's"
      + " answer in Kafka in time";
  static final Duration GO_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);
  private static final Duration NO_CAPACITY_DELAY = Duration.ofMillis(200);
  private static final Duration STOPPING_RECHECK = Duration.ofSeconds(1);

  private final BridgeConfig config;
  private final IngestSettings settings;
  private final UpstreamDispatcher dispatcher;
  private final IngestMeters meters;
  private final Effects effects;
  private final String epoch;
  private final SplittableRandom random = new SplittableRandom();
  /** Intents of this incarnation whose GO was not read back yet: no call was made for them. */
  private final Set<String> ownIntents = new HashSet<>();

  /** @param epoch this incarnation: GO records of any earlier one are foreign */
  DispatchStateMachine(BridgeConfig config, IngestSettings settings, UpstreamDispatcher dispatcher,
      IngestMeters meters, Effects effects, String epoch) {
    this.config = config;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.meters = meters;
    this.effects = effects;
    this.epoch = epoch;
  }

  // ---- admission ------------------------------------------------------------------------------------------------

  /** An admitted request becomes a task and its first intent. */
  void admitted(Admission.Accepted accepted, int partition, TraceContext trace, Instant now) {
    TaskRequest request = accepted.request();
    if (accepted.redrive()) {
      // A re-driven dead letter: the task was rejected before any upstream call, so sending it now cannot double one.
      LOG.info("task {} provider {}: replay of a request that was rejected; processing it again", request.taskId(),
          request.provider());
    }
    IngestTask existing = effects.task(request.taskId());
    IngestTask task = new IngestTask(IngestTask.State.PENDING, 0, 0, epoch, partition, accepted.submittedAt(),
        accepted.deadline(), null, null, request, null, trace);
    effects.save(request.taskId(), existing, task);
    intent(request.taskId(), task, now);
    LOG.info("task {} provider {}: received, dispatching", request.taskId(), request.provider());
  }

  /** A request rejected at admission whose taskId is new: its one completion, and a marker against repeats. */
  void rejected(TaskOrigin origin, TaskError error, int partition, TraceContext trace, Instant now) {
    effects.complete(Completion.rejected(origin, now, error), trace);
    effects.save(origin.taskId(), null, IngestTask.done(partition, origin.submittedAt(),
        now.plus(settings.dedupeRetention()), IngestTask.Ended.of(IngestTask.Ended.REJECTED, origin.provider())));
    LOG.info("task {} provider {}: rejected ({})", origin.taskId(), printable(origin.provider()), error.code());
  }

  // ---- cancel ---------------------------------------------------------------------------------------------------

  /**
   * A cancel ends a task that ingest still holds with its one completion, {@code cancelled}. Before its call was made
   * the task is never sent (the GO that would send it finds the task ended); with the call in flight, its answer is
   * ignored when it comes. A task handed over to the poller or the callbacks service gets the cancel forwarded to
   * it. A task that ended, or is unknown, is left as it is, and the cancel logged.
   */
  void cancel(String taskId, Optional<String> requestedReason, Instant now) {
    IngestTask task = effects.task(taskId);
    if (task == null) {
      LOG.info("task {}: cancel ignored, no such task is known here", taskId);
      meters.cancelIgnored("unknown");
      return;
    }
    if (task.state() == IngestTask.State.DONE) {
      String outcome = task.ended() == null ? "ended" : task.ended().outcome();
      if (task.ended() != null && "handed_over".equals(outcome) && task.ended().mode() != null) {
        forwardCancel(taskId, task.ended(), requestedReason.orElse(null), now);
      } else {
        LOG.info("task {}: cancel ignored, the task already ended ({})", taskId, outcome);
        meters.cancelIgnored("ended");
      }
      return;
    }
    boolean neverSent = task.state() == IngestTask.State.PENDING && task.failures() == 0
        || task.state() == IngestTask.State.INTENT && ownIntents.contains(taskId);
    String reason = requestedReason.orElse("cancelled by request");
    String message = neverSent
        ? "cancelled before it was sent upstream: " + reason
        : "cancelled while its starting call was in flight or being retried; the upstream may have started it and"
            + " was not asked to stop: " + reason;
    effects.complete(Completion.cancelled(task.origin(taskId), Via.INGEST, now, message), task.trace());
    ownIntents.remove(taskId);
    done(taskId, task, now, "cancelled", neverSent ? "cancelled before dispatch" : "cancelled during dispatch");
  }

  /**
   * The task is followed by the poller or the callbacks service now: the cancel goes to it on the tasks topic, under
   * the task's key like its hand-off, so it is read after the hand-off. The owner publishes the completion, or, when
   * the task ended first, ignores the cancel. A second cancel is forwarded again and ignored there the same way.
   */
  private void forwardCancel(String taskId, IngestTask.Ended ended, String reason, Instant now) {
    TaskAccepted cancel = TaskAccepted.cancelOf(taskId, ended.provider(), ended.mode(), ended.correlationId(), reason,
        now);
    effects.toTasksTopic(taskId, cancel, now);
    meters.cancelForwarded();
    LOG.info("task {} provider {}: cancel forwarded to the {} path, which follows the task", taskId, ended.provider(),
        ended.mode().name().toLowerCase(Locale.ROOT));
  }

  // ---- dispatch -------------------------------------------------------------------------------------------------

  /** A GO read back: this incarnation's intent is durable and its call is made now, or a foreign one is in doubt. */
  void onGo(DispatchEvent go, Instant now) {
    IngestTask task = effects.task(go.taskId());
    if (task == null || task.state() != IngestTask.State.INTENT || task.attempt() != go.attempt()) {
      return; // stale: this intent was superseded or the task ended
    }
    if (!now.isBefore(task.deadline())) {
      timeOut(go.taskId(), task, now);
      return;
    }
    if (!epoch.equals(go.epoch())) {
      // Written by an earlier incarnation, which may have made the call before it stopped. Wait for a late answer,
      // then let the provider's policy decide.
      effects.save(go.taskId(), task, task.with(IngestTask.State.SENDING, task.attempt(), go.epoch(),
          answerDue(task, now)));
      return;
    }
    ownIntents.remove(go.taskId());
    DispatchJob job = new DispatchJob(go.taskId(), task.attempt(), task.partition(), task.request(), task.deadline(),
        task.trace());
    if (dispatcher.tryDispatch(job)) {
      effects.save(go.taskId(), task, task.with(IngestTask.State.SENDING, task.attempt(), epoch, answerDue(task, now)));
    } else {
      effects.save(go.taskId(), task, task.with(IngestTask.State.PENDING, task.attempt(), epoch,
          now.plus(NO_CAPACITY_DELAY)));
    }
  }

  private Instant answerDue(IngestTask task, Instant now) {
    Duration timeout = config.provider(task.request().provider()).map(provider -> provider.dispatch().requestTimeout())
        .orElse(Duration.ofSeconds(30));
    return now.plus(timeout).plus(ANSWER_MARGIN);
  }

  /** The upstream's answer to an attempt (a RESULT record). */
  void onResult(DispatchEvent result, Instant now) {
    IngestTask task = effects.task(result.taskId());
    if (task == null || task.attempt() != result.attempt()
        || (task.state() != IngestTask.State.SENDING && task.state() != IngestTask.State.INTENT)) {
      return; // an answer to an attempt that no longer matters
    }
    TaskOrigin origin = task.origin(result.taskId());
    switch (result.outcome()) {
      case ACCEPTED -> handOver(result, task, now);
      case SUCCEEDED -> {
        effects.complete(Completion.succeeded(origin.accepted(now, new UpstreamInfo(result.httpStatus(), null, null)),
            Via.INGEST, now, result.body()), task.trace());
        done(result.taskId(), task, now, "succeeded", "succeeded with the upstream's first answer (HTTP "
            + result.httpStatus() + ")");
      }
      case REJECTED -> {
        effects.complete(Completion.rejected(origin.refused(new UpstreamInfo(result.httpStatus(), null, null)), now,
            result.body(), new TaskError(result.errorCode(), result.message())), task.trace());
        done(result.taskId(), task, now, "upstream_rejected", "rejected (" + result.errorCode() + ")");
      }
      case FAILED -> {
        effects.complete(Completion.failed(origin.accepted(now, new UpstreamInfo(result.httpStatus(), null, null)),
            Via.INGEST, now, result.body(), new TaskError(result.errorCode(), result.message())), task.trace());
        done(result.taskId(), task, now, "failed", "failed (" + result.errorCode() + ")");
      }
      case RETRY -> retry(result, task, origin, now);
      default -> throw new IllegalStateException("unknown outcome " + result.outcome());
    }
  }

  private void handOver(DispatchEvent result, IngestTask task, Instant now) {
    TaskRequest request = task.request();
    Optional<ProviderConfig> configured = config.provider(request.provider());
    if (configured.isEmpty()) {
      // Accepted upstream, but this instance's config no longer knows the provider, so nobody could follow the task.
      TaskOrigin origin = task.origin(result.taskId()).accepted(now,
          new UpstreamInfo(result.httpStatus(), result.notificationUrl(), result.correlationId()));
      effects.complete(Completion.failed(origin, Via.INGEST, now, null, new TaskError(ErrorCode.UNKNOWN_PROVIDER,
          "the upstream accepted the task, but provider '" + request.provider() + "' is no longer configured")),
          task.trace());
      done(result.taskId(), task, now, "failed", "failed: provider no longer configured");
      return;
    }
    ProviderConfig provider = configured.get();
    Duration firstPollDelay = result.retryAfterMillis() == null ? null : Duration.ofMillis(result.retryAfterMillis());
    TaskAccepted accepted = new TaskAccepted(result.taskId(), request.provider(), provider.mode(), task.submittedAt(),
        now, task.deadline(), result.httpStatus(), result.notificationUrl(), result.correlationId(), request.metadata(),
        firstPollDelay, task.trace());
    effects.toTasksTopic(result.taskId(), accepted, now);
    done(result.taskId(), task, now, new IngestTask.Ended("handed_over", request.provider(), provider.mode(),
        result.correlationId()), "accepted upstream (HTTP " + result.httpStatus() + "), handed to the "
        + provider.mode().name().toLowerCase(Locale.ROOT) + " path");
  }

  private void retry(DispatchEvent result, IngestTask task, TaskOrigin origin, Instant now) {
    Optional<ProviderConfig> provider = config.provider(task.request().provider());
    int failures = task.failures() + 1;
    int maxAttempts = provider.map(p -> p.dispatch().maxAttempts()).orElse(1);
    if (failures >= maxAttempts) {
      effects.complete(Completion.failed(origin, Via.INGEST, now, null, new TaskError(result.errorCode() == null
          ? ErrorCode.UPSTREAM_UNAVAILABLE.code() : result.errorCode(), "gave up after " + failures + " attempts: "
          + result.message())), task.trace());
      done(result.taskId(), task, now, "failed", "failed after " + failures + " attempts");
      return;
    }
    Backoff backoff = provider.map(p -> new Backoff(p.dispatch().initialBackoff(), 2.0, p.dispatch().maxBackoff(), 0.2))
        .orElse(new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 0.2));
    Duration retryAfter = result.retryAfterMillis() == null ? null : Duration.ofMillis(result.retryAfterMillis());
    Instant next = now.plus(backoff.delay(failures - 1, random, retryAfter));
    if (next.isAfter(task.deadline())) {
      next = task.deadline();
    }
    effects.save(result.taskId(), task, task.failedOnce(result.message(), next));
    LOG.info("task {} provider {}: attempt {} failed ({}), retrying at {}", result.taskId(), task.request().provider(),
        task.attempt(), result.message(), next);
  }

  // ---- time -----------------------------------------------------------------------------------------------------

  /** The start of a tick: when the service is stopping, intents not read back become pending again. */
  void beforeDue(Instant now) {
    if (!dispatcher.isAccepting()) {
      releaseOwnIntents(now);
    }
  }

  /** A task whose entry in the due index fired (and still matches its state). */
  void onDue(String taskId, IngestTask task, Instant now) {
    if (!now.isBefore(task.deadline())) {
      timeOut(taskId, task, now);
      return;
    }
    switch (task.state()) {
      case PENDING -> intent(taskId, task, now);
      case INTENT -> {
        if (epoch.equals(task.epoch())) {
          // Our GO is committed and will be read (an aborted transaction would have re-created this processor);
          // it is only late, behind a backlog. Wait for it rather than adding another GO to the backlog.
          effects.save(taskId, task, task.with(IngestTask.State.INTENT, task.attempt(), epoch, now.plus(GO_TIMEOUT)));
        } else {
          unknownOutcome(taskId, task, now);
        }
      }
      case SENDING -> {
        DispatchJob job = new DispatchJob(taskId, task.attempt(), task.partition(), task.request(), task.deadline());
        if (epoch.equals(task.epoch()) && dispatcher.isAccountedFor(job)) {
          effects.save(taskId, task, task.with(IngestTask.State.SENDING, task.attempt(), task.epoch(),
              answerDue(task, now)));
        } else {
          unknownOutcome(taskId, task, now);
        }
      }
      default -> throw new IllegalStateException("unexpected state " + task.state());
    }
  }

  private void intent(String taskId, IngestTask task, Instant now) {
    if (!dispatcher.isAccepting()) {
      // Stopping: leave it pending, so the next instance sends it with no doubt about whether it was sent.
      effects.save(taskId, task, task.with(IngestTask.State.PENDING, task.attempt(), epoch,
          now.plus(STOPPING_RECHECK)));
      return;
    }
    int attempt = task.attempt() + 1;
    effects.save(taskId, task, task.with(IngestTask.State.INTENT, attempt, epoch, now.plus(GO_TIMEOUT)));
    ownIntents.add(taskId);
    effects.go(taskId, DispatchEvent.go(taskId, attempt, task.partition(), epoch), now);
  }

  /**
   * The service is stopping: intents whose GO this incarnation has not read back were never sent, so they become
   * pending again. Without this, the next instance would read those GOs as foreign and, not knowing whether the call
   * was made, apply the unknown-outcome policy to tasks that were simply waiting.
   */
  private void releaseOwnIntents(Instant now) {
    for (String taskId : ownIntents) {
      IngestTask task = effects.task(taskId);
      if (task != null && task.state() == IngestTask.State.INTENT && epoch.equals(task.epoch())) {
        effects.save(taskId, task, task.with(IngestTask.State.PENDING, task.attempt(), epoch,
            now.plus(STOPPING_RECHECK)));
      }
    }
    ownIntents.clear();
  }

  private void unknownOutcome(String taskId, IngestTask task, Instant now) {
    TaskRequest request = task.request();
    boolean resend = config.provider(request.provider())
        .map(provider -> provider.dispatch().resendsAfterUnknownOutcome(request.method().name())).orElse(false);
    if (resend) {
      LOG.warn("task {} provider {}: the outcome of attempt {} is unknown ({}); sending again as the provider's"
          + " policy allows", taskId, request.provider(), task.attempt(), LOST_TRACK);
      effects.save(taskId, task, task.with(IngestTask.State.PENDING, task.attempt(), epoch, now));
      return;
    }
    TaskOrigin origin = task.origin(taskId);
    effects.complete(Completion.failed(origin, Via.INGEST, now, null, new TaskError(ErrorCode.DISPATCH_OUTCOME_UNKNOWN,
        request.method() + " attempt " + task.attempt() + " was in flight when " + LOST_TRACK + "; whether the"
            + " upstream received it is unknown, and provider " + request.provider() + " does not allow sending "
            + request.method() + " again (dispatch.onUnknownOutcome)")), task.trace());
    done(taskId, task, now, "failed", "failed: dispatch outcome unknown");
  }

  private void timeOut(String taskId, IngestTask task, Instant now) {
    TaskOrigin origin = task.origin(taskId);
    effects.complete(Completion.timedOut(origin, now, Duration.between(task.submittedAt(), task.deadline())),
        task.trace());
    done(taskId, task, now, "timed_out", "timed out before the upstream accepted it");
  }

  private void done(String taskId, IngestTask task, Instant now, String outcome, String what) {
    done(taskId, task, now, IngestTask.Ended.of(outcome, task.request() == null ? null : task.request().provider()),
        what);
  }

  private void done(String taskId, IngestTask task, Instant now, IngestTask.Ended ended, String what) {
    effects.save(taskId, task, IngestTask.done(task.partition(), task.submittedAt(),
        now.plus(settings.dedupeRetention()), ended));
    LOG.info("task {} provider {}: {}", taskId, task.request() == null ? "?" : task.request().provider(), what);
  }

  /** A provider name from an invalid request, safe to log: no control characters, bounded length. */
  static String printable(String provider) {
    return provider == null ? "?" : Admission.abbreviate(provider.replaceAll("[^A-Za-z0-9._:-]", "?"));
  }
}
