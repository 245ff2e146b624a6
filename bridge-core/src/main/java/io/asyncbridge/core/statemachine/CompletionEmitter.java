package io.asyncbridge.core.statemachine;

import io.asyncbridge.core.observability.CompletionMeters;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.cloudevents.CloudEventHeaders;
import io.asyncbridge.schemas.trace.TraceContext;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * How a processor publishes a task's one completion: its result bounded to {@link Completion#MAX_RESULT_BYTES}, the
 * CloudEvents headers and the task's W3C trace context added, forwarded to the completions sink, and counted (with its
 * {@code completion} span for a traced task). The record's timestamp is the completion's {@code completedAt}.
 *
 * <p>Counted when forwarded, inside the exactly-once transaction: see {@link CompletionMeters} for what that means.
 */
public final class CompletionEmitter {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = EventJson.newMapper();

  private final ProcessorContext<? super String, ? super Completion> context;
  private final String sink;
  private final CompletionMeters meters;

  /**
   * @param sink the child node to forward to, or null when the processor's only children take completions
   */
  public CompletionEmitter(ProcessorContext<? super String, ? super Completion> context, String sink,
      CompletionMeters meters) {
    this.context = context;
    this.sink = sink;
    this.meters = meters;
  }

  /** Bounds the completion's result, then publishes it; returns the completion as published. */
  public Completion emit(Completion unbounded, TraceContext trace) {
    return emitBounded(unbounded.withBoundedResult(JSON), trace);
  }

  /**
   * Publishes a completion whose result is known to be within {@link Completion#MAX_RESULT_BYTES} (the caller saves
   * writing the result once more just to measure it).
   */
  public Completion emitBounded(Completion completion, TraceContext trace) {
    Headers headers = CloudEventHeaders.forCompletion(completion);
    if (trace != null) {
      trace.addTo(headers);
    }
    Record<String, Completion> record = new Record<>(completion.taskId(), completion,
        completion.completedAt().toEpochMilli(), headers);
    if (sink == null) {
      context.forward(record);
    } else {
      context.forward(record, sink);
    }
    meters.completed(completion, trace);
    return completion;
  }
}
