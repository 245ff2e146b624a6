package io.asyncbridge.poller.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.PollPolicy;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.TaskMode;
import io.asyncbridge.core.observability.CompletionMeters;
import io.asyncbridge.core.observability.InFlightTasks;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.streams.DueIndex;
import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.asyncbridge.poller.state.PollTask;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.cloudevents.CloudEventHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of poll-mode tasks. Inputs: {@link TaskAccepted} (a new task) and {@link PollObservation} (the
 * answer to a poll). A wall-clock punctuator scans the due index: a task past its deadline times out, any other due
 * task gets a poll (a lease: if no answer arrives in time it is due again, and the late answer is stale). A task
 * leaves both stores in the same transaction as its one completion.
 */
final class PollTaskProcessor implements Processor<String, Object, String, Object> {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.asyncbridge.schemas.EventJson.newMapper();

  private static final Logger LOG = LoggerFactory.getLogger(PollTaskProcessor.class);

  private final BridgeConfig config;
  private final PollDispatcher dispatcher;
  private final Clock clock;
  private final PollerTopology.Tuning tuning;
  private final Duration unknownProviderRetry;
  private final InFlightTasks inFlight;
  private final CompletionMeters completions;
  private InFlightTasks.Share followed;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, PollTask> tasks;
  private DueIndex due;
  private ObservationRules rules;

  PollTaskProcessor(BridgeConfig config, PollDispatcher dispatcher, Clock clock, PollerTopology.Tuning tuning,
      ServiceMeters meters) {
    this.inFlight = meters.inFlight();
    this.completions = meters.completions();
    this.config = config;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.tuning = tuning;
    // A task of a provider this instance does not know waits for a config roll-out at the slowest configured pace.
    this.unknownProviderRetry = config.providers().values().stream().map(provider -> provider.poll().maxInterval())
        .max(Duration::compareTo).orElse(Duration.ofSeconds(60));
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.tasks = context.getStateStore(PollerTopology.TASKS_STORE);
    this.due = new DueIndex(context.getStateStore(PollerTopology.DUE_STORE));
    this.rules = new ObservationRules();
    this.followed = inFlight.share();
    // The store was restored before init: count what this stream task follows once, then keep the count current.
    try (KeyValueIterator<String, PollTask> all = tasks.all()) {
      all.forEachRemaining(entry -> followed.add(entry.value.provider()));
    }
    context.schedule(tuning.tick(), PunctuationType.WALL_CLOCK_TIME, timestamp -> pollDue());
  }

  @Override
  public void close() {
    if (followed != null) {
      followed.close(); // whichever instance gets this stream task counts its tasks from now on
    }
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.key() == null || record.value() == null) {
      return; // unreadable input was already logged by the deserialization handler; nothing to key it to
    }
    if (record.value() instanceof TaskAccepted accepted) {
      accept(record.key(), accepted);
    } else if (record.value() instanceof PollObservation observation) {
      observe(record.key(), observation);
    }
  }

  private void accept(String taskId, TaskAccepted accepted) {
    if (accepted.mode() != TaskMode.POLL) {
      return; // the callbacks service follows it
    }
    if (tasks.get(taskId) != null) {
      LOG.debug("task {} is already followed; repeated hand-off ignored", taskId);
      return;
    }
    if (accepted.provider() == null || accepted.submittedAt() == null || accepted.deadline() == null) {
      LOG.error("task {}: hand-off without provider, submittedAt or deadline cannot be followed; dropped", taskId);
      return;
    }
    int partition = context.recordMetadata().map(metadata -> metadata.partition()).orElse(0);
    Instant acceptedAt = accepted.acceptedAt() == null ? accepted.submittedAt() : accepted.acceptedAt();
    if (accepted.notificationUrl() == null || accepted.notificationUrl().isBlank()) {
      PollTask task = PollTask.accepted(accepted, partition, acceptedAt);
      complete(taskId, task, Completion.failed(task.origin(taskId), Via.POLL, clock.instant(), null,
          new TaskError("notification_url_missing", "the upstream's answer carried no notification link")));
      return;
    }
    // A Retry-After on the accept answer (carried as firstPollDelay) says when the upstream wants the first poll.
    Duration initialDelay = config.provider(accepted.provider()).map(p -> accepted.firstPollDelay() != null
        && p.poll().honourRetryAfter() ? accepted.firstPollDelay() : p.poll().initialDelay()).orElse(Duration.ZERO);
    Instant firstDue = earliest(acceptedAt.plus(initialDelay), accepted.deadline());
    PollTask task = PollTask.accepted(accepted, partition, firstDue);
    tasks.put(taskId, task);
    due.schedule(taskId, firstDue);
    followed.add(task.provider());
    LOG.info("task {} provider {}: polling (first poll at {}, deadline {})", taskId, task.provider(), firstDue,
        accepted.deadline());
  }

  private void pollDue() {
    Instant now = clock.instant();
    Set<String> saturated = new HashSet<>();
    for (DueIndex.Due entry : due.due(now, tuning.maxDuePerTick())) {
      PollTask task = tasks.get(entry.id());
      if (task == null || task.nextDueAtMillis() != entry.at().toEpochMilli()) {
        due.unschedule(entry.id(), entry.at()); // left over from an earlier schedule; the task's own entry rules
        continue;
      }
      if (!now.isBefore(task.deadline())) {
        complete(entry.id(), task, Completion.timedOut(task.origin(entry.id()), now, task.timeout()));
        continue;
      }
      if (saturated.contains(task.provider())) {
        // Push it back a tick: left at the head of the index, a saturated provider's backlog would fill every
        // tick's batch and starve other providers (and deadlines) further down.
        reschedule(entry.id(), task, task.dueAt(earliest(now.plus(tuning.tick()), task.deadline())));
      } else {
        poll(entry.id(), task, now, saturated);
      }
    }
  }

  private void poll(String taskId, PollTask task, Instant now, Set<String> saturated) {
    Optional<ProviderConfig> provider = config.provider(task.provider());
    if (provider.isEmpty()) {
      LOG.error("task {} provider {}: provider not configured in this poller; kept and retried in {}", taskId,
          task.provider(), unknownProviderRetry);
      reschedule(taskId, task, task.dueAt(earliest(now.plus(unknownProviderRetry), task.deadline())));
      return;
    }
    int attempt = task.attempt() + 1;
    if (!dispatcher.tryDispatch(new PollJob(taskId, attempt, task.partition(), task.provider(), task.notificationUrl()))) {
      saturated.add(task.provider());
      reschedule(taskId, task, task.dueAt(earliest(now.plus(tuning.tick()), task.deadline())));
      return;
    }
    Instant leaseUntil = earliest(now.plus(provider.get().poll().requestTimeout()).plus(tuning.leaseMargin()),
        task.deadline());
    reschedule(taskId, task, task.leased(attempt, leaseUntil));
  }

  private void observe(String taskId, PollObservation observation) {
    PollTask task = tasks.get(taskId);
    if (task == null || !task.awaiting() || task.attempt() != observation.attempt()) {
      LOG.debug("task {}: stale observation of attempt {} ignored", taskId, observation.attempt());
      return;
    }
    Instant now = clock.instant();
    PollPolicy policy = config.provider(task.provider()).map(ProviderConfig::poll).orElse(null);
    ObservationRules.Decision decision = rules.decide(taskId, task, observation, policy, now);
    decision.progress().ifPresent(progress -> emitProgress(taskId, task, progress, observation));
    if (decision.completion() != null) {
      complete(taskId, task, decision.completion());
    } else {
      int progress = decision.progress().orElse(task.lastProgress());
      reschedule(taskId, task, task.answered(decision.nextIntervalIndex(), progress,
          earliest(decision.nextPollAt(), task.deadline())));
    }
  }

  private void emitProgress(String taskId, PollTask task, int progress, PollObservation observation) {
    ProgressEvent event = ProgressEvent.of(task.origin(taskId), progress, observation.statusWord(),
        observation.observedAt() == null ? clock.instant() : observation.observedAt());
    context.forward(new Record<String, Object>(taskId, event, clock.millis(), CloudEventHeaders.forProgress(event)),
        PollerTopology.PROGRESS_SINK);
  }

  private void complete(String taskId, PollTask task, Completion unbounded) {
    Completion completion = unbounded.withBoundedResult(JSON);
    context.forward(new Record<String, Object>(taskId, completion, clock.millis(),
        CloudEventHeaders.forCompletion(completion)), PollerTopology.COMPLETIONS_SINK);
    completions.completed(completion);
    if (tasks.delete(taskId) != null) {
      due.unschedule(taskId, task.nextDueAt());
      followed.remove(task.provider());
    }
    LOG.info("task {} provider {}: {}{}", taskId, task.provider(), completion.status().wireName(),
        completion.error() == null ? "" : " (" + completion.error().code() + ")");
  }

  private void reschedule(String taskId, PollTask before, PollTask after) {
    tasks.put(taskId, after);
    if (before.nextDueAtMillis() != after.nextDueAtMillis()) {
      due.reschedule(taskId, before.nextDueAt(), after.nextDueAt());
    }
  }

  static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
