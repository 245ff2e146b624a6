package io.asyncbridge.ingest.badinput;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A loopback upstream for the corpus: an OAuth2 token endpoint, and under {@code /api/answers/<name>} (Acquia-like,
 * Bearer token required) or {@code /elements/answers/<name>} (Cloud Elements-like, static Authorization) whatever
 * answer a case registered. Every request is recorded, so a case can assert that nothing was called at all.
 */
final class FakeUpstream implements AutoCloseable {

  /** One request as the upstream saw it. */
  record Call(String method, String path, String query, Map<String, String> headers, String body) {
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final String token;
  private final String staticAuthorization;
  private final Map<String, BiConsumer<HttpServerRequest, Buffer>> answers = new ConcurrentHashMap<>();
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger tokenFetches = new AtomicInteger();

  FakeUpstream(Vertx vertx, String token, String staticAuthorization) throws Exception {
    this.vertx = vertx;
    this.token = token;
    this.staticAuthorization = staticAuthorization;
    this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  int port() {
    return server.actualPort();
  }

  /** Registers the answer to {@code .../answers/<name>}. */
  void answer(String name, BiConsumer<HttpServerRequest, Buffer> answer) {
    answers.put(name, answer);
  }

  /** Keeps the request open without answering: the client's own timeout must fire. */
  void hold(HttpServerRequest request) {
    held.add(request);
  }

  /** Calls made to anything but the token endpoint. */
  long apiCalls() {
    return calls.stream().filter(call -> !call.path().startsWith("/token")).count();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      request.headers().forEach(entry -> headers.put(entry.getKey(), entry.getValue()));
      calls.add(new Call(request.method().name(), request.path(), request.query(), headers, body.toString()));
      route(request, body);
    });
  }

  private void route(HttpServerRequest request, Buffer body) {
    String path = request.path();
    if (path.equals("/token")) {
      tokenFetches.incrementAndGet();
      json(request, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
      return;
    }
    if (path.equals("/token-refused")) {
      json(request, 401, "{\"error\":\"invalid_client\",\"error_description\":\"The client credentials are invalid\"}");
      return;
    }
    if (path.startsWith("/api/") && !("Bearer " + token).equals(request.getHeader("Authorization"))) {
      json(request, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    if (path.startsWith("/elements/") && !staticAuthorization.equals(request.getHeader("Authorization"))) {
      json(request, 401, "{\"message\":\"Unauthorized\"}");
      return;
    }
    int at = path.indexOf("/answers/");
    BiConsumer<HttpServerRequest, Buffer> answer = at < 0 ? null : answers.get(path.substring(at + "/answers/".length()));
    if (answer == null) {
      json(request, 404, "{\"message\":\"no such answer\"}");
      return;
    }
    answer.accept(request, body);
  }

  static void json(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** Answers the head, then one byte every {@code everyMillis} until the connection is gone. */
  void drip(HttpServerRequest request, int status, long everyMillis) {
    var response = request.response().setStatusCode(status).setChunked(true).putHeader("Content-Type", "application/json");
    response.write("{\"padding\":\"");
    long timer = vertx.setPeriodic(everyMillis, id -> {
      if (response.closed() || response.ended()) {
        vertx.cancelTimer(id);
      } else {
        response.write("x");
      }
    });
    response.closeHandler(closed -> vertx.cancelTimer(timer));
  }

  @Override
  public void close() throws Exception {
    held.forEach(request -> request.connection().close());
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
