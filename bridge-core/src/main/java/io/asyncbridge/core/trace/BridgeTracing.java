package io.asyncbridge.core.trace;

import io.asyncbridge.core.config.TracingSettings;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.trace.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spans one service emits for traced tasks (those whose request carried a W3C {@code traceparent}), joined to
 * the request's trace: {@code dispatch} and {@code poll} (client spans around the upstream calls, whose own
 * {@code traceparent} header then names them as parent), {@code webhook} (from the webhook's receipt to the moment it
 * met its task) and {@code completion} (when the completion is written). An untraced task gets no span: the bridge
 * does not start traces of its own. Off unless {@code observability.tracing.otlpEndpoint} (or the standard
 * {@code OTEL_EXPORTER_OTLP_*ENDPOINT}) is set; then spans go out in batches over OTLP/HTTP (protobuf), with the
 * sampling decision of the request's trace (its {@code traceparent} flags). Spans are telemetry, at least once: a
 * step a crash makes the bridge repeat is traced twice. No span carries a URL's query, a header or a body.
 */
public final class BridgeTracing implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeTracing.class);
  private static final BridgeTracing DISABLED = new BridgeTracing(null);
  /** Spans wait at most this long in the batch before they are sent. */
  static final Duration EXPORT_DELAY = Duration.ofSeconds(1);

  public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("bridge.task.id");
  public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("bridge.provider");
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("bridge.attempt");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("bridge.outcome");
  public static final AttributeKey<String> STATUS = AttributeKey.stringKey("bridge.completion.status");
  public static final AttributeKey<String> VIA = AttributeKey.stringKey("bridge.completion.via");
  public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
  public static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");

  private static final TextMapGetter<TraceContext> FROM_CONTEXT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(TraceContext carrier) {
      return List.of(TraceContext.TRACEPARENT, TraceContext.TRACESTATE);
    }

    @Override
    public String get(TraceContext carrier, String key) {
      if (carrier == null) {
        return null;
      }
      return TraceContext.TRACEPARENT.equals(key) ? carrier.traceparent()
          : TraceContext.TRACESTATE.equals(key) ? carrier.tracestate() : null;
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BridgeTracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get("io.asyncbridge");
  }

  /** Emits nothing; calls carry the request's trace context unchanged. */
  public static BridgeTracing disabled() {
    return DISABLED;
  }

  /** The tracing of one service ({@code ingest}, {@code poller}, {@code callbacks}) as configured. */
  public static BridgeTracing create(TracingSettings settings, String service) {
    if (!settings.enabled()) {
      return DISABLED;
    }
    String url = settings.tracesUrl().orElseThrow();
    SpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(url).setTimeout(Duration.ofSeconds(10))
        .build();
    LOG.info("{}: spans of traced tasks go to {} as service {}-{}", service, url, settings.serviceName(), service);
    return forExporter(exporter, settings.serviceName() + "-" + service);
  }

  /** Spans of the service named {@code serviceName} to {@code exporter}, in batches sent about every second. */
  public static BridgeTracing forExporter(SpanExporter exporter, String serviceName) {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), serviceName))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(EXPORT_DELAY).build())
        .build();
    return new BridgeTracing(provider);
  }

  public boolean enabled() {
    return tracer != null;
  }

  /**
   * Starts the client span of an upstream call ({@code dispatch} or {@code poll}) of a traced task; for an untraced
   * task, or with tracing off, a call that records nothing.
   *
   * @param url only its host and path are recorded, never its query
   */
  public Call startCall(String name, TraceContext parent, String taskId, String provider, int attempt, String method,
      URI url) {
    if (tracer == null || parent == null || closed.get()) {
      return new Call(null, parent);
    }
    Span span = tracer.spanBuilder(name).setParent(contextOf(parent)).setSpanKind(SpanKind.CLIENT)
        .setAttribute(TASK_ID, taskId).setAttribute(PROVIDER, provider).setAttribute(ATTEMPT, (long) attempt)
        .setAttribute(METHOD, method)
        .setAttribute(SERVER, url == null || url.getHost() == null ? "" : url.getHost())
        .setAttribute(PATH, url == null || url.getRawPath() == null ? "" : url.getRawPath())
        .startSpan();
    return new Call(span, parent);
  }

  /**
   * The receipt of a traced task's webhook: a server span from when the endpoint took it to when it met its task
   * (an early webhook waited for its task in between).
   */
  public void webhook(TraceContext parent, String taskId, String provider, Instant receivedAt, Instant correlatedAt) {
    if (tracer == null || parent == null || closed.get()) {
      return;
    }
    Instant start = receivedAt.isAfter(correlatedAt) ? correlatedAt : receivedAt;
    tracer.spanBuilder("webhook").setParent(contextOf(parent)).setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start.toEpochMilli(), TimeUnit.MILLISECONDS)
        .setAttribute(TASK_ID, taskId).setAttribute(PROVIDER, provider)
        .startSpan().end(correlatedAt.toEpochMilli(), TimeUnit.MILLISECONDS);
  }

  /** The completion of a traced task, as written to the completions topic: a producer span at its completedAt. */
  public void completion(Completion completion, TraceContext parent) {
    if (tracer == null || parent == null || closed.get()) {
      return;
    }
    Instant at = completion.completedAt() == null ? Instant.now() : completion.completedAt();
    AttributesBuilder attributes = Attributes.builder().put(TASK_ID, completion.taskId())
        .put(PROVIDER, String.valueOf(completion.provider()))
        .put(STATUS, completion.status().wireName())
        .put(VIA, completion.via() == null ? "" : completion.via().wireName());
    if (completion.error() != null) {
      attributes.put(ERROR_CODE, completion.error().code());
    }
    Span span = tracer.spanBuilder("completion").setParent(contextOf(parent)).setSpanKind(SpanKind.PRODUCER)
        .setStartTimestamp(at.toEpochMilli(), TimeUnit.MILLISECONDS).setAllAttributes(attributes.build()).startSpan();
    if (completion.status() != CompletionStatus.SUCCEEDED) {
      span.setStatus(StatusCode.ERROR, completion.status().wireName());
    }
    span.end(at.toEpochMilli(), TimeUnit.MILLISECONDS);
  }

  private static Context contextOf(TraceContext parent) {
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), parent, FROM_CONTEXT);
  }

  /** Sends what is batched and stops; spans started later are dropped. */
  @Override
  public void close() {
    if (provider == null || !closed.compareAndSet(false, true)) {
      return;
    }
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** One upstream call of a traced task (or a call that records nothing). */
  public static final class Call {

    private final Span span;
    private final TraceContext parent;

    Call(Span span, TraceContext parent) {
      this.span = span;
      this.parent = parent;
    }

    /**
     * The trace context to send with the call: the call's own span as parent when it records one, so the upstream's
     * spans hang below it; else the request's context unchanged; null for an untraced task.
     */
    public TraceContext propagated() {
      if (span == null || !span.getSpanContext().isValid()) {
        return parent;
      }
      SpanContext context = span.getSpanContext();
      return new TraceContext("00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
          + context.getTraceFlags().asHex(), parent.tracestate());
    }

    /**
     * Ends the span with what the call came to.
     *
     * @param httpStatus the answer's status, 0 when there was none
     * @param outcome what it meant (e.g. {@code running}, {@code accepted}, {@code retry})
     * @param failed the call failed or the answer ends the task in failure
     */
    public void end(int httpStatus, String outcome, boolean failed) {
      if (span == null) {
        return;
      }
      if (httpStatus > 0) {
        span.setAttribute(HTTP_STATUS, (long) httpStatus);
      }
      span.setAttribute(OUTCOME, outcome);
      if (failed) {
        span.setStatus(StatusCode.ERROR, outcome);
      }
      span.end();
    }
  }
}
