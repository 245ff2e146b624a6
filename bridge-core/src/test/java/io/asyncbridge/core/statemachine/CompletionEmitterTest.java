package io.asyncbridge.core.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.trace.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class CompletionEmitterTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final TaskOrigin ORIGIN = new TaskOrigin("t-1", "acme", NOW.minusSeconds(5), null, null, Map.of());

  @Test
  void forwardsToTheSinkWithCloudEventsHeadersAndCountsIt() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    ServiceMeters meters = ServiceMeters.forTests("test");
    CompletionEmitter emitter = new CompletionEmitter(context, "completions", meters.completions());

    emitter.emit(Completion.succeeded(ORIGIN, Via.POLL, NOW, JsonNodeFactory.instance.objectNode().put("ok", true)),
        null);

    assertThat(context.forwarded()).hasSize(1);
    MockProcessorContext.CapturedForward<?, ?> forwarded = context.forwarded().get(0);
    assertThat(forwarded.childName()).contains("completions");
    Record<?, ?> record = forwarded.record();
    assertThat(record.key()).isEqualTo("t-1");
    assertThat(record.timestamp()).isEqualTo(NOW.toEpochMilli());
    assertThat(new String(record.headers().lastHeader("ce_subject").value(), StandardCharsets.UTF_8))
        .isEqualTo("t-1");
    assertThat(record.headers().lastHeader("traceparent")).isNull();
    assertThat(meters.completions().count("acme", CompletionStatus.SUCCEEDED)).isEqualTo(1);
  }

  @Test
  void boundsAnOversizedResult() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    CompletionEmitter emitter = new CompletionEmitter(context, null, ServiceMeters.forTests("test").completions());
    String big = "x".repeat(Completion.MAX_RESULT_BYTES + 1);

    Completion published = emitter.emit(Completion.succeeded(ORIGIN, Via.POLL, NOW,
        JsonNodeFactory.instance.objectNode().put("big", big)), null);

    assertThat(published.result().has("big")).isFalse();
    assertThat(published.result().get("truncated").asBoolean()).isTrue();
    assertThat(context.forwarded().get(0).childName()).isEmpty();
    assertThat(context.forwarded().get(0).record().value()).isEqualTo(published);
  }

  @Test
  void addsTheTaskTraceContext() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    CompletionEmitter emitter = new CompletionEmitter(context, "completions",
        ServiceMeters.forTests("test").completions());
    TraceContext trace = TraceContext.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null)
        .orElseThrow();

    emitter.emitBounded(Completion.cancelled(ORIGIN, Via.INGEST, NOW, "stop"), trace);

    assertThat(new String(context.forwarded().get(0).record().headers().lastHeader("traceparent").value(),
        StandardCharsets.UTF_8)).startsWith("00-0af7651916cd43dd8448eb211c80319c-");
  }
}
