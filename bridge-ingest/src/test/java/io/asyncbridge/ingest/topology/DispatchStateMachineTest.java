package io.asyncbridge.ingest.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.ingest.dispatch.DispatchEvent;
import io.asyncbridge.ingest.dispatch.DispatchJob;
import io.asyncbridge.ingest.request.Admission;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.RequestMethod;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.trace.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dispatch state machine on its own: plain maps and lists stand in for the stores and the sinks. */
class DispatchStateMachineTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final BridgeConfig CONFIG = new BridgeConfigLoader(Map.of()).parse("test", """
      providers:
        acquia:
          type: acquia
          baseUrl: https://cloud.acquia.com/api
          clientId: id
          clientSecret: secret
          dispatch: {maxAttempts: 2, initialBackoff: 1s, maxBackoff: 10s}
      """);

  /** The effects as plain collections. */
  private static final class Recorded implements DispatchStateMachine.Effects {
    final Map<String, IngestTask> tasks = new HashMap<>();
    final List<Completion> completions = new ArrayList<>();
    final List<DispatchEvent> gos = new ArrayList<>();
    final List<TaskAccepted> toTasksTopic = new ArrayList<>();

    @Override
    public IngestTask task(String taskId) {
      return tasks.get(taskId);
    }

    @Override
    public void save(String taskId, IngestTask before, IngestTask after) {
      assertThat(tasks.get(taskId)).as("the state the change was made from").isEqualTo(before);
      tasks.put(taskId, after);
    }

    @Override
    public void complete(Completion completion, TraceContext trace) {
      completions.add(completion);
    }

    @Override
    public void go(String taskId, DispatchEvent go, Instant now) {
      gos.add(go);
    }

    @Override
    public void toTasksTopic(String taskId, TaskAccepted accepted, Instant now) {
      toTasksTopic.add(accepted);
    }
  }

  private final Recorded effects = new Recorded();
  private final IngestTopologyTest.FakeDispatcher dispatcher = new IngestTopologyTest.FakeDispatcher();
  private final DispatchStateMachine machine = new DispatchStateMachine(CONFIG,
      new IngestSettings(Duration.ofHours(1), 64 * 1024, Duration.ofMillis(100)), dispatcher,
      new IngestMeters(ServiceMeters.forTests("ingest", CONFIG)), effects, "epoch-1");

  private void admit(String taskId, RequestMethod method) {
    TaskRequest request = new TaskRequest(taskId, "acquia", method, "/applications/a/databases", Map.of(), Map.of(),
        null, null, Map.of());
    machine.admitted(new Admission.Accepted(request, T0, T0.plus(Duration.ofMinutes(30)), false), 0, null, T0);
  }

  private IngestTask task(String taskId) {
    return effects.tasks.get(taskId);
  }

  @Test
  void anAdmittedTaskIsSentWhenItsOwnGoIsReadBackAndHandedOverWhenAccepted() {
    admit("t", RequestMethod.POST);
    assertThat(task("t").state()).isEqualTo(IngestTask.State.INTENT);
    assertThat(effects.gos).containsExactly(DispatchEvent.go("t", 1, 0, "epoch-1"));
    assertThat(dispatcher.jobs).as("nothing is sent before the intent is read back").isEmpty();

    machine.onGo(effects.gos.get(0), T0.plusMillis(5));
    assertThat(dispatcher.jobs).extracting(DispatchJob::taskId).containsExactly("t");
    assertThat(task("t").state()).isEqualTo(IngestTask.State.SENDING);

    machine.onResult(DispatchEvent.accepted(dispatcher.jobs.get(0), 202, "https://cloud.acquia.com/api/n/1", null),
        T0.plusSeconds(1));
    assertThat(effects.toTasksTopic).singleElement().satisfies(accepted -> {
      assertThat(accepted.mode()).isEqualTo(TaskMode.POLL);
      assertThat(accepted.notificationUrl()).isEqualTo("https://cloud.acquia.com/api/n/1");
    });
    assertThat(task("t").state()).isEqualTo(IngestTask.State.DONE);
    assertThat(task("t").ended().outcome()).isEqualTo("handed_over");
    assertThat(effects.completions).as("the poller publishes its completion").isEmpty();
  }

  @Test
  void withoutCapacityTheTaskWaitsAndIsTriedAgainWithANewIntent() {
    dispatcher.capacity = false;
    admit("t", RequestMethod.POST);
    machine.onGo(effects.gos.get(0), T0);
    assertThat(task("t").state()).isEqualTo(IngestTask.State.PENDING);
    assertThat(task("t").due()).isEqualTo(T0.plusMillis(200));

    dispatcher.capacity = true;
    machine.onDue("t", task("t"), T0.plusMillis(200));
    assertThat(effects.gos).extracting(DispatchEvent::attempt).containsExactly(1, 2);
    assertThat(task("t").state()).isEqualTo(IngestTask.State.INTENT);
  }

  @Test
  void aGoOfAnEarlierIncarnationIsInDoubtAndAPostThenFailsAsUnknown() {
    admit("t", RequestMethod.POST);
    machine.onGo(DispatchEvent.go("t", 1, 0, "epoch-0"), T0);
    assertThat(dispatcher.jobs).isEmpty();
    assertThat(task("t").state()).isEqualTo(IngestTask.State.SENDING);

    machine.onDue("t", task("t"), task("t").due());
    assertThat(effects.completions).singleElement().satisfies(completion -> {
      assertThat(completion.status()).isEqualTo(CompletionStatus.FAILED);
      assertThat(completion.error().code()).isEqualTo("dispatch_outcome_unknown");
    });
    assertThat(task("t").state()).isEqualTo(IngestTask.State.DONE);
  }

  @Test
  void aPutInDoubtIsSentAgain() {
    admit("t", RequestMethod.PUT);
    machine.onGo(DispatchEvent.go("t", 1, 0, "epoch-0"), T0);

    machine.onDue("t", task("t"), task("t").due());
    assertThat(effects.completions).isEmpty();
    assertThat(task("t").state()).isEqualTo(IngestTask.State.PENDING);
  }

  @Test
  void aCancelBeforeTheCallEndsTheTaskAndItsGoSendsNothing() {
    admit("t", RequestMethod.POST);
    machine.cancel("t", Optional.of("not needed"), T0);

    assertThat(effects.completions).singleElement().satisfies(completion -> {
      assertThat(completion.status()).isEqualTo(CompletionStatus.CANCELLED);
      assertThat(completion.error().message()).isEqualTo("cancelled before it was sent upstream: not needed");
    });
    machine.onGo(effects.gos.get(0), T0);
    assertThat(dispatcher.jobs).isEmpty();
    assertThat(task("t").ended().outcome()).isEqualTo("cancelled");
  }

  @Test
  void retriesBackOffThenGiveUpAtMaxAttempts() {
    admit("t", RequestMethod.POST);
    machine.onGo(effects.gos.get(0), T0);
    machine.onResult(DispatchEvent.retry(dispatcher.jobs.get(0), 503, null, "upstream_unavailable", "HTTP 503"), T0);
    assertThat(task("t").state()).isEqualTo(IngestTask.State.PENDING);
    assertThat(task("t").failures()).isEqualTo(1);
    assertThat(task("t").due()).isAfter(T0);

    machine.onDue("t", task("t"), task("t").due());
    machine.onGo(effects.gos.get(1), task("t").due());
    machine.onResult(DispatchEvent.retry(dispatcher.jobs.get(1), 503, null, "upstream_unavailable", "HTTP 503"),
        T0.plusSeconds(5));
    assertThat(effects.completions).singleElement().satisfies(completion -> {
      assertThat(completion.status()).isEqualTo(CompletionStatus.FAILED);
      assertThat(completion.error().message()).startsWith("gave up after 2 attempts");
    });
  }

  @Test
  void aTaskDueAfterItsDeadlineTimesOut() {
    dispatcher.capacity = false;
    admit("t", RequestMethod.POST);

    machine.onDue("t", task("t"), T0.plus(Duration.ofMinutes(30)));
    assertThat(effects.completions).extracting(Completion::status).containsExactly(CompletionStatus.TIMED_OUT);
    assertThat(task("t").ended().outcome()).isEqualTo("timed_out");
  }

  @Test
  void whenStoppingOwnIntentsNotReadBackBecomePendingAgain() {
    admit("t", RequestMethod.POST);
    dispatcher.stopAccepting();

    machine.beforeDue(T0.plusMillis(100));
    assertThat(task("t").state()).isEqualTo(IngestTask.State.PENDING);
    assertThat(task("t").attempt()).isEqualTo(1);
  }
}
