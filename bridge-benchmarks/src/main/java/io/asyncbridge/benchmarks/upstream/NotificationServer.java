package io.asyncbridge.benchmarks.upstream;

import io.asyncbridge.benchmarks.support.Histogram;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal upstream that answers like the Acquia API, on one event loop (so its bookkeeping needs no locks):
 * <ul>
 *   <li>{@code POST /api/...}: after {@code createDelayMs}, 202 with {@code _links.notification.href};</li>
 *   <li>{@code GET /notifications/<id>}: {@code {"status":"in-progress","progress":n}}, never done; n moves every
 *   {@code progressPeriodMs}. For each task it remembers when it last answered; the gap to the next poll minus the
 *   nominal interval is the poll's schedule overshoot (recorded in ms);</li>
 *   <li>{@code GET /stats} (JSON counters and overshoot percentiles), {@code POST /stats} (the same, then the
 *   overshoot histogram starts afresh), {@code POST /stats/forget} (also forgets every task it has seen).</li>
 * </ul>
 */
public final class NotificationServer {

  private final Vertx vertx;
  private final long createDelayMs;
  private final long intervalMs;
  private final long progressPeriodMs;
  private final Map<String, Long> lastAnswer = new HashMap<>();
  private final Histogram overshootMs = new Histogram(-10_000, 300_000, 1);
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong creates = new AtomicLong();
  private long nextId;
  private int port;

  public NotificationServer(Vertx vertx, long createDelayMs, long intervalMs, long progressPeriodMs) {
    this.vertx = vertx;
    this.createDelayMs = createDelayMs;
    this.intervalMs = intervalMs;
    this.progressPeriodMs = Math.max(1, progressPeriodMs);
  }

  public Future<Integer> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
        .requestHandler(this::handle).listen().map(server -> {
          port = server.actualPort();
          return port;
        });
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (request.method() == HttpMethod.GET && path.startsWith("/notifications/")) {
      poll(request, path.substring("/notifications/".length()));
    } else if (request.method() == HttpMethod.POST && path.startsWith("/api/")) {
      create(request);
    } else if (path.equals("/stats") || path.equals("/stats/forget")) {
      if (request.method() == HttpMethod.POST) {
        overshootMs.reset();
      }
      if (path.equals("/stats/forget")) {
        lastAnswer.clear();
      }
      request.response().putHeader("Content-Type", "application/json").end(stats());
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private void poll(HttpServerRequest request, String taskId) {
    long now = System.currentTimeMillis();
    polls.incrementAndGet();
    Long previous = lastAnswer.put(taskId, now);
    if (previous != null) {
      overshootMs.record(now - previous - intervalMs);
    }
    // Progress moves every progressPeriodMs (by default every other poll), as a slow task's would.
    int progress = (int) (now / progressPeriodMs % 100);
    request.response().putHeader("Content-Type", "application/json")
        .end("{\"status\":\"in-progress\",\"progress\":" + progress + "}");
  }

  private void create(HttpServerRequest request) {
    creates.incrementAndGet();
    long id = ++nextId;
    request.body().onComplete(ignored -> vertx.setTimer(Math.max(1, createDelayMs), timer ->
        request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .end("{\"message\":\"accepted\",\"_links\":{\"notification\":{\"href\":\"http://127.0.0.1:" + port
                + "/notifications/n-" + id + "\"}}}")));
  }

  private String stats() {
    return "{\"polls\":" + polls.get() + ",\"creates\":" + creates.get() + ",\"tasks\":" + lastAnswer.size()
        + ",\"overshootCount\":" + overshootMs.count() + ",\"overshootP50\":" + json(overshootMs.percentile(0.5))
        + ",\"overshootP75\":" + json(overshootMs.percentile(0.75))
        + ",\"overshootP99\":" + json(overshootMs.percentile(0.99))
        + ",\"overshootP995\":" + json(overshootMs.percentile(0.995)) + "}";
  }

  private static String json(double value) {
    return Double.isNaN(value) ? "null" : Double.toString(value);
  }
}
