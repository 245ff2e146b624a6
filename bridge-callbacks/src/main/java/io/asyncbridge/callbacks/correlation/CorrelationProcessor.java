package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.callbacks.cancel.CancelAnswer;
import io.asyncbridge.callbacks.cancel.CancelAnswers;
import io.asyncbridge.callbacks.cancel.CancelCalls;
import io.asyncbridge.callbacks.cancel.CancelJob;
import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.core.observability.CompletionMeters;
import io.asyncbridge.core.observability.InFlightTasks;
import io.asyncbridge.core.schedule.TaskSchedule;
import io.asyncbridge.core.statemachine.CompletionEmitter;
import io.asyncbridge.core.statemachine.ScheduledStore;
import io.asyncbridge.core.trace.BridgeTracing;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.task.TaskAccepted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins tasks and webhooks by correlation key, in either order, and emits each task's one completion. Every state
 * change and the completion it causes commit in the same exactly_once_v2 transaction, so a crash can neither lose
 * nor double a completion.
 *
 * <p>Tasks waiting for their webhook are the only entries that need a schedule (their deadline, for timed_out): it is
 * an in-memory {@link TaskSchedule}, rebuilt from the waiting store when the stream task starts, so a deadline costs
 * no write (the two are one {@link ScheduledStore}). Early webhooks and completed markers only live for the
 * retention: they are {@link HeldEntries} in a window store that drops whole segments, written once and never deleted
 * one by one. So a webhook for a waiting task costs the completion, a delete and a marker; an early webhook one write.
 *
 * <p>A cancel of a waiting task whose provider has a cancel call is first stored in the task's state (so that a
 * restart makes the call again), then the call is made; its answer, or the end of its time, ends the task. While the
 * call is out the cancel has won: the task's deadline no longer runs and a webhook that comes produces nothing.
 */
final class CorrelationProcessor implements Processor<String, CorrelationEvent, String, Completion> {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.asyncbridge.schemas.EventJson.newMapper();

  private static final Logger LOG = LoggerFactory.getLogger(CorrelationProcessor.class);
  static final int DUE_BATCH = 1_000;
  private static final int DEADLINES = 0;
  /** The schedule's lane of cancelling tasks: due when their call is to be made, or when its answer is overdue. */
  private static final int CANCEL_CALLS = 1;
  /** The schedule's tag of a cancelling task: its call's attempt, shifted left, and this bit while the call is out. */
  private static final int AWAITING = 1;
  /** Added to the provider's request timeout before an unanswered cancel call is given up. */
  static final Duration CANCEL_MARGIN = Duration.ofSeconds(2);

  private final Map<String, StatusRules> statusRules;
  private final Map<String, Duration> defaultTimeouts;
  private final Duration retention;
  private final Duration punctuateEvery;
  private final Clock clock;
  private final InFlightTasks inFlight;
  private final BridgeTracing tracing;
  private final CompletionMeters completions;
  private final io.micrometer.core.instrument.Counter cancelsIgnored;
  private final CancelCalls cancelCalls;
  private final CancelAnswers cancelAnswers = new CancelAnswers();

  private ProcessorContext<String, Completion> context;
  private InFlightTasks.Share waitingMeter;
  private ScheduledStore<CorrelationState> waiting;
  private HeldEntries held;
  private CompletionEmitter emitter;
  private int partition = -1;

  CorrelationProcessor(Map<String, StatusRules> statusRules, Map<String, Duration> defaultTimeouts, Duration retention,
                       Duration punctuateEvery, Clock clock, InFlightTasks inFlight, BridgeTracing tracing,
                       CompletionMeters completions, io.micrometer.core.instrument.Counter cancelsIgnored,
                       CancelCalls cancelCalls) {
    this.completions = completions;
    this.cancelsIgnored = cancelsIgnored;
    this.cancelCalls = cancelCalls;
    this.inFlight = inFlight;
    this.tracing = tracing;
    this.statusRules = statusRules;
    this.defaultTimeouts = defaultTimeouts;
    this.retention = retention;
    this.punctuateEvery = punctuateEvery;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Completion> processorContext) {
    this.context = processorContext;
    KeyValueStore<String, CorrelationState> waitingStore =
        processorContext.getStateStore(CallbacksTopology.WAITING_STORE);
    this.held = new HeldEntries(processorContext.getStateStore(CallbacksTopology.HELD_STORE), retention);
    LegacyStoreMigration.migrate(processorContext.getStateStore(CallbacksTopology.LEGACY_STORE), waitingStore, held,
        retention, clock.instant());
    this.emitter = new CompletionEmitter(processorContext, null, completions);
    if (waitingMeter != null) {
      waitingMeter.close();
    }
    waitingMeter = inFlight.share(); // meter: tasks waiting for their webhook, counted once here, then kept current
    // A new schedule at every init: a stream task revived after a failure is initialized again on restored stores.
    this.waiting = ScheduledStore.restore(waitingStore, 2, clock.millis(), (key, state, now) -> {
      waitingMeter.add(state.task().provider());
      return state.isCancelling()
          ? new ScheduledStore.Placement(CANCEL_CALLS, now) // a cancel call that was out is made again at once
          : new ScheduledStore.Placement(DEADLINES, dueMillis(state.dueAt()));
    });
    partition = processorContext.taskId().partition();
    cancelCalls.partitionOwned(partition);
    processorContext.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, ignored -> expire(clock.instant()));
  }

  @Override
  public void close() {
    if (partition >= 0) {
      cancelCalls.partitionReleased(partition);
      partition = -1;
    }
    if (waitingMeter != null) {
      waitingMeter.close();
      waitingMeter = null;
    }
    if (waiting != null) {
      waiting.clearSchedule();
    }
  }

  @Override
  public void process(Record<String, CorrelationEvent> record) {
    String key = record.key();
    CorrelationEvent event = record.value();
    if (key == null || event == null) {
      LOG.warn("ignored a record without key or value on the webhooks topic");
      return;
    }
    if (event instanceof CorrelationEvent.Task task) {
      onTask(key, task.task());
    } else if (event instanceof CorrelationEvent.Webhook webhook) {
      onWebhook(key, webhook.webhook());
    } else if (event instanceof CorrelationEvent.Cancel cancel) {
      onCancel(key, cancel.cancel());
    }
  }

  private void onTask(String key, TaskAccepted task) {
    Instant now = clock.instant();
    CorrelationState current = waiting.get(key);
    if (current == null) {
      current = held.latest(key, now);
    }
    if (current == null) {
      wait(key, task);
      return;
    }
    switch (current.phase()) {
      case EARLY_WEBHOOK: {
        WebhookReceived webhook = current.webhook();
        if (isForged(webhook, task)) {
          wait(key, task); // the early webhook stays held but is ignored: the waiting task comes first from now on
          LOG.info("task {} ({}): the early webhook held under its correlation id was ignored", task.taskId(),
              task.provider());
        } else {
          complete(key, task, webhook, now);
        }
        return;
      }
      default:
        if (Objects.equals(current.taskId(), task.taskId())) {
          LOG.debug("task {} ({}) handed over again; already {}", task.taskId(), task.provider(), current.phase());
        } else {
          // Two tasks claim one correlation id: the first keeps it; the second must still end (no task is lost).
          emit(Completion.failed(WebhookOutcome.origin(task, task.correlationId()), Via.CALLBACK, now, null,
              new TaskError(ErrorCode.CORRELATION_CONFLICT, "the upstream gave this task the correlation id of task "
                  + current.taskId() + "; its webhook cannot be told apart")), task);
          LOG.warn("task {} ({}) failed: correlation id already used by task {}", task.taskId(), task.provider(),
              current.taskId());
        }
    }
  }

  private void wait(String key, TaskAccepted task) {
    Instant deadline = deadlineOf(task);
    waiting.put(key, CorrelationState.waiting(task, deadline), DEADLINES, dueMillis(deadline));
    waitingMeter.add(task.provider());
    LOG.info("task {} ({}) waiting for its webhook until {}", task.taskId(), task.provider(), deadline);
  }

  private void onWebhook(String key, WebhookReceived webhook) {
    Instant now = clock.instant();
    CorrelationState task = waiting.get(key);
    if (task != null) {
      if (isForged(webhook, task.task())) {
        return;
      }
      if (task.isCancelling()) {
        // The cancel came first and won: its call's answer gives the one completion, this webhook nothing.
        LOG.info("webhook for task {} ({}) ignored: the task is being cancelled", task.taskId(), webhook.provider());
        return;
      }
      stopWaiting(key, task.task());
      complete(key, task.task(), webhook, now);
      return;
    }
    CorrelationState current = held.latest(key, now);
    if (current == null) {
      held.hold(key, CorrelationState.early(webhook, now.plus(retention)), now);
      LOG.info("webhook of {} (correlation {}) held until {} for its task", webhook.provider(), key,
          now.plus(retention));
    } else if (current.phase() == CorrelationState.Phase.EARLY_WEBHOOK) {
      LOG.debug("duplicate early webhook of {} (correlation {}) ignored", webhook.provider(), key);
    } else {
      LOG.info("duplicate webhook for task {} ({}) ignored: already completed", current.taskId(), webhook.provider());
    }
  }

  /**
   * A cancel forwarded by ingest. Without a cancel call the waiting task ends {@code cancelled} at once, its deadline
   * goes, and the completed marker is written, so a webhook that still comes is answered 2xx and recognized as a
   * duplicate (it produces nothing). With one, the cancel is stored in the task's state and the call made; the task
   * ends on its answer. A task that is not waiting ended first (or its marker expired), so the cancel changes nothing.
   */
  private void onCancel(String key, TaskAccepted cancel) {
    CorrelationState state = waiting.get(key);
    if (state == null || !Objects.equals(state.taskId(), cancel.taskId())) {
      LOG.info("task {} ({}): cancel ignored, the task already ended", cancel.taskId(), cancel.provider());
      cancelsIgnored.increment();
      return;
    }
    TaskAccepted task = state.task();
    if (state.isCancelling()) {
      LOG.info("task {} ({}): cancel ignored, its cancel call is being made", task.taskId(), task.provider());
      return;
    }
    if (!cancelCalls.cancels(task.provider())) {
      completeCancelled(key, task, "the upstream was not asked to stop", cancel.cancel().reasonOrDefault());
      return;
    }
    waiting.update(key, state.cancelling(cancel.cancel().reasonOrDefault()));
    long now = clock.millis();
    waiting.reschedule(key, CANCEL_CALLS, now); // out of the deadlines: while cancelling, the cancel wins
    LOG.info("task {} ({}): cancelling, calling the upstream's cancel first", task.taskId(), task.provider());
    callCancel(key, waiting.get(key), now);
  }

  /** The cancel call of a cancelling task that is due: sent, or, when its answer is overdue, given up. */
  private void callCancel(String key, CorrelationState state, long now) {
    TaskAccepted task = state.task();
    int tag = waiting.schedule().tag(key);
    if ((tag & AWAITING) != 0) {
      completeCancelled(key, task, "the upstream did not answer the cancel call in time", state.cancelReason());
      return;
    }
    int attempt = (tag >>> 1) + 1;
    CancelCalls.Start start = cancelCalls.tryCancel(new CancelJob(key, task.taskId(), attempt, task.provider(),
        task.correlationId(), task.trace(), cancelAnswers));
    if (start == CancelCalls.Start.NOT_NOW) {
      waiting.reschedule(key, CANCEL_CALLS, now + punctuateEvery.toMillis()); // the provider's limits hold it back
      return;
    }
    if (start != CancelCalls.Start.STARTED) {
      completeCancelled(key, task, "the upstream was not asked to stop (its cancel call cannot be made here)",
          state.cancelReason());
      return;
    }
    waiting.schedule().setTag(key, attempt << 1 | AWAITING);
    waiting.reschedule(key, CANCEL_CALLS,
        now + cancelCalls.timeout(task.provider()).toMillis() + CANCEL_MARGIN.toMillis());
  }

  private void cancelAnswered(CancelAnswer answer) {
    int tag = waiting.schedule().tag(answer.key());
    CorrelationState state = waiting.get(answer.key());
    if ((tag & AWAITING) == 0 || tag >>> 1 != answer.attempt() || state == null || !state.isCancelling()
        || !Objects.equals(state.taskId(), answer.taskId())) {
      LOG.debug("task {}: stale answer to cancel call {} ignored", answer.taskId(), answer.attempt());
      return;
    }
    completeCancelled(answer.key(), state.task(), answer.describe(), state.cancelReason());
  }

  private void completeCancelled(String key, TaskAccepted task, String upstream, String reason) {
    Instant now = clock.instant();
    stopWaiting(key, task);
    emit(Completion.cancelled(WebhookOutcome.origin(task, task.correlationId()), Via.CALLBACK, now,
        "cancelled while the bridge waited for its webhook; " + upstream + ": " + reason), task);
    held.hold(key, CorrelationState.completed(task.taskId(), now.plus(retention)), now);
    LOG.info("task {} ({}) cancelled while waiting for its webhook; {}", task.taskId(), task.provider(), upstream);
  }

  /** A per-task-route webhook must name the task it meets; anything else may be a forgery. */
  private static boolean isForged(WebhookReceived webhook, TaskAccepted task) {
    if (webhook.routeTaskId() == null || webhook.routeTaskId().equals(task.taskId())) {
      return false;
    }
    LOG.warn("webhook ignored: it came on the route of task {} but its correlation id belongs to task {} ({});"
        + " possible forgery", webhook.routeTaskId(), task.taskId(), task.provider());
    return true;
  }

  private void stopWaiting(String key, TaskAccepted task) {
    waiting.remove(key);
    waitingMeter.remove(task.provider());
  }

  private void complete(String key, TaskAccepted task, WebhookReceived webhook, Instant now) {
    Completion completion = WebhookOutcome.completion(task, webhook, statusRules.get(task.provider()), now);
    // The result is the body parsed. Written again it is at most 6 times as long (a control character becomes a
    // six-character escape), so a small body cannot pass the bound and is not written once more just to measure it.
    tracing.webhook(task.trace(), task.taskId(), task.provider(), webhook.receivedAt(), now);
    emit(webhook.body().length <= Completion.MAX_RESULT_BYTES / 6 ? completion
        : completion.withBoundedResult(JSON), task);
    held.hold(key, CorrelationState.completed(task.taskId(), now.plus(retention)), now);
    LOG.info("task {} ({}) {} via callback", task.taskId(), task.provider(), completion.status().wireName());
  }

  /**
   * One bounded batch per punctuation: after a backlog (the service was down, many deadlines at once) the rest waits
   * for the next tick, so no transaction grows past what can commit within the transaction timeout.
   */
  void expire(Instant now) {
    cancelAnswers.drain(this::cancelAnswered);
    long nowMillis = now.toEpochMilli();
    ScheduledStore.Due<CorrelationState> due;
    for (int i = 0; i < DUE_BATCH && (due = waiting.nextDue(CANCEL_CALLS, nowMillis)) != null; i++) {
      if (!due.value().isCancelling()) {
        // cannot happen while the schedule follows the store; never loop on it
        waiting.reschedule(due.id(), DEADLINES, dueMillis(due.value().dueAt()));
        continue;
      }
      callCancel(due.id(), due.value(), nowMillis);
    }
    for (int i = 0; i < DUE_BATCH && (due = waiting.nextDue(DEADLINES, nowMillis)) != null; i++) {
      String key = due.id();
      CorrelationState state = due.value();
      TaskAccepted task = state.task();
      emit(WebhookOutcome.timedOut(task, state.dueAt(), now), task);
      waiting.remove(key);
      waitingMeter.remove(task.provider());
      held.hold(key, CorrelationState.completed(task.taskId(), now.plus(retention)), now);
      LOG.info("task {} ({}) timed_out: no webhook by its deadline", task.taskId(), task.provider());
    }
  }

  /** A deadline in the schedule's milliseconds, rounded up so that it never fires before the instant itself. */
  private static long dueMillis(Instant at) {
    long millis = at.toEpochMilli();
    return at.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  /**
   * The completion carries the W3C trace context its task's request brought.
   *
   * @param completion a completion whose result is known to be within {@link Completion#MAX_RESULT_BYTES}
   */
  private void emit(Completion completion, TaskAccepted task) {
    emitter.emitBounded(completion, task.trace());
  }

  private Instant deadlineOf(TaskAccepted task) {
    if (task.deadline() != null) {
      return task.deadline();
    }
    Instant from = task.acceptedAt() != null ? task.acceptedAt() : task.submittedAt();
    return from.plus(defaultTimeouts.getOrDefault(task.provider(), Duration.ofHours(24)));
  }
}
