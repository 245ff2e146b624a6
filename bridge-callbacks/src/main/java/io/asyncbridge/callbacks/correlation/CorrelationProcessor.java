package io.asyncbridge.callbacks.correlation;

import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.core.observability.InFlightTasks;
import io.asyncbridge.core.streams.DueIndex;
import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.core.trace.BridgeTracing;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.cloudevents.CloudEventHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins tasks and webhooks by correlation key, in either order, and emits each task's one completion. Every state
 * change and the completion it causes commit in the same exactly_once_v2 transaction, so a crash can neither lose
 * nor double a completion. Deadlines (timed_out), early-webhook expiry and forgetting completed markers are
 * entries of a {@link DueIndex} scanned by a wall-clock punctuator.
 */
final class CorrelationProcessor implements Processor<String, CorrelationEvent, String, Completion> {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.asyncbridge.schemas.EventJson.newMapper();

  private static final Logger LOG = LoggerFactory.getLogger(CorrelationProcessor.class);
  static final int DUE_BATCH = 1_000;

  private final Map<String, StatusRules> statusRules;
  private final Map<String, Duration> defaultTimeouts;
  private final Duration retention;
  private final Duration punctuateEvery;
  private final Clock clock;
  private final InFlightTasks inFlight;
  private final BridgeTracing tracing;

  private ProcessorContext<String, Completion> context;
  private InFlightTasks.Share waiting;
  private KeyValueStore<String, CorrelationState> states;
  private DueIndex due;

  CorrelationProcessor(Map<String, StatusRules> statusRules, Map<String, Duration> defaultTimeouts, Duration retention,
                       Duration punctuateEvery, Clock clock, InFlightTasks inFlight, BridgeTracing tracing) {
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
    this.states = processorContext.getStateStore(CallbacksTopology.STATE_STORE);
    this.due = new DueIndex(processorContext.getStateStore(CallbacksTopology.DUE_STORE));
    processorContext.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, ignored -> expire(clock.instant()));
    waiting = inFlight.share(); // meter: tasks waiting for their webhook, counted once here, then kept current
    try (KeyValueIterator<String, CorrelationState> all = states.all()) {
      all.forEachRemaining(entry -> {
        if (entry.value.phase() == CorrelationState.Phase.WAITING_FOR_WEBHOOK) {
          waiting.add(entry.value.task().provider());
        }
      });
    }
  }

  @Override
  public void close() {
    if (waiting != null) {
      waiting.close();
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
    }
  }

  private void onTask(String key, TaskAccepted task) {
    CorrelationState state = states.get(key);
    Instant now = clock.instant();
    if (state == null) {
      Instant deadline = deadlineOf(task);
      put(key, null, CorrelationState.waiting(task, deadline));
      waiting.add(task.provider());
      LOG.info("task {} ({}) waiting for its webhook until {}", task.taskId(), task.provider(), deadline);
      return;
    }
    switch (state.phase()) {
      case EARLY_WEBHOOK: {
        WebhookReceived webhook = state.webhook();
        if (isForged(webhook, task)) {
          put(key, state.dueAt(), CorrelationState.waiting(task, deadlineOf(task)));
          waiting.add(task.provider());
          LOG.info("task {} ({}) waiting for its webhook; the early one was dropped", task.taskId(), task.provider());
        } else {
          complete(key, state.dueAt(), task, webhook, now);
        }
        return;
      }
      default:
        if (Objects.equals(state.taskId(), task.taskId())) {
          LOG.debug("task {} ({}) handed over again; already {}", task.taskId(), task.provider(), state.phase());
        } else {
          // Two tasks claim one correlation id: the first keeps it; the second must still end (no task is lost).
          emit(Completion.failed(WebhookOutcome.origin(task, task.correlationId()), Via.CALLBACK, now, null,
              new TaskError(ErrorCode.CORRELATION_CONFLICT, "the upstream gave this task the correlation id of task "
                  + state.taskId() + "; its webhook cannot be told apart")), task);
          LOG.warn("task {} ({}) failed: correlation id already used by task {}", task.taskId(), task.provider(),
              state.taskId());
        }
    }
  }

  private void onWebhook(String key, WebhookReceived webhook) {
    CorrelationState state = states.get(key);
    Instant now = clock.instant();
    if (state == null) {
      Instant expiry = now.plus(retention);
      put(key, null, CorrelationState.early(webhook, expiry));
      LOG.info("webhook of {} (correlation {}) held until {} for its task", webhook.provider(), key, expiry);
      return;
    }
    switch (state.phase()) {
      case WAITING_FOR_WEBHOOK:
        if (isForged(webhook, state.task())) {
          return;
        }
        waiting.remove(state.task().provider());
        complete(key, state.dueAt(), state.task(), webhook, now);
        return;
      case EARLY_WEBHOOK:
        LOG.debug("duplicate early webhook of {} (correlation {}) ignored", webhook.provider(), key);
        return;
      default:
        LOG.info("duplicate webhook for task {} ({}) ignored: already completed", state.taskId(), webhook.provider());
    }
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

  private void complete(String key, Instant previousDue, TaskAccepted task, WebhookReceived webhook, Instant now) {
    Completion completion = WebhookOutcome.completion(task, webhook, statusRules.get(task.provider()), now);
    tracing.webhook(task.trace(), task.taskId(), task.provider(), webhook.receivedAt(), now);
    emit(completion, task);
    put(key, previousDue, CorrelationState.completed(task.taskId(), now.plus(retention)));
    LOG.info("task {} ({}) {} via callback", task.taskId(), task.provider(), completion.status().wireName());
  }

  /**
   * One bounded batch per punctuation: after a backlog (the service was down, many deadlines at once) the rest waits
   * for the next tick, so no transaction grows past what can commit within the transaction timeout.
   */
  void expire(Instant now) {
    List<DueIndex.Due> batch = due.due(now, DUE_BATCH);
    {
      for (DueIndex.Due entry : batch) {
        due.unschedule(entry.id(), entry.at());
        CorrelationState state = states.get(entry.id());
        // The index keeps milliseconds; the state may hold nanoseconds (an upstream deadline), so compare millis.
        if (state == null || !entry.matches(state.dueAt())) {
          continue; // a stale index entry: the state moved on
        }
        expire(entry.id(), state, now);
      }
    }
  }

  private void expire(String key, CorrelationState state, Instant now) {
    switch (state.phase()) {
      case WAITING_FOR_WEBHOOK:
        TaskAccepted task = state.task();
        emit(WebhookOutcome.timedOut(task, state.dueAt(), now), task);
        waiting.remove(task.provider());
        states.put(key, CorrelationState.completed(task.taskId(), now.plus(retention)));
        due.schedule(key, now.plus(retention));
        LOG.info("task {} ({}) timed_out: no webhook by its deadline", task.taskId(), task.provider());
        return;
      case EARLY_WEBHOOK:
        states.delete(key);
        LOG.info("early webhook of {} (correlation {}) expired: no task claimed it", state.webhook().provider(), key);
        return;
      default:
        states.delete(key);
    }
  }

  private void put(String key, Instant previousDue, CorrelationState next) {
    if (previousDue != null) {
      due.unschedule(key, previousDue);
    }
    states.put(key, next);
    due.schedule(key, next.dueAt());
  }

  /** The completion carries the W3C trace context its task's request brought. */
  private void emit(Completion unbounded, TaskAccepted task) {
    Completion completion = unbounded.withBoundedResult(JSON);
    org.apache.kafka.common.header.Headers headers = CloudEventHeaders.forCompletion(completion);
    if (task.trace() != null) {
      task.trace().addTo(headers);
      tracing.completion(completion, task.trace());
    }
    context.forward(new Record<>(completion.taskId(), completion, clock.millis(), headers));
  }

  private Instant deadlineOf(TaskAccepted task) {
    if (task.deadline() != null) {
      return task.deadline();
    }
    Instant from = task.acceptedAt() != null ? task.acceptedAt() : task.submittedAt();
    return from.plus(defaultTimeouts.getOrDefault(task.provider(), Duration.ofHours(24)));
  }
}
