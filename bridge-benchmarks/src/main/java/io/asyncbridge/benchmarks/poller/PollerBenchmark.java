package io.asyncbridge.benchmarks.poller;

import static io.asyncbridge.benchmarks.support.MarkdownTable.bytes;
import static io.asyncbridge.benchmarks.support.MarkdownTable.millis;
import static io.asyncbridge.benchmarks.support.MarkdownTable.number;
import static io.asyncbridge.benchmarks.support.MarkdownTable.ratio;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.support.BenchKafka;
import io.asyncbridge.benchmarks.support.Flags;
import io.asyncbridge.benchmarks.support.MarkdownTable;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.upstream.UpstreamProcess;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.TaskMode;
import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.poller.PollerService;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code poller}: N in-flight poll tasks (never finishing) on the real poller, against a loopback upstream in a child
 * JVM that counts polls; then the naive thread-per-task loop at rising counts on the same upstream.
 */
public final class PollerBenchmark {

  /** What one poller run measured. */
  record Result(int tasks, double loadSeconds, double pollsPerSecond, double overshootP50, double overshootP99,
      long heapBytes, long rssBytes, long stateBytes, double pollerCores, double brokerCores, double upstreamCores) {
  }

  private final PrintStream out;

  public PollerBenchmark(PrintStream out) {
    this.out = out;
  }

  public void run(Flags flags) throws Exception {
    List<Integer> counts = flags.integers("tasks", "100000");
    List<Integer> naiveLevels = flags.integers("naive", "1000,2000,4000,8000,16000");
    double jitter = flags.decimal("jitter", 0.2);
    int concurrency = flags.integer("poll-concurrency", 512);
    int streamThreads = flags.integer("stream-threads", 1);
    long warmup = flags.integer("warmup-seconds", 15) * 1000L;
    long window = flags.integer("window-seconds", 30) * 1000L;
    long naiveWindow = flags.integer("naive-window-seconds", 20) * 1000L;
    flags.rejectUnknown();

    List<Result> results = new ArrayList<>();
    List<NaiveLoopBaseline.Level> levels = new ArrayList<>();
    Path stateRoot = Files.createTempDirectory("bench-poller-");
    try (BenchKafka kafka = BenchKafka.start(); UpstreamProcess upstream = UpstreamProcess.start(200, 5_000)) {
      for (int tasks : counts) {
        results.add(measurePoller(kafka, upstream, stateRoot, tasks, jitter, concurrency, streamThreads, warmup,
            window));
      }
      NaiveLoopBaseline naive = new NaiveLoopBaseline(upstream, 10_000, naiveWindow);
      for (int level : naiveLevels) {
        out.printf("naive loop: %,d threads ...%n", level);
        NaiveLoopBaseline.Level measured = naive.run(level);
        levels.add(measured);
        out.printf("  %,.0f polls/s of %,.0f, overshoot p99 %s, %s%n", measured.pollsPerSecond(), measured.target(),
            millis(measured.overshootP99()), measured.keptUp() ? "kept up" : "did NOT keep up"
                + (measured.failure() == null ? "" : ": " + measured.failure()));
        if (!measured.keptUp()) {
          break;
        }
      }
    } finally {
      deleteQuietly(stateRoot);
    }
    report(results, levels, jitter, concurrency, streamThreads, window);
  }

  private Result measurePoller(BenchKafka kafka, UpstreamProcess upstream, Path stateRoot, int tasks, double jitter,
      int concurrency, int streamThreads, long warmup, long window) throws Exception {
    String prefix = "poll" + tasks + "-" + System.nanoTime() % 100_000;
    BridgeConfig config = BenchConfigs.poll(kafka.bootstrapServers(), prefix, upstream.baseUrl(), jitter, concurrency,
        256, streamThreads);
    kafka.createBridgeTopics(config.topics());
    Path stateDir = stateRoot.resolve(prefix);
    Vertx vertx = Vertx.vertx();
    PollerService poller = new PollerService(config, stateDir, vertx, Clock.systemUTC());
    try {
      poller.start();
      long heapBefore = ProcessMetrics.heapAfterGc();
      long rssBefore = ProcessMetrics.ownRssBytes();
      long tasksBefore = upstream.stats().tasks();
      out.printf("poller: loading %,d tasks ...%n", tasks);
      long loadStart = System.nanoTime();
      load(kafka, config, tasks, prefix);
      long deadline = System.currentTimeMillis() + Math.max(120_000, tasks * 2L);
      while (upstream.stats().tasks() - tasksBefore < tasks) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("only " + (upstream.stats().tasks() - tasksBefore) + " of " + tasks
              + " tasks were polled at least once in time");
        }
        ProcessMetrics.sleep(250);
      }
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      out.printf("  every task polled at least once after %.1f s; warming up %d s%n", loadSeconds, warmup / 1000);
      ProcessMetrics.sleep(warmup);

      UpstreamProcess.Stats before = upstream.resetOvershoot();
      long ownCpu = ProcessMetrics.ownCpuNanos();
      long brokerCpu = kafka.cpuNanos();
      long upstreamCpu = upstream.cpuNanos();
      long t0 = System.nanoTime();
      ProcessMetrics.sleep(window);
      UpstreamProcess.Stats after = upstream.stats();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double pollerCores = (ProcessMetrics.ownCpuNanos() - ownCpu) / 1e9 / seconds;
      double brokerCores = (kafka.cpuNanos() - brokerCpu) / 1e9 / seconds;
      double upstreamCores = (upstream.cpuNanos() - upstreamCpu) / 1e9 / seconds;
      long heap = ProcessMetrics.heapAfterGc() - heapBefore;
      long rss = ProcessMetrics.ownRssBytes() - rssBefore;
      long state = ProcessMetrics.directoryBytes(stateDir);
      // With jitter j and initialInterval = maxInterval, Backoff draws the delay in [(1-j) 5 s, 5 s]: half the polls
      // are due exactly 5 s after the answer (overshoot = lag), the other half earlier (overshoot < 0). The lag's
      // p50 / p99 are then the overshoot's p75 / p99.5 (see README: how the lag is measured).
      double lagP50 = jitter > 0 ? after.overshootP75() : after.overshootP50();
      double lagP99 = jitter > 0 ? after.overshootP995() : after.overshootP99();
      Result result = new Result(tasks, loadSeconds, (after.polls() - before.polls()) / seconds, lagP50, lagP99, heap,
          rss, state, pollerCores, brokerCores, upstreamCores);
      out.printf("  %,.0f polls/s (target %,.0f), schedule lag p50 %s p99 %s%n", result.pollsPerSecond(), tasks / 5.0,
          millis(result.overshootP50()), millis(result.overshootP99()));
      return result;
    } finally {
      poller.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** TaskAccepted straight into the tasks topic; acceptedAt spreads the first polls evenly over one interval. */
  private static void load(BenchKafka kafka, BridgeConfig config, int tasks, String prefix) throws Exception {
    Map<String, Object> props = kafka.loaderProducer();
    Instant t0 = Instant.now();
    try (KafkaProducer<String, TaskAccepted> producer = new KafkaProducer<>(props, new StringSerializer(),
        JsonSerde.of(TaskAccepted.class))) {
      String base = config.provider(BenchConfigs.PROVIDER).orElseThrow().baseUrl().resolve("/notifications/").toString();
      for (int i = 0; i < tasks; i++) {
        String taskId = prefix + "-" + i;
        Instant acceptedAt = t0.plusMillis((long) i * 5_000 / tasks);
        producer.send(new ProducerRecord<>(config.topics().tasks(), taskId, new TaskAccepted(taskId,
            BenchConfigs.PROVIDER, TaskMode.POLL, t0, acceptedAt, t0.plus(Duration.ofHours(2)), 202, base + taskId,
            null, Map.of())));
      }
      producer.flush();
    }
  }

  private void report(List<Result> results, List<NaiveLoopBaseline.Level> levels, double jitter, int concurrency,
      int streamThreads, long window) {
    NaiveLoopBaseline.Level best = levels.stream().filter(NaiveLoopBaseline.Level::keptUp)
        .reduce((a, b) -> b).orElse(levels.isEmpty() ? null : levels.get(0));
    NaiveLoopBaseline.Level broke = levels.stream().filter(level -> !level.keptUp()).findFirst().orElse(null);
    out.println();
    out.printf("### Poller: %s in-flight tasks polled every 5 s (jitter %.2f, poll.concurrency %d, %d stream thread(s), "
        + "%d s window)%n%n", results.stream().map(r -> String.format("%,d", r.tasks())).toList(), jitter, concurrency,
        streamThreads, window / 1000);
    MarkdownTable table = new MarkdownTable("figure", "bridge poller", "naive thread per task", "ratio");
    for (Result r : results) {
      String naiveTasks = best == null ? "n/a" : String.format("%,d", best.tasks());
      table.row("**in-flight tasks**", String.format("**%,d**", r.tasks()), naiveTasks + " (largest that kept up)",
          best == null ? "n/a" : ratio(r.tasks(), best.tasks()));
      table.row("polls/s sustained (target = tasks / 5 s)", number(r.pollsPerSecond()) + " of " + number(r.tasks() / 5.0),
          best == null ? "n/a" : number(best.pollsPerSecond()) + " of " + number(best.target()),
          best == null ? "n/a" : ratio(r.pollsPerSecond(), best.pollsPerSecond()));
      table.row("heap per task (after GC)", bytes((double) r.heapBytes() / r.tasks()),
          best == null ? "n/a" : bytes((double) best.heapBytes() / best.tasks()),
          best == null ? "n/a" : ratio((double) best.heapBytes() / best.tasks(), (double) r.heapBytes() / r.tasks())
              + " less");
      table.row("resident memory (RSS) per task", bytes((double) r.rssBytes() / r.tasks()),
          best == null ? "n/a" : bytes((double) best.rssBytes() / best.tasks()),
          best == null ? "n/a" : ratio((double) best.rssBytes() / best.tasks(), (double) r.rssBytes() / r.tasks())
              + " less");
      table.row("state dir (RocksDB) per task", bytes((double) r.stateBytes() / r.tasks()), "none (lost on restart)", "");
      table.row("schedule lag p50 / p99 (at the upstream)", millis(r.overshootP50()) + " / " + millis(r.overshootP99()),
          best == null ? "n/a" : millis(best.overshootP50()) + " / " + millis(best.overshootP99()), "");
      table.row("CPU of the process (cores)", number(r.pollerCores()), best == null ? "n/a" : number(best.cpuCores()),
          "");
      table.row("CPU per 1,000 polls", millis(r.pollerCores() * 1000 / r.pollsPerSecond() * 1000),
          best == null ? "n/a" : millis(best.cpuCores() * 1000 / best.pollsPerSecond() * 1000),
          best == null ? "n/a" : ratio(best.cpuCores() / best.pollsPerSecond(), r.pollerCores() / r.pollsPerSecond())
              + " less");
      table.row("CPU of broker / upstream (cores)", number(r.brokerCores()) + " / " + number(r.upstreamCores()), "", "");
      table.row("time until every task was polled once", String.format("%.1f s", r.loadSeconds()), "", "");
    }
    out.println(table.render());
    MarkdownTable naive = new MarkdownTable("naive threads", "polls/s", "target", "lag p50", "lag p99",
        "heap/task", "RSS/task", "CPU cores", "kept up");
    for (NaiveLoopBaseline.Level level : levels) {
      naive.row(String.format("%,d", level.tasks()), number(level.pollsPerSecond()), number(level.target()),
          millis(level.overshootP50()), millis(level.overshootP99()), bytes((double) level.heapBytes() / level.tasks()),
          bytes((double) level.rssBytes() / level.tasks()), number(level.cpuCores()),
          level.keptUp() ? "yes" : "no" + (level.failure() == null ? "" : " (" + level.failure() + ")"));
    }
    out.println(naive.render());
    if (broke != null) {
      out.printf("Naive loop broke at %,d threads: %s%n", broke.tasks(), broke.failure() != null ? broke.failure()
          : String.format("%,.0f polls/s of %,.0f needed, overshoot p99 %s", broke.pollsPerSecond(), broke.target(),
              millis(broke.overshootP99())));
    } else {
      out.println("Naive loop kept up at every level tried; raise --naive to find where it breaks.");
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (Exception e) {
      // a temp dir; the OS cleans it eventually
    }
  }
}
