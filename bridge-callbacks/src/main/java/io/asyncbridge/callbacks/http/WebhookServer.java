package io.asyncbridge.callbacks.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of the webhook endpoint. A connection on which nothing is read or written for
 * {@link #IDLE_TIMEOUT} is closed, so idle keep-alive connections and clients that stall between requests or in the
 * middle of their headers do not hold sockets for ever (a stalled body is cut sooner, by {@link BodyReadDeadline}).
 */
public final class WebhookServer {

  /** Longer than senders' usual keep-alive (nginx 75 s, Node.js 5 s), so that live connections are reused. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(90);

  /**
   * The idle timeout for an endpoint whose answers may wait {@code ackTimeout} for Kafka and whose bodies may take
   * {@code bodyReadTimeout}: {@link #IDLE_TIMEOUT}, or longer so that neither wait is cut off by it.
   */
  public static Duration idleTimeout(Duration ackTimeout, Duration bodyReadTimeout) {
    Duration longestWait = ackTimeout.compareTo(bodyReadTimeout) >= 0 ? ackTimeout : bodyReadTimeout;
    Duration needed = longestWait.plusSeconds(10);
    return needed.compareTo(IDLE_TIMEOUT) > 0 ? needed : IDLE_TIMEOUT;
  }

  private final Vertx vertx;
  private final Router router;
  private final String host;
  private final int port;
  private final Duration idleTimeout;
  private HttpServer server;

  public WebhookServer(Vertx vertx, Router router, String host, int port) {
    this(vertx, router, host, port, IDLE_TIMEOUT);
  }

  public WebhookServer(Vertx vertx, Router router, String host, int port, Duration idleTimeout) {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idle timeout must be positive, was " + idleTimeout);
    }
    this.idleTimeout = idleTimeout;
    this.vertx = vertx;
    this.router = router;
    this.host = host;
    this.port = port;
  }

  /** Listens; the future's value is the actual port (useful with port 0). */
  public Future<Integer> start() {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    return vertx.createHttpServer(options).requestHandler(router).listen().map(listening -> {
      synchronized (this) {
        server = listening;
      }
      return listening.actualPort();
    });
  }

  /** The actual port, -1 when not listening. */
  public synchronized int port() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    HttpServer current;
    synchronized (this) {
      current = server;
      server = null;
    }
    return current == null ? Future.succeededFuture() : current.close();
  }
}
