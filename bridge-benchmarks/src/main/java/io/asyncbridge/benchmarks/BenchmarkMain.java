package io.asyncbridge.benchmarks;

import io.asyncbridge.benchmarks.ingest.IngestBenchmark;
import io.asyncbridge.benchmarks.poller.PollerBenchmark;
import io.asyncbridge.benchmarks.support.Flags;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.webhooks.WebhooksBenchmark;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code java -jar bridge-benchmarks/target/benchmarks.jar <poller|ingest|webhooks> [--option value ...]}. Each
 * benchmark starts its own broker and servers, measures its baseline in the same run, prints Markdown tables, and
 * stops everything it started.
 */
public final class BenchmarkMain {

  private static final double MAX_START_LOAD = 1.5;

  private BenchmarkMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-h") || args[0].equals("help")) {
      System.out.println("usage: java -jar benchmarks.jar <poller|ingest|webhooks> [--option value ...]");
      System.out.println("  poller   --tasks 10000,100000 --interval 5 --jitter 0.2 --window-seconds 30 --restarts same,fresh --bare true --naive 1000,2000");
      System.out.println("  ingest   --requests 50000 --concurrency 2048 --delay-ms 200 --blocking-threads 200");
      System.out.println("  webhooks --connections 16,64 --rounds 3 --paths common,early --seconds 10 --warmup-seconds 3"
          + " --context true --prewarm-seconds 5 --latency-tasks 2000 --latency-rate 500 --ceiling-records 0"
          + " --commit-interval-ms <the service's default>");
      return;
    }
    PrintStream out = System.out;
    Flags flags = new Flags(args, 1);
    int waitForLoad = flags.integer("wait-for-load-seconds", 120);
    header(out, args, waitForLoad);
    switch (args[0]) {
      case "poller" -> new PollerBenchmark(out).run(flags);
      case "ingest" -> new IngestBenchmark(out).run(flags);
      case "webhooks" -> new WebhooksBenchmark(out).run(flags);
      default -> throw new IllegalArgumentException("unknown benchmark '" + args[0] + "' (poller, ingest, webhooks)");
    }
    out.printf(Locale.ROOT, "%nload average at the end: %.2f%n", ProcessMetrics.loadAverage());
    System.exit(0); // a stray non-daemon client thread must not keep the run alive
  }

  /** Machine facts, and a short wait for a quieter machine: two shared cores make every figure load-dependent. */
  private static void header(PrintStream out, String[] args, int waitSeconds) {
    long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
    double load = ProcessMetrics.loadAverage();
    while (load > MAX_START_LOAD && System.currentTimeMillis() < deadline) {
      out.printf(Locale.ROOT, "load average %.2f > %.1f, waiting ...%n", load, MAX_START_LOAD);
      ProcessMetrics.sleep(10_000);
      load = ProcessMetrics.loadAverage();
    }
    out.printf(Locale.ROOT, "benchmark %s at %s: %d cores, Java %s (%s), max heap %d MiB, load average at start %.2f%n",
        String.join(" ", args), Instant.now(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024), load);
  }
}
