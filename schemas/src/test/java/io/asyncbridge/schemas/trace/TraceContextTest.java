package io.asyncbridge.schemas.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

  static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aWellFormedContextIsReadFromRecordHeadersAndWrittenToHttpHeaders() {
    RecordHeaders record = new RecordHeaders();
    record.add("traceparent", PARENT.getBytes(StandardCharsets.US_ASCII));
    record.add("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7".getBytes(StandardCharsets.US_ASCII));

    TraceContext trace = TraceContext.from(record).orElseThrow();
    Map<String, String> http = new LinkedHashMap<>(Map.of("TraceParent", "stale", "Accept", "application/json"));
    trace.addTo(http);

    assertThat(http).containsEntry("traceparent", PARENT)
        .containsEntry("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        .containsEntry("Accept", "application/json").doesNotContainKey("TraceParent");
  }

  @Test
  void writingToRecordHeadersReplacesWhatWasThere() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "old".getBytes(StandardCharsets.US_ASCII));

    TraceContext.of(PARENT, null).orElseThrow().addTo(headers);

    assertThat(headers.headers("traceparent")).hasSize(1);
    assertThat(new String(headers.lastHeader("traceparent").value(), StandardCharsets.US_ASCII)).isEqualTo(PARENT);
    assertThat(headers.lastHeader("tracestate")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nX-Injected: 1"})
  void aMalformedTraceparentIsNotCarried(String parent) {
    assertThat(TraceContext.of(parent, "a=b")).isEmpty();
  }

  @Test
  void aMalformedOrOversizedTracestateIsDroppedButTheParentKept() {
    assertThat(TraceContext.of(PARENT, "no-equals-sign").orElseThrow().tracestate()).isNull();
    assertThat(TraceContext.of(PARENT, "a=" + "b".repeat(600)).orElseThrow().tracestate()).isNull();
    assertThat(TraceContext.of(PARENT, "a=b\nc=d").orElseThrow().tracestate()).isNull();
    assertThat(TraceContext.of(PARENT, "a=b").orElseThrow().tracestate()).isEqualTo("a=b");
  }
}
