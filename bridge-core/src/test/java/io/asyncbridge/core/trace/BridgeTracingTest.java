package io.asyncbridge.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.TracingSettings;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.trace.TraceContext;
import io.asyncbridge.testkit.otlp.OtlpReceiver;
import io.asyncbridge.testkit.otlp.ReceivedSpan;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans of traced tasks, exported over OTLP/HTTP to a real receiver on loopback. */
class BridgeTracingTest {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";
  static final TraceContext PARENT = TraceContext.of("00-" + TRACE_ID + "-" + PARENT_ID + "-01", "vendor=abc")
      .orElseThrow();
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  OtlpReceiver receiver;
  BridgeTracing tracing;

  @BeforeEach
  void start() throws Exception {
    receiver = OtlpReceiver.start();
    tracing = BridgeTracing.create(new TracingSettings(Optional.of(URI.create(receiver.baseUrl())), "bridge-test"),
        "poller");
  }

  @AfterEach
  void stop() throws Exception {
    tracing.close();
    receiver.close();
  }

  @Test
  void aPollIsAClientSpanBelowTheRequestAndTheUpstreamIsToldItsId() {
    BridgeTracing.Call call = tracing.startCall("poll", PARENT, "t-1", "acquia", 3, "GET",
        URI.create("https://cloud.acquia.com/api/notifications/1111?secret=x"));
    TraceContext sent = call.propagated();
    call.end(200, "running", false);
    tracing.close();

    ReceivedSpan poll = single("poll");
    assertThat(poll.traceId()).isEqualTo(TRACE_ID);
    assertThat(poll.parentSpanId()).isEqualTo(PARENT_ID);
    assertThat(poll.kind()).isEqualTo(ReceivedSpan.KIND_CLIENT);
    assertThat(poll.serviceName()).isEqualTo("bridge-test-poller");
    assertThat(poll.attributes()).containsEntry("bridge.task.id", "t-1").containsEntry("bridge.provider", "acquia")
        .containsEntry("bridge.attempt", "3").containsEntry("http.response.status_code", "200")
        .containsEntry("bridge.outcome", "running").containsEntry("server.address", "cloud.acquia.com")
        .containsEntry("url.path", "/api/notifications/1111");
    assertThat(poll.attributes().values()).noneMatch(value -> value.contains("secret"));
    assertThat(sent.traceparent()).isEqualTo(poll.asTraceparent());
    assertThat(sent.tracestate()).isEqualTo("vendor=abc");
  }

  @Test
  void theWebhookAndTheCompletionJoinTheTraceAtTheirOwnTimes() {
    tracing.webhook(PARENT, "t-2", "documents", T0, T0.plusMillis(40));
    tracing.completion(Completion.failed(new TaskOrigin("t-2", "documents", T0.minusSeconds(5), T0.minusSeconds(4),
        null, Map.of()), Via.CALLBACK, T0.plusMillis(40), null, new TaskError("upstream_failed", "no")), PARENT);
    tracing.close();

    ReceivedSpan webhook = single("webhook");
    assertThat(webhook.kind()).isEqualTo(ReceivedSpan.KIND_SERVER);
    assertThat(webhook.parentSpanId()).isEqualTo(PARENT_ID);
    assertThat(webhook.endNanos() - webhook.startNanos()).isEqualTo(Duration.ofMillis(40).toNanos());
    ReceivedSpan completion = single("completion");
    assertThat(completion.traceId()).isEqualTo(TRACE_ID);
    assertThat(completion.parentSpanId()).isEqualTo(PARENT_ID);
    assertThat(completion.kind()).isEqualTo(ReceivedSpan.KIND_PRODUCER);
    assertThat(completion.statusCode()).isEqualTo(ReceivedSpan.STATUS_ERROR);
    assertThat(completion.attributes()).containsEntry("bridge.completion.status", "failed")
        .containsEntry("bridge.completion.via", "callback").containsEntry("error.type", "upstream_failed");
  }

  @Test
  void untracedTasksAndUnsampledTracesExportNothing() {
    BridgeTracing.Call untraced = tracing.startCall("poll", null, "t-3", "acquia", 1, "GET", URI.create("http://h/x"));
    assertThat(untraced.propagated()).isNull();
    untraced.end(200, "running", false);
    TraceContext unsampled = TraceContext.of("00-" + TRACE_ID + "-" + PARENT_ID + "-00", null).orElseThrow();
    BridgeTracing.Call call = tracing.startCall("poll", unsampled, "t-4", "acquia", 1, "GET", URI.create("http://h/x"));
    assertThat(call.propagated().traceparent()).as("the trace goes on, unsampled").startsWith("00-" + TRACE_ID + "-")
        .endsWith("-00");
    call.end(200, "running", false);
    tracing.completion(Completion.succeeded(new TaskOrigin("t-5", "acquia", T0, T0, null, Map.of()), Via.POLL, T0,
        null), null);
    // A traced span after them shows the exporter has sent everything before it.
    tracing.webhook(PARENT, "t-6", "documents", T0, T0);
    tracing.close();

    await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.spans().isEmpty());
    assertThat(receiver.spans()).extracting(ReceivedSpan::name).containsExactly("webhook");
  }

  @Test
  void withTracingOffCallsCarryTheRequestsContextUnchanged() {
    BridgeTracing off = BridgeTracing.create(TracingSettings.off(), "ingest");
    assertThat(off.enabled()).isFalse();
    BridgeTracing.Call call = off.startCall("dispatch", PARENT, "t-7", "acquia", 1, "POST", URI.create("http://h/x"));
    assertThat(call.propagated()).isEqualTo(PARENT);
    call.end(202, "accepted", false);
  }

  private ReceivedSpan single(String name) {
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.spans().stream().anyMatch(s -> s.name().equals(name)));
    List<ReceivedSpan> named = receiver.spans().stream().filter(s -> s.name().equals(name)).toList();
    assertThat(named).hasSize(1);
    assertThat(receiver.refused()).isZero();
    return named.get(0);
  }
}
