package io.asyncbridge.testkit.otlp;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OTLP/HTTP trace receiver on loopback, as a collector would be: {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, answered 200 with an empty {@code ExportTraceServiceResponse}. It keeps every
 * span it got, for tests to check, and counts requests it could not read (answered 400).
 */
public final class OtlpReceiver implements AutoCloseable {

  public static final String PATH = "/v1/traces";

  private final Vertx vertx;
  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();

  private OtlpReceiver(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a receiver on a free loopback port. */
  public static OtlpReceiver start() throws Exception {
    Vertx vertx = Vertx.vertx();
    OtlpReceiver[] self = new OtlpReceiver[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].handle(request));
    self[0] = new OtlpReceiver(vertx, server);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return self[0];
  }

  private void handle(HttpServerRequest request) {
    String type = String.valueOf(request.getHeader("Content-Type"));
    if (!request.path().equals(PATH) || !"POST".equals(request.method().name())
        || !type.startsWith("application/x-protobuf")) {
      refused.incrementAndGet();
      request.response().setStatusCode(request.path().equals(PATH) ? 415 : 404).end();
      return;
    }
    request.body().onSuccess(body -> {
      try {
        spans.addAll(OtlpProtobuf.spans(body.getBytes()));
        request.response().setStatusCode(200).putHeader("Content-Type", "application/x-protobuf").end();
      } catch (IllegalArgumentException unreadable) {
        refused.incrementAndGet();
        request.response().setStatusCode(400).end(unreadable.getMessage());
      }
    });
  }

  /** {@code http://127.0.0.1:<port>}: the endpoint without a path, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>/v1/traces}. */
  public String tracesUrl() {
    return baseUrl() + PATH;
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The spans of one trace. */
  public List<ReceivedSpan> spansOf(String traceId) {
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  public int refused() {
    return refused.get();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
