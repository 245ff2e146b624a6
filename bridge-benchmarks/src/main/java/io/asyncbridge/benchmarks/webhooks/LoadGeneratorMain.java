package io.asyncbridge.benchmarks.webhooks;

import io.asyncbridge.benchmarks.support.Flags;
import io.vertx.core.Vertx;
import java.util.Locale;

/** The load generator alone, for a child JVM (so it does not share the server's heap, GC or CPU accounting). */
public final class LoadGeneratorMain {

  public static final String RESULT = "RESULT ";

  private LoadGeneratorMain() {
  }

  public static void main(String[] args) throws Exception {
    Flags flags = new Flags(args, 0);
    int port = flags.integer("port", 8080);
    String path = flags.string("path", "/callbacks/documents");
    int connections = flags.integer("connections", 16);
    long warmup = flags.integer("warmup-ms", 5_000);
    long window = flags.integer("window-ms", 15_000);
    String runId = flags.string("run-id", "run");
    flags.rejectUnknown();
    Vertx vertx = Vertx.vertx();
    LoadGenerator.Result result = new LoadGenerator(vertx).run(port, path, connections, warmup, window, runId);
    System.out.println(RESULT + String.format(Locale.ROOT, "%d %d %d %.3f %.0f %.0f %d",
        result.accepted(), result.otherStatus(), result.errors(), result.seconds(), result.p50Micros(),
        result.p99Micros(), result.sent()));
    System.out.flush();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    System.exit(0);
  }

  /** Parses the RESULT line printed by {@link #main}. */
  public static LoadGenerator.Result parse(String line) {
    String[] f = line.trim().split(" ");
    return new LoadGenerator.Result(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6]));
  }
}
