package io.asyncbridge.benchmarks.upstream;

import io.asyncbridge.benchmarks.support.Flags;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Runs {@link NotificationServer} alone (in a child JVM of a benchmark) and prints {@code LISTENING <port>}. Exits
 * when its standard input closes, so it never outlives the benchmark that started it.
 */
public final class UpstreamServerMain {

  public static final String READY = "LISTENING ";

  private UpstreamServerMain() {
  }

  public static void main(String[] args) throws Exception {
    Flags flags = new Flags(args, 0);
    long createDelayMs = flags.integer("create-delay-ms", 200);
    long intervalMs = flags.integer("interval-ms", 5000);
    long progressPeriodMs = flags.integer("progress-period-ms", (int) Math.min(Integer.MAX_VALUE, 2 * intervalMs));
    flags.rejectUnknown();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    NotificationServer server = new NotificationServer(vertx, createDelayMs, intervalMs, progressPeriodMs);
    int port = server.start().toCompletionStage().toCompletableFuture().get();
    System.out.println(READY + port);
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to go away
    }
    vertx.close();
    System.exit(0);
  }
}
