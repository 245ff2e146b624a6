package io.asyncbridge.poller.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.PollPolicy;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.observability.CompletionMeters;
import io.asyncbridge.core.observability.InFlightTasks;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.schedule.TaskSchedule;
import io.asyncbridge.core.statemachine.CompletionEmitter;
import io.asyncbridge.core.statemachine.ScheduledStore;
import io.asyncbridge.poller.poll.CancelCaller;
import io.asyncbridge.poller.poll.PollAnswerQueue;
import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.poller.status.PollScheduleViews;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.cloudevents.CloudEventHeaders;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskCancel;
import io.asyncbridge.schemas.task.TaskMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of poll-mode tasks, one instance per stream task (partition).
 *
 * <p>The store holds what a restart needs of each task ({@link PollTask}); the schedule (next due time, lease,
 * attempt) lives in memory, in a {@link TaskSchedule} with one lane per provider, rebuilt from the store when the
 * partition is assigned (both are one {@link ScheduledStore}). A short wall-clock punctuator drains the answers the
 * HTTP client queued for this stream task, then hands what is due to the dispatcher. A poll leases its task: if no
 * answer arrives in time the task is due again with the next attempt, and the late answer is stale. An answer that
 * changes nothing a restart needs writes nothing; new progress writes the record with its progress event, and the end
 * writes the completion and deletes the record, each in the transaction of the punctuation (exactly_once_v2).
 */
final class PollTaskProcessor implements Processor<String, TaskAccepted, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(PollTaskProcessor.class);

  /** The schedule's tag of a task: its attempt number, shifted, with the lowest bit set while a poll is out. */
  private static final int AWAITING = 1;

  private final BridgeConfig config;
  private final PollDispatcher dispatcher;
  private final CancelCaller cancelCaller;
  private final Clock clock;
  private final PollerTopology.Tuning tuning;
  private final Duration unknownProviderRetry;
  private final InFlightTasks inFlight;
  private final CompletionMeters completions;
  private final io.micrometer.core.instrument.Counter cancelsIgnored;
  private final ObservationRules rules = new ObservationRules();
  /** Lane of each poll provider; providers this instance does not poll share the last lane. */
  private final Map<String, Integer> laneOfProvider = new LinkedHashMap<>();
  private final ProviderConfig[] providerOfLane;
  private final int answerCapacity;
  private final PollScheduleViews views;
  private PollScheduleViews.Partition statusView;

  private ProcessorContext<String, Object> context;
  private ScheduledStore<PollTask> tasks;
  private TaskSchedule schedule;
  private CompletionEmitter emitter;
  private PollAnswerQueue answers;
  private InFlightTasks.Share followed;
  private int firstLane;

  PollTaskProcessor(BridgeConfig config, PollDispatcher dispatcher, CancelCaller cancelCaller, Clock clock,
      PollerTopology.Tuning tuning, ServiceMeters meters, PollScheduleViews views) {
    this.cancelCaller = cancelCaller;
    this.views = views;
    this.inFlight = meters.inFlight();
    this.completions = meters.completions();
    this.cancelsIgnored = io.micrometer.core.instrument.Counter.builder("bridge.cancels.ignored")
        .tag("service", meters.service()).tag("reason", "ended")
        .description("cancels that changed nothing, by why").register(meters.registry());
    this.config = config;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.tuning = tuning;
    // A task of a provider this instance does not know waits for a config roll-out at the slowest configured pace.
    this.unknownProviderRetry = config.providers().values().stream().map(provider -> provider.poll().maxInterval())
        .max(Duration::compareTo).orElse(Duration.ofSeconds(60));
    List<ProviderConfig> pollProviders = config.providers().values().stream()
        .filter(provider -> provider.mode() == TaskMode.POLL).toList();
    this.providerOfLane = new ProviderConfig[pollProviders.size() + 1];
    int concurrency = 0;
    for (ProviderConfig provider : pollProviders) {
      providerOfLane[laneOfProvider.size()] = provider;
      laneOfProvider.put(provider.name(), laneOfProvider.size());
      concurrency += provider.poll().concurrency();
    }
    // At most poll.concurrency answers per provider can be on their way between two drains (see PollAnswerQueue).
    this.answerCapacity = concurrency + 64;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.answers = new PollAnswerQueue(answerCapacity);
    this.followed = inFlight.share();
    this.emitter = new CompletionEmitter(context, PollerTopology.COMPLETIONS_SINK, completions);
    restoreSchedule(context.getStateStore(PollerTopology.TASKS_STORE));
    statusView = views.register(context.taskId().partition());
    context.schedule(tuning.tick(), PunctuationType.WALL_CLOCK_TIME, timestamp -> tick());
  }

  /**
   * The store was restored before init: schedule every task it holds, its first poll spread over its provider's
   * first interval (by a hash of its taskId), so a restart or a rebalance with many tasks does not poll them all at
   * once. A Retry-After the upstream gave and the deadline still bound it.
   */
  private void restoreSchedule(KeyValueStore<String, PollTask> store) {
    this.tasks = ScheduledStore.restore(store, providerOfLane.length, clock.millis(), (taskId, task, now) -> {
      int lane = laneOf(task.provider());
      long interval = Math.max(1, policyOf(lane).initialInterval().toMillis());
      long due = Math.max(now + Math.floorMod(spread(taskId), interval), task.notBeforeMillis());
      followed.add(task.provider());
      // A cancel call that was out when the partition moved is made again at once.
      return new ScheduledStore.Placement(lane, task.isCancelling() ? now : Math.min(due, task.deadlineMillis()));
    });
    this.schedule = tasks.schedule();
    int restored = schedule.size();
    if (restored > 0) {
      LOG.info("poll tasks of {} restored: {} in flight, first polls spread over one interval", context.taskId(),
          restored);
    }
  }

  @Override
  public void close() {
    if (statusView != null) {
      views.unregister(context.taskId().partition(), statusView);
    }
    if (answers != null) {
      answers.close(); // answers still on their way belong to whichever instance gets this partition now
    }
    if (followed != null) {
      followed.close(); // whichever instance gets this stream task counts its tasks from now on
    }
  }

  @Override
  public void process(Record<String, TaskAccepted> record) {
    if (record.key() == null || record.value() == null) {
      return; // unreadable input was already logged by the deserialization handler; nothing to key it to
    }
    accept(record.key(), record.value());
  }

  private void accept(String taskId, TaskAccepted accepted) {
    if (accepted.cancels()) {
      if (accepted.cancel().mode() == TaskMode.POLL) {
        cancel(taskId, accepted.cancel());
      }
      return;
    }
    if (accepted.mode() != TaskMode.POLL) {
      return; // the callbacks service follows it
    }
    if (tasks.contains(taskId)) {
      LOG.debug("task {} is already followed; repeated hand-off ignored", taskId);
      return;
    }
    if (accepted.provider() == null || accepted.submittedAt() == null || accepted.deadline() == null) {
      LOG.error("task {}: hand-off without provider, submittedAt or deadline cannot be followed; dropped", taskId);
      return;
    }
    PollTask task = PollTask.accepted(accepted);
    if (accepted.notificationUrl() == null || accepted.notificationUrl().isBlank()) {
      complete(taskId, task, Completion.failed(task.origin(taskId), Via.POLL, clock.instant(), null,
          new TaskError(ErrorCode.NOTIFICATION_URL_MISSING, "the upstream's answer carried no notification link")));
      return;
    }
    int lane = laneOf(task.provider());
    Duration initialDelay = lane < providerOfLane.length - 1 ? firstPollDelay(providerOfLane[lane], accepted)
        : Duration.ZERO;
    Instant firstDue = earliest(task.acceptedAt().plus(initialDelay), accepted.deadline());
    tasks.put(taskId, task, lane, firstDue.toEpochMilli());
    followed.add(task.provider());
    LOG.info("task {} provider {}: polling (first poll at {}, deadline {})", taskId, task.provider(), firstDue,
        accepted.deadline());
  }

  /**
   * A cancel forwarded by ingest: the task's one completion, {@code cancelled}, and its record deleted in the same
   * transaction. A poll still out finds no tag in the schedule when its answer comes, so the answer is dropped as
   * stale. A task that is not here ended first (its completion is out), so the cancel changes nothing.
   */
  private void cancel(String taskId, TaskCancel cancel) {
    PollTask task = tasks.get(taskId);
    if (task == null) {
      LOG.info("task {}: cancel ignored, the task already ended", taskId);
      cancelsIgnored.increment();
      return;
    }
    if (task.isCancelling()) {
      LOG.info("task {}: cancel ignored, its cancel call is being made", taskId);
      return;
    }
    if (!cancelCaller.cancels(task.provider())) {
      completeCancelled(taskId, task, "the upstream was not asked to stop (provider " + task.provider()
          + " has no cancel call)", cancel.reasonOrDefault());
      return;
    }
    // The cancel call first: kept in the store so that a restart makes it again. A new attempt number without a
    // poll out makes the task due for the call, and the answer of a poll still out stale.
    tasks.update(taskId, task.cancelling(cancel.reasonOrDefault()));
    schedule.setTag(taskId, ((schedule.tag(taskId) >>> 1) + 1) << 1);
    tasks.reschedule(taskId, schedule.laneOf(taskId), clock.millis());
    LOG.info("task {} provider {}: cancelling, calling the upstream's cancel first", taskId, task.provider());
  }

  /** The cancel call of a cancelling task that is due: sent, or, when its lease ran out unanswered, given up. */
  private void callCancel(String taskId, PollTask task, int lane, long now) {
    int tag = schedule.tag(taskId);
    if ((tag & AWAITING) != 0) {
      completeCancelled(taskId, task, "the upstream did not answer the cancel call in time",
          task.cancelReason());
      return;
    }
    int attempt = (tag >>> 1) + 1;
    CancelCaller.Start start = cancelCaller.tryCancel(new PollJob(taskId, attempt, task.provider(),
        task.notificationUrl(), answers, task.trace()));
    if (start == CancelCaller.Start.NOT_NOW) {
      // The provider's concurrency, rate limit or Retry-After holds it back, as it would a poll: asked again later.
      schedule.schedule(taskId, lane, now + tuning.tick().toMillis());
      return;
    }
    if (start != CancelCaller.Start.STARTED) {
      completeCancelled(taskId, task, "the upstream was not asked to stop (its cancel call cannot be made here)",
          task.cancelReason());
      return;
    }
    long timeout = policyOf(lane).requestTimeout().toMillis() + tuning.leaseMargin().toMillis();
    schedule.setTag(taskId, attempt << 1 | AWAITING);
    tasks.reschedule(taskId, lane, now + timeout);
  }

  private void cancelAnswered(String taskId, PollTask task, PollObservation answer) {
    String upstream = switch (answer.outcome()) {
      case SUCCEEDED -> "the upstream accepted the cancel call (HTTP " + answer.httpStatus() + ")";
      case FAILED -> "the upstream refused the cancel call (HTTP " + answer.httpStatus() + ")";
      default -> "the cancel call got no answer";
    };
    completeCancelled(taskId, task, upstream, task.cancelReason());
  }

  private void completeCancelled(String taskId, PollTask task, String upstream, String reason) {
    complete(taskId, task, Completion.cancelled(task.origin(taskId), Via.POLL, clock.instant(),
        "cancelled while the bridge polled it; " + upstream + ": " + reason));
  }

  /** A Retry-After on the accept answer (carried as firstPollDelay) says when the upstream wants the first poll. */
  private static Duration firstPollDelay(ProviderConfig provider, TaskAccepted accepted) {
    return accepted.firstPollDelay() != null && provider.poll().honourRetryAfter() ? accepted.firstPollDelay()
        : provider.poll().initialDelay();
  }

  private void tick() {
    answers.drain(this::observe, Integer.MAX_VALUE);
    pollDue(clock.millis());
    statusView.answer(this::scheduleOf);
  }

  /** The status API's view of a task's schedule; null when it is not scheduled here. */
  private PollScheduleViews.Snapshot scheduleOf(String taskId) {
    long due = schedule.dueAt(taskId);
    if (due == TaskSchedule.NOT_SCHEDULED) {
      return null;
    }
    int tag = schedule.tag(taskId);
    return new PollScheduleViews.Snapshot(due, tag >>> 1, (tag & AWAITING) != 0);
  }

  /**
   * Starts what is due, lane by lane (the first lane rotates, so no provider always goes first), within the tick's
   * budget. A lane whose provider is at its concurrency limit is left at once: its backlog stays in place, untouched.
   */
  private void pollDue(long now) {
    int budget = tuning.maxDuePerTick();
    int lanes = providerOfLane.length;
    for (int i = 0; i < lanes && budget > 0; i++) {
      int lane = (firstLane + i) % lanes;
      ScheduledStore.Due<PollTask> due;
      while (budget > 0 && (due = tasks.nextDue(lane, now)) != null) {
        budget--;
        String taskId = due.id();
        PollTask task = due.value();
        if (task.isCancelling()) {
          callCancel(taskId, task, lane, now);
        } else if (now >= task.deadlineMillis()) {
          complete(taskId, task, Completion.timedOut(task.origin(taskId), Instant.ofEpochMilli(now), task.timeout()));
        } else if (providerOfLane[lane] == null) {
          LOG.error("task {} provider {}: provider not configured in this poller; kept and retried in {}", taskId,
              task.provider(), unknownProviderRetry);
          tasks.reschedule(taskId, lane, Math.min(now + unknownProviderRetry.toMillis(), task.deadlineMillis()));
        } else if (!poll(taskId, task, lane, now)) {
          break; // the provider is saturated: the rest of its lane waits for a free slot
        }
      }
    }
    firstLane = (firstLane + 1) % lanes;
  }

  private boolean poll(String taskId, PollTask task, int lane, long now) {
    ProviderConfig provider = providerOfLane[lane];
    int attempt = (schedule.tag(taskId) >>> 1) + 1;
    if (!dispatcher.tryDispatch(new PollJob(taskId, attempt, task.provider(), task.notificationUrl(), answers,
        task.trace()))) {
      tasks.reschedule(taskId, lane, Math.min(now + tuning.tick().toMillis(), task.deadlineMillis()));
      return false;
    }
    long leaseUntil = now + provider.poll().requestTimeout().toMillis() + tuning.leaseMargin().toMillis();
    schedule.setTag(taskId, attempt << 1 | AWAITING);
    tasks.reschedule(taskId, lane, Math.min(leaseUntil, task.deadlineMillis()));
    return true;
  }

  private void observe(PollObservation answer) {
    String taskId = answer.taskId();
    int tag = schedule.tag(taskId);
    if ((tag & AWAITING) == 0 || tag >>> 1 != answer.attempt()) {
      LOG.debug("task {}: stale answer to attempt {} ignored", taskId, answer.attempt());
      return;
    }
    PollTask task = tasks.get(taskId);
    if (task == null) {
      schedule.remove(taskId); // cannot happen while store and schedule move together
      return;
    }
    if (task.isCancelling()) {
      cancelAnswered(taskId, task, answer);
      return;
    }
    Instant now = clock.instant();
    int lane = schedule.laneOf(taskId);
    ObservationRules.Decision decision = rules.decide(taskId, task, answer, policyOrNull(lane), now);
    decision.progress().ifPresent(progress -> emitProgress(taskId, task, progress, answer));
    if (decision.completion() != null) {
      complete(taskId, task, decision.completion());
      return;
    }
    if (!decision.next().equals(task)) {
      tasks.update(taskId, decision.next());
    }
    schedule.setTag(taskId, tag & ~AWAITING);
    tasks.reschedule(taskId, lane, Math.min(decision.nextPollAt().toEpochMilli(), task.deadlineMillis()));
  }

  private void emitProgress(String taskId, PollTask task, int progress, PollObservation observation) {
    ProgressEvent event = ProgressEvent.of(task.origin(taskId), progress, observation.statusWord(),
        observation.observedAt() == null ? clock.instant() : observation.observedAt());
    context.forward(new Record<String, Object>(taskId, event, clock.millis(), traced(CloudEventHeaders.forProgress(event),
        task)), PollerTopology.PROGRESS_SINK);
  }

  private void complete(String taskId, PollTask task, Completion unbounded) {
    Completion completion = emitter.emit(unbounded, task.trace());
    if (tasks.remove(taskId)) {
      followed.remove(task.provider());
    }
    LOG.info("task {} provider {}: {}{}", taskId, task.provider(), completion.status().wireName(),
        completion.error() == null ? "" : " (" + completion.error().code() + ")");
  }

  /** The task's events carry the W3C trace context its request brought. */
  private static org.apache.kafka.common.header.Headers traced(org.apache.kafka.common.header.Headers headers,
      PollTask task) {
    return task.trace() == null ? headers : task.trace().addTo(headers);
  }

  private int laneOf(String provider) {
    Integer lane = laneOfProvider.get(provider);
    return lane == null ? providerOfLane.length - 1 : lane;
  }

  private PollPolicy policyOrNull(int lane) {
    ProviderConfig provider = providerOfLane[lane];
    return provider == null ? null : provider.poll();
  }

  private PollPolicy policyOf(int lane) {
    PollPolicy policy = policyOrNull(lane);
    return policy == null ? ObservationRules.FALLBACK_POLICY : policy;
  }

  /** A well-mixed hash of the taskId: where in the first interval a restored task is polled. */
  private static long spread(String taskId) {
    long h = taskId.hashCode() * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
