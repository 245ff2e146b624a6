package io.asyncbridge.ingest.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.streams.DueIndex;
import io.asyncbridge.core.upstream.Backoff;
import io.asyncbridge.ingest.dispatch.DispatchEvent;
import io.asyncbridge.ingest.dispatch.DispatchJob;
import io.asyncbridge.ingest.dispatch.UpstreamDispatcher;
import io.asyncbridge.ingest.request.RequestRules;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.UpstreamInfo;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.cloudevents.CloudEventHeaders;
import io.asyncbridge.schemas.request.ParsedRequest;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.trace.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest's state machine, one instance per partition. Requests are validated and deduplicated by taskId; a valid one
 * becomes an intent (state + GO record, committed together). The call is made only when this same incarnation reads
 * its GO back: the intent is then durable, and a GO read by a later incarnation (after a crash or rebalance) means
 * the call may or may not have happened, so the provider's policy for an unknown outcome decides. Answers come back
 * as RESULT records; a task ends here as handed over (TaskAccepted), rejected, failed or timed out.
 */
final class IngestProcessor implements Processor<Object, Object, Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(IngestProcessor.class);
  /** Why a call's outcome can be unknown: the two ways ingest loses track of a call in flight. */
  private static final String LOST_TRACK = "the instance that sent it stopped, or could not record the upstream's"
      + " answer in Kafka in time";
  private static final Duration GO_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);
  private static final Duration NO_CAPACITY_DELAY = Duration.ofMillis(200);
  private static final Duration STOPPING_RECHECK = Duration.ofSeconds(1);
  private static final int DUE_PER_TICK = 2_000;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.asyncbridge.schemas.EventJson.newMapper();

  private final BridgeConfig config;
  private final IngestSettings settings;
  private final UpstreamDispatcher dispatcher;
  private final RequestParser parser;
  private final RequestRules rules;
  private final Clock clock;
  private final IngestMeters meters;
  private final SplittableRandom random = new SplittableRandom();

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, IngestTask> tasks;
  private DueIndex due;
  private String epoch;
  /** Intents of this incarnation whose GO was not read back yet: no call was made for them. */
  private final java.util.Set<String> ownIntents = new java.util.HashSet<>();

  IngestProcessor(BridgeConfig config, IngestSettings settings, UpstreamDispatcher dispatcher, RequestParser parser,
      Clock clock, IngestMeters meters) {
    this.meters = meters;
    this.config = config;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.parser = parser;
    this.rules = new RequestRules(config);
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.tasks = context.getStateStore(IngestTopology.TASKS_STORE);
    this.due = new DueIndex(context.getStateStore(IngestTopology.DUE_STORE));
    this.epoch = UUID.randomUUID().toString(); // a new incarnation: GO records of any earlier one are foreign
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, timestamp -> onTick());
  }

  @Override
  public void process(Record<Object, Object> record) {
    if (record.value() instanceof DispatchEvent event) {
      if (event.type() == DispatchEvent.Type.GO) {
        onGo(event);
      } else {
        onResult(event);
      }
    } else {
      onRequest(record);
    }
  }

  // ---- requests -------------------------------------------------------------------------------------------------

  private void onRequest(Record<Object, Object> record) {
    byte[] key = (byte[]) record.key();
    byte[] value = (byte[]) record.value();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    Instant now = clock.instant();
    Instant submittedAt = record.timestamp() < 0 || record.timestamp() > now.toEpochMilli()
        ? now : Instant.ofEpochMilli(record.timestamp());
    if (value != null && value.length > settings.maxRequestBytes()) {
      reject(record, source, parser.readableTaskId(value).map(id -> new TaskOrigin(id, null, submittedAt, null, null, null)),
          new TaskError(ErrorCode.REQUEST_TOO_LARGE, "the request has " + value.length + " bytes; at most "
              + settings.maxRequestBytes() + " are accepted"));
      return;
    }
    ParsedRequest parsed = parser.parse(value);
    if (parsed instanceof ParsedRequest.Cancel cancel) {
      onCancel(record, source, cancel, key == null ? null : new String(key, StandardCharsets.UTF_8));
      return;
    }
    if (parsed instanceof ParsedRequest.Invalid invalid && invalid.cancel()) {
      deadLetterCancel(record, source, invalid.taskId().orElse("?"), TaskError.invalidRequest(invalid.violations()));
      return;
    }
    if (parsed instanceof ParsedRequest.Invalid invalid) {
      reject(record, source, invalid.origin(submittedAt), TaskError.invalidRequest(invalid.violations()));
      return;
    }
    TaskRequest request = ((ParsedRequest.Valid) parsed).request();
    TaskOrigin origin = TaskOrigin.of(request, submittedAt);
    String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
    if (!request.taskId().equals(keyText)) {
      reject(record, source, Optional.of(origin), new TaskError(ErrorCode.INVALID_KEY, "the record key must be the"
          + " taskId ('" + request.taskId() + "'), found " + (keyText == null ? "no key" : "'" + abbreviate(keyText) + "'")
          + "; the bridge relies on it to deduplicate and order a task's events"));
      return;
    }
    IngestTask existing = tasks.get(request.taskId());
    if (existing != null && !(existing.endedRejected() && DeadLetters.isReplay(record.headers()))) {
      LOG.info("task {} provider {}: duplicate request ignored (state {})", request.taskId(), request.provider(),
          existing.state());
      return;
    }
    if (existing != null) {
      // A re-driven dead letter: the task was rejected before any upstream call, so sending it now cannot double one.
      LOG.info("task {} provider {}: replay of a request that was rejected; processing it again", request.taskId(),
          request.provider());
    }
    Optional<TaskError> broken = rules.check(request);
    if (broken.isPresent()) {
      reject(record, source, Optional.of(origin), broken.get());
      return;
    }
    IngestTask task = new IngestTask(IngestTask.State.PENDING, 0, 0, epoch, source.partition(), submittedAt,
        rules.deadline(request, submittedAt), null, null, request, null, TraceContext.from(record.headers()).orElse(null));
    save(request.taskId(), existing, task);
    intent(request.taskId(), task, now);
    LOG.info("task {} provider {}: received, dispatching", request.taskId(), request.provider());
  }

  private void reject(Record<Object, Object> record, RecordMetadata source, Optional<TaskOrigin> origin, TaskError error) {
    context.forward(DeadLetters.record(record, source, error), IngestTopology.DEAD_LETTER_SINK);
    meters.deadLettered(error.code());
    if (origin.isEmpty()) {
      LOG.warn("request at {}-{}@{} dead-lettered without a readable taskId: {}", source.topic(), source.partition(),
          source.offset(), error.code());
      return;
    }
    String taskId = origin.get().taskId();
    if (tasks.get(taskId) != null) {
      // The taskId already has a life of its own; a second completion would break exactly-once.
      LOG.warn("task {}: a later invalid request with this taskId was dead-lettered ({})", taskId, error.code());
      return;
    }
    Instant now = clock.instant();
    emit(Completion.rejected(origin.get(), now, error), TraceContext.from(record.headers()).orElse(null));
    save(taskId, null, IngestTask.done(source.partition(), origin.get().submittedAt(), now.plus(settings.dedupeRetention()),
        IngestTask.Ended.of(IngestTask.Ended.REJECTED, origin.get().provider())));
    LOG.info("task {} provider {}: rejected ({})", taskId, printable(origin.get().provider()), error.code());
  }

  // ---- cancel ---------------------------------------------------------------------------------------------------

  /**
   * A cancel ends a task that ingest still holds with its one completion, {@code cancelled}. Before its call was made
   * the task is never sent (the GO that would send it finds the task ended); with the call in flight, its answer is
   * ignored when it comes. A task handed over to the poller or the callbacks service gets the cancel forwarded to
   * it. A task that ended, or is unknown, is left as it is, and the cancel logged.
   */
  private void onCancel(Record<Object, Object> record, RecordMetadata source, ParsedRequest.Cancel cancel,
      String keyText) {
    String taskId = cancel.taskId();
    if (!taskId.equals(keyText)) {
      deadLetterCancel(record, source, taskId, new TaskError(ErrorCode.INVALID_KEY, "the record key must be the"
          + " taskId of the task to cancel ('" + taskId + "'), found "
          + (keyText == null ? "no key" : "'" + abbreviate(keyText) + "'")));
      return;
    }
    IngestTask task = tasks.get(taskId);
    if (task == null) {
      LOG.info("task {}: cancel ignored, no such task is known here", taskId);
      meters.cancelIgnored("unknown");
      return;
    }
    if (task.state() == IngestTask.State.DONE) {
      String outcome = task.ended() == null ? "ended" : task.ended().outcome();
      if (task.ended() != null && "handed_over".equals(outcome) && task.ended().mode() != null) {
        forwardCancel(taskId, task.ended(), cancel.reason().orElse(null));
      } else {
        LOG.info("task {}: cancel ignored, the task already ended ({})", taskId, outcome);
        meters.cancelIgnored("ended");
      }
      return;
    }
    boolean neverSent = task.state() == IngestTask.State.PENDING && task.failures() == 0
        || task.state() == IngestTask.State.INTENT && ownIntents.contains(taskId);
    String reason = cancel.reason().orElse("cancelled by request");
    String message = neverSent
        ? "cancelled before it was sent upstream: " + reason
        : "cancelled while its starting call was in flight or being retried; the upstream may have started it and"
            + " was not asked to stop: " + reason;
    Instant now = clock.instant();
    emit(Completion.cancelled(task.origin(taskId), Via.INGEST, now, message), task.trace());
    ownIntents.remove(taskId);
    done(taskId, task, now, "cancelled", neverSent ? "cancelled before dispatch" : "cancelled during dispatch");
  }

  /**
   * The task is followed by the poller or the callbacks service now: the cancel goes to it on the tasks topic, under
   * the task's key like its hand-off, so it is read after the hand-off. The owner publishes the completion, or, when
   * the task ended first, ignores the cancel. A second cancel is forwarded again and ignored there the same way.
   */
  private void forwardCancel(String taskId, IngestTask.Ended ended, String reason) {
    Instant now = clock.instant();
    TaskAccepted cancel = TaskAccepted.cancelOf(taskId, ended.provider(), ended.mode(), ended.correlationId(), reason,
        now);
    context.forward(new Record<>(taskId, cancel, now.toEpochMilli()), IngestTopology.TASKS_SINK);
    meters.cancelForwarded();
    LOG.info("task {} provider {}: cancel forwarded to the {} path, which follows the task", taskId, ended.provider(),
        ended.mode().name().toLowerCase(java.util.Locale.ROOT));
  }

  private void deadLetterCancel(Record<Object, Object> record, RecordMetadata source, String taskId, TaskError error) {
    context.forward(DeadLetters.record(record, source, error), IngestTopology.DEAD_LETTER_SINK);
    meters.deadLettered(error.code());
    LOG.warn("task {}: cancel dead-lettered ({}); the task, if any, is not affected", printable(taskId), error.code());
  }

  // ---- dispatch -------------------------------------------------------------------------------------------------

  private void onGo(DispatchEvent go) {
    IngestTask task = tasks.get(go.taskId());
    if (task == null || task.state() != IngestTask.State.INTENT || task.attempt() != go.attempt()) {
      return; // stale: this intent was superseded or the task ended
    }
    Instant now = clock.instant();
    if (!now.isBefore(task.deadline())) {
      timeOut(go.taskId(), task, now);
      return;
    }
    if (!epoch.equals(go.epoch())) {
      // Written by an earlier incarnation, which may have made the call before it stopped. Wait for a late answer,
      // then let the provider's policy decide.
      save(go.taskId(), task, task.with(IngestTask.State.SENDING, task.attempt(), go.epoch(), answerDue(task, now)));
      return;
    }
    ownIntents.remove(go.taskId());
    DispatchJob job = new DispatchJob(go.taskId(), task.attempt(), task.partition(), task.request(), task.deadline(),
        task.trace());
    if (dispatcher.tryDispatch(job)) {
      save(go.taskId(), task, task.with(IngestTask.State.SENDING, task.attempt(), epoch, answerDue(task, now)));
    } else {
      save(go.taskId(), task, task.with(IngestTask.State.PENDING, task.attempt(), epoch, now.plus(NO_CAPACITY_DELAY)));
    }
  }

  private Instant answerDue(IngestTask task, Instant now) {
    Duration timeout = config.provider(task.request().provider()).map(provider -> provider.dispatch().requestTimeout())
        .orElse(Duration.ofSeconds(30));
    return now.plus(timeout).plus(ANSWER_MARGIN);
  }

  private void onResult(DispatchEvent result) {
    IngestTask task = tasks.get(result.taskId());
    if (task == null || task.attempt() != result.attempt()
        || (task.state() != IngestTask.State.SENDING && task.state() != IngestTask.State.INTENT)) {
      return; // an answer to an attempt that no longer matters
    }
    Instant now = clock.instant();
    TaskOrigin origin = task.origin(result.taskId());
    switch (result.outcome()) {
      case ACCEPTED -> handOver(result, task, now);
      case SUCCEEDED -> {
        emit(Completion.succeeded(origin.accepted(now, new UpstreamInfo(result.httpStatus(), null, null)), Via.INGEST,
            now, result.body()), task.trace());
        done(result.taskId(), task, now, "succeeded", "succeeded with the upstream's first answer (HTTP "
            + result.httpStatus() + ")");
      }
      case REJECTED -> {
        emit(Completion.rejected(origin.refused(new UpstreamInfo(result.httpStatus(), null, null)), now, result.body(),
            new TaskError(result.errorCode(), result.message())), task.trace());
        done(result.taskId(), task, now, "upstream_rejected", "rejected (" + result.errorCode() + ")");
      }
      case FAILED -> {
        emit(Completion.failed(origin.accepted(now, new UpstreamInfo(result.httpStatus(), null, null)), Via.INGEST, now,
            result.body(), new TaskError(result.errorCode(), result.message())), task.trace());
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
      emit(Completion.failed(origin, Via.INGEST, now, null, new TaskError(ErrorCode.UNKNOWN_PROVIDER,
          "the upstream accepted the task, but provider '" + request.provider() + "' is no longer configured")), task.trace());
      done(result.taskId(), task, now, "failed", "failed: provider no longer configured");
      return;
    }
    ProviderConfig provider = configured.get();
    Duration firstPollDelay = result.retryAfterMillis() == null ? null : Duration.ofMillis(result.retryAfterMillis());
    TaskAccepted accepted = new TaskAccepted(result.taskId(), request.provider(), provider.mode(), task.submittedAt(),
        now, task.deadline(), result.httpStatus(), result.notificationUrl(), result.correlationId(), request.metadata(),
        firstPollDelay, task.trace());
    context.forward(new Record<>(result.taskId(), accepted, now.toEpochMilli()), IngestTopology.TASKS_SINK);
    done(result.taskId(), task, now, new IngestTask.Ended("handed_over", request.provider(), provider.mode(),
        result.correlationId()), "accepted upstream (HTTP " + result.httpStatus() + "), handed to the "
        + provider.mode().name().toLowerCase(java.util.Locale.ROOT) + " path");
  }

  private void retry(DispatchEvent result, IngestTask task, TaskOrigin origin, Instant now) {
    Optional<ProviderConfig> provider = config.provider(task.request().provider());
    int failures = task.failures() + 1;
    int maxAttempts = provider.map(p -> p.dispatch().maxAttempts()).orElse(1);
    if (failures >= maxAttempts) {
      emit(Completion.failed(origin, Via.INGEST, now, null, new TaskError(result.errorCode() == null
          ? ErrorCode.UPSTREAM_UNAVAILABLE.code() : result.errorCode(), "gave up after " + failures + " attempts: " + result.message())), task.trace());
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
    save(result.taskId(), task, task.failedOnce(result.message(), next));
    LOG.info("task {} provider {}: attempt {} failed ({}), retrying at {}", result.taskId(), task.request().provider(),
        task.attempt(), result.message(), next);
  }

  // ---- time -----------------------------------------------------------------------------------------------------

  private void onTick() {
    Instant now = clock.instant();
    if (!dispatcher.isAccepting()) {
      releaseOwnIntents(now);
    }
    for (DueIndex.Due entry : due.due(now, DUE_PER_TICK)) {
      IngestTask task = tasks.get(entry.id());
      if (task == null || !entry.matches(task.due())) {
        due.unschedule(entry.id(), entry.at()); // left behind by an earlier change
        continue;
      }
      if (task.state() == IngestTask.State.DONE) {
        tasks.delete(entry.id());
        due.unschedule(entry.id(), entry.at());
        continue;
      }
      if (!now.isBefore(task.deadline())) {
        timeOut(entry.id(), task, now);
        continue;
      }
      switch (task.state()) {
        case PENDING -> intent(entry.id(), task, now);
        case INTENT -> {
          if (epoch.equals(task.epoch())) {
            // Our GO is committed and will be read (an aborted transaction would have re-created this processor);
            // it is only late, behind a backlog. Wait for it rather than adding another GO to the backlog.
            save(entry.id(), task, task.with(IngestTask.State.INTENT, task.attempt(), epoch, now.plus(GO_TIMEOUT)));
          } else {
            unknownOutcome(entry.id(), task, now);
          }
        }
        case SENDING -> {
          DispatchJob job = new DispatchJob(entry.id(), task.attempt(), task.partition(), task.request(), task.deadline());
          if (epoch.equals(task.epoch()) && dispatcher.isAccountedFor(job)) {
            save(entry.id(), task, task.with(IngestTask.State.SENDING, task.attempt(), task.epoch(), answerDue(task, now)));
          } else {
            unknownOutcome(entry.id(), task, now);
          }
        }
        default -> throw new IllegalStateException("unexpected state " + task.state());
      }
    }
  }

  private void intent(String taskId, IngestTask task, Instant now) {
    if (!dispatcher.isAccepting()) {
      // Stopping: leave it pending, so the next instance sends it with no doubt about whether it was sent.
      save(taskId, task, task.with(IngestTask.State.PENDING, task.attempt(), epoch, now.plus(STOPPING_RECHECK)));
      return;
    }
    int attempt = task.attempt() + 1;
    save(taskId, task, task.with(IngestTask.State.INTENT, attempt, epoch, now.plus(GO_TIMEOUT)));
    ownIntents.add(taskId);
    context.forward(new Record<>(taskId, DispatchEvent.go(taskId, attempt, task.partition(), epoch), now.toEpochMilli()),
        IngestTopology.DISPATCH_SINK);
  }

  /**
   * The service is stopping: intents whose GO this incarnation has not read back were never sent, so they become
   * pending again. Without this, the next instance would read those GOs as foreign and, not knowing whether the call
   * was made, apply the unknown-outcome policy to tasks that were simply waiting.
   */
  private void releaseOwnIntents(Instant now) {
    for (String taskId : ownIntents) {
      IngestTask task = tasks.get(taskId);
      if (task != null && task.state() == IngestTask.State.INTENT && epoch.equals(task.epoch())) {
        save(taskId, task, task.with(IngestTask.State.PENDING, task.attempt(), epoch, now.plus(STOPPING_RECHECK)));
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
      save(taskId, task, task.with(IngestTask.State.PENDING, task.attempt(), epoch, now));
      return;
    }
    TaskOrigin origin = task.origin(taskId);
    emit(Completion.failed(origin, Via.INGEST, now, null, new TaskError(ErrorCode.DISPATCH_OUTCOME_UNKNOWN,
        request.method() + " attempt " + task.attempt() + " was in flight when " + LOST_TRACK + "; whether the"
            + " upstream received it is unknown, and provider " + request.provider() + " does not allow sending "
            + request.method() + " again (dispatch.onUnknownOutcome)")), task.trace());
    done(taskId, task, now, "failed", "failed: dispatch outcome unknown");
  }

  private void timeOut(String taskId, IngestTask task, Instant now) {
    TaskRequest request = task.request();
    TaskOrigin origin = task.origin(taskId);
    emit(Completion.timedOut(origin, now, Duration.between(task.submittedAt(), task.deadline())), task.trace());
    done(taskId, task, now, "timed_out", "timed out before the upstream accepted it");
  }

  // ---- state ----------------------------------------------------------------------------------------------------

  private void done(String taskId, IngestTask task, Instant now, String outcome, String what) {
    done(taskId, task, now, IngestTask.Ended.of(outcome, task.request() == null ? null : task.request().provider()),
        what);
  }

  private void done(String taskId, IngestTask task, Instant now, IngestTask.Ended ended, String what) {
    save(taskId, task, IngestTask.done(task.partition(), task.submittedAt(), now.plus(settings.dedupeRetention()),
        ended));
    LOG.info("task {} provider {}: {}", taskId, task.request() == null ? "?" : task.request().provider(), what);
  }

  private void save(String taskId, IngestTask before, IngestTask after) {
    if (before != null && before.due() != null) {
      due.unschedule(taskId, before.due());
    }
    tasks.put(taskId, after);
    if (after.due() != null) {
      due.schedule(taskId, after.due());
    }
  }

  private void emit(Completion unbounded, TraceContext trace) {
    Completion completion = unbounded.withBoundedResult(JSON);
    Headers headers = CloudEventHeaders.forCompletion(completion);
    if (trace != null) {
      trace.addTo(headers);
    }
    context.forward(new Record<>(completion.taskId(), completion, completion.completedAt().toEpochMilli(), headers),
        IngestTopology.COMPLETIONS_SINK);
    meters.completed(completion, trace);
  }

  /** A provider name from an invalid request, safe to log: no control characters, bounded length. */
  private static String printable(String provider) {
    return provider == null ? "?" : abbreviate(provider.replaceAll("[^A-Za-z0-9._:-]", "?"));
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
