package io.asyncbridge.ingest.topology;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.statemachine.CompletionEmitter;
import io.asyncbridge.core.streams.DueIndex;
import io.asyncbridge.ingest.dispatch.DispatchEvent;
import io.asyncbridge.ingest.dispatch.UpstreamDispatcher;
import io.asyncbridge.ingest.request.Admission;
import io.asyncbridge.ingest.request.RequestRules;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.request.RequestParser;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.trace.TraceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest's processor, one instance per partition: it wires {@link Admission} (what a request record becomes) and the
 * {@link DispatchStateMachine} (what happens to a task until it leaves ingest) to the task store, its due index, the
 * punctuation and the sinks. Everything a record or a tick changes commits in one exactly-once transaction.
 *
 * <p>The due index is changelogged ({@link DueIndex}) rather than an in-memory schedule rebuilt on init, as the poller
 * and the callbacks service keep theirs: the store also holds a {@code DONE} marker per taskId for the dedupe
 * retention (7 days by default), which a rebuild would have to read at every assignment, and the status API lists
 * ingest's in-flight tasks from the index.
 */
final class IngestProcessor implements Processor<Object, Object, Object, Object>, DispatchStateMachine.Effects {

  private static final Logger LOG = LoggerFactory.getLogger(IngestProcessor.class);
  private static final int DUE_PER_TICK = 2_000;

  private final BridgeConfig config;
  private final IngestSettings settings;
  private final UpstreamDispatcher dispatcher;
  private final Admission admission;
  private final Clock clock;
  private final IngestMeters meters;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, IngestTask> tasks;
  private DueIndex due;
  private CompletionEmitter emitter;
  private DispatchStateMachine machine;

  IngestProcessor(BridgeConfig config, IngestSettings settings, UpstreamDispatcher dispatcher, RequestParser parser,
      Clock clock, IngestMeters meters) {
    this.meters = meters;
    this.config = config;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.admission = new Admission(parser, new RequestRules(config), settings.maxRequestBytes());
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.tasks = context.getStateStore(IngestTopology.TASKS_STORE);
    this.due = new DueIndex(context.getStateStore(IngestTopology.DUE_STORE));
    this.emitter = new CompletionEmitter(context, IngestTopology.COMPLETIONS_SINK, meters.completions());
    // A new incarnation: GO records of any earlier one are foreign.
    this.machine = new DispatchStateMachine(config, settings, dispatcher, meters, this, UUID.randomUUID().toString());
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, timestamp -> onTick());
  }

  @Override
  public void process(Record<Object, Object> record) {
    if (record.value() instanceof DispatchEvent event) {
      if (event.type() == DispatchEvent.Type.GO) {
        machine.onGo(event, clock.instant());
      } else {
        machine.onResult(event, clock.instant());
      }
    } else {
      onRequest(record);
    }
  }

  private void onRequest(Record<Object, Object> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    Instant now = clock.instant();
    Admission.Verdict verdict = admission.admit((byte[]) record.key(), (byte[]) record.value(), record.timestamp(),
        now, DeadLetters.isReplay(record.headers()), this::known);
    if (verdict instanceof Admission.Accepted accepted) {
      machine.admitted(accepted, source.partition(), TraceContext.from(record.headers()).orElse(null), now);
    } else if (verdict instanceof Admission.Duplicate duplicate) {
      LOG.info("task {} provider {}: duplicate request ignored (state {})", duplicate.taskId(), duplicate.provider(),
          duplicate.state());
    } else if (verdict instanceof Admission.Rejected rejected) {
      deadLetter(record, source, rejected.error());
      if (rejected.origin().isEmpty()) {
        LOG.warn("request at {}-{}@{} dead-lettered without a readable taskId: {}", source.topic(),
            source.partition(), source.offset(), rejected.error().code());
      } else if (!rejected.completes()) {
        // The taskId already has a life of its own; a second completion would break exactly-once.
        LOG.warn("task {}: a later invalid request with this taskId was dead-lettered ({})",
            rejected.origin().get().taskId(), rejected.error().code());
      } else {
        machine.rejected(rejected.origin().get(), rejected.error(), source.partition(),
            TraceContext.from(record.headers()).orElse(null), now);
      }
    } else if (verdict instanceof Admission.Cancel cancel) {
      machine.cancel(cancel.taskId(), cancel.reason(), now);
    } else if (verdict instanceof Admission.CancelRejected broken) {
      deadLetter(record, source, broken.error());
      LOG.warn("task {}: cancel dead-lettered ({}); the task, if any, is not affected",
          DispatchStateMachine.printable(broken.taskId()), broken.error().code());
    }
  }

  private Admission.Known known(String taskId) {
    IngestTask task = tasks.get(taskId);
    return task == null ? null : new Admission.Known(task.state().name(), task.endedRejected());
  }

  private void deadLetter(Record<Object, Object> record, RecordMetadata source, TaskError error) {
    context.forward(DeadLetters.record(record, source, error), IngestTopology.DEAD_LETTER_SINK);
    meters.deadLettered(error.code());
  }

  /** Due work: retries, GOs and answers that are late, deadlines, and markers whose dedupe retention ended. */
  private void onTick() {
    Instant now = clock.instant();
    machine.beforeDue(now);
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
      machine.onDue(entry.id(), task, now);
    }
  }

  // ---- effects of the state machine -----------------------------------------------------------------------------

  @Override
  public IngestTask task(String taskId) {
    return tasks.get(taskId);
  }

  @Override
  public void save(String taskId, IngestTask before, IngestTask after) {
    if (before != null && before.due() != null) {
      due.unschedule(taskId, before.due());
    }
    tasks.put(taskId, after);
    if (after.due() != null) {
      due.schedule(taskId, after.due());
    }
  }

  @Override
  public void complete(Completion completion, TraceContext trace) {
    emitter.emit(completion, trace);
  }

  @Override
  public void go(String taskId, DispatchEvent go, Instant now) {
    context.forward(new Record<>(taskId, go, now.toEpochMilli()), IngestTopology.DISPATCH_SINK);
  }

  @Override
  public void toTasksTopic(String taskId, TaskAccepted accepted, Instant now) {
    context.forward(new Record<>(taskId, accepted, now.toEpochMilli()), IngestTopology.TASKS_SINK);
  }
}
