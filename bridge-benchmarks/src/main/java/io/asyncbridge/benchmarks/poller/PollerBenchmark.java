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
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.poller.PollerService;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code poller}: N in-flight poll tasks (never finishing), each due every {@code --interval} seconds, on the real
 * poller against a loopback upstream in a child JVM that counts polls; beside it, at the same N, the bare poll loop
 * (the same HTTP client without Kafka or a store, {@link BarePollLoop}) as the machine's ceiling of the day. Then the
 * poller is restarted twice: on its own state directory (a restart or a rolling upgrade), and on an empty one (a
 * replacement instance restoring from the changelog). Optionally the naive thread-per-task loop at 5 s.
 *
 * <p>A level that fails is reported with its reason and the run goes on; services always stop before the broker.
 */
public final class PollerBenchmark {

  /** What one run of a loop measured in its window; {@code failure} is set instead when it could not. */
  record Measured(int tasks, double firstRoundSeconds, double pollsPerSecond, double lagP50, double lagP99,
      double cores, long heapAfterGc, long heapDelta, long rss, long rssDelta, long stateBytes, double brokerCores,
      double upstreamCores, String failure) {

    static Measured failed(int tasks, String failure) {
      return new Measured(tasks, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, -1, -1,
          Double.NaN, Double.NaN, failure);
    }

    double cpuMillisPerThousandPolls() {
      return cores * 1000 / pollsPerSecond * 1000;
    }
  }

  /**
   * One restart: seconds from the stop until the old instance had stopped, the new one was RUNNING (its stores
   * restored and its schedule rebuilt), the upstream saw its first poll, and the poll rate was back to 90 % of the
   * target over 5 s.
   */
  record Restart(String kind, double stopped, double running, double firstPoll, double fullRate, String failure) {
  }

  record Level(int tasks, Measured bare, Measured poller, List<Restart> restarts) {
  }

  private static final long GOAL_CPU_MS_PER_1000 = 100;
  private static final long GOAL_HEAP = 1L << 30;
  private static final long GOAL_RSS = 2L << 30;
  private static final double GOAL_LAG_P99_MS = 250;
  private static final double GOAL_RESUME_SECONDS = 60;
  private static final double GOAL_RATIO = 0.7;

  private final PrintStream out;

  public PollerBenchmark(PrintStream out) {
    this.out = out;
  }

  private record Settings(List<Integer> counts, int intervalSeconds, double jitter, int concurrency,
      int streamThreads, long warmupMillis, long windowMillis, boolean bare, List<String> restarts,
      List<Integer> naiveLevels) {

    long intervalMillis() {
      return intervalSeconds * 1000L;
    }
  }

  public void run(Flags flags) throws Exception {
    Settings settings = new Settings(flags.integers("tasks", "10000,100000"), flags.integer("interval", 5),
        flags.decimal("jitter", 0.2), flags.integer("poll-concurrency", 512), flags.integer("stream-threads", 1),
        flags.integer("warmup-seconds", 15) * 1000L, flags.integer("window-seconds", 30) * 1000L,
        !flags.string("bare", "true").equals("false"),
        List.of(flags.string("restarts", "same,fresh").split(",")).stream().filter(s -> !s.isBlank()).toList(),
        flags.integers("naive", ""));
    long naiveWindow = flags.integer("naive-window-seconds", 20) * 1000L;
    String upstreamHeap = flags.string("upstream-heap", "1g");
    flags.rejectUnknown();
    if (!settings.naiveLevels().isEmpty() && settings.intervalSeconds() != 5) {
      throw new IllegalArgumentException("the naive loop polls every 5 s: use --naive only with --interval 5");
    }

    List<Level> levels = new ArrayList<>();
    List<NaiveLoopBaseline.Level> naive = new ArrayList<>();
    Path stateRoot = Files.createTempDirectory("bench-poller-");
    try (BenchKafka kafka = BenchKafka.start();
        UpstreamProcess upstream = UpstreamProcess.start(200, settings.intervalMillis(),
            2 * settings.intervalMillis(), upstreamHeap)) {
      for (int tasks : settings.counts()) {
        Measured bare = settings.bare() ? measureBare(kafka, upstream, settings, tasks)
            : Measured.failed(tasks, "not measured (--bare false)");
        List<Restart> restarts = new ArrayList<>();
        Measured poller = measurePoller(kafka, upstream, stateRoot, settings, tasks, restarts);
        levels.add(new Level(tasks, bare, poller, restarts));
      }
      NaiveLoopBaseline loop = new NaiveLoopBaseline(upstream, 10_000, naiveWindow);
      for (int level : settings.naiveLevels()) {
        out.printf("naive loop: %,d threads ...%n", level);
        NaiveLoopBaseline.Level measured = loop.run(level);
        naive.add(measured);
        if (!measured.keptUp()) {
          break;
        }
      }
    } finally {
      deleteQuietly(stateRoot);
    }
    report(levels, naive, settings);
  }

  // ---- the bare loop

  private Measured measureBare(BenchKafka kafka, UpstreamProcess upstream, Settings settings, int tasks) {
    String prefix = "bare" + tasks + "-" + System.nanoTime() % 100_000 + "-";
    BridgeConfig config = BenchConfigs.poll(kafka.bootstrapServers(), prefix.replace("-", ""), upstream.baseUrl(),
        settings.jitter(), settings.concurrency(), 256, settings.streamThreads(), settings.intervalSeconds());
    out.printf("bare poll loop: %,d tasks every %d s ...%n", tasks, settings.intervalSeconds());
    upstream.forgetTasks();
    long heapBefore = ProcessMetrics.heapAfterGc();
    long rssBefore = ProcessMetrics.ownRssBytes();
    long started = System.nanoTime();
    try (BarePollLoop loop = new BarePollLoop(config, prefix, upstream.baseUrl() + "/notifications/", tasks)) {
      loop.start();
      awaitFirstRound(upstream, settings, tasks);
      double firstRound = (System.nanoTime() - started) / 1e9;
      return window(kafka, upstream, settings, tasks, firstRound, heapBefore, rssBefore, null);
    } catch (RuntimeException failure) {
      out.printf("  failed: %s%n", failure.getMessage());
      return Measured.failed(tasks, failure.getMessage());
    }
  }

  // ---- the poller

  private Measured measurePoller(BenchKafka kafka, UpstreamProcess upstream, Path stateRoot, Settings settings,
      int tasks, List<Restart> restarts) {
    String prefix = "poll" + tasks + "-" + System.nanoTime() % 100_000;
    BridgeConfig config = BenchConfigs.poll(kafka.bootstrapServers(), prefix, upstream.baseUrl(), settings.jitter(),
        settings.concurrency(), 256, settings.streamThreads(), settings.intervalSeconds());
    Path stateDir = stateRoot.resolve(prefix);
    Vertx vertx = Vertx.vertx();
    List<PollerService> running = new ArrayList<>();
    try {
      kafka.createBridgeTopics(config.topics());
      upstream.forgetTasks();
      PollerService poller = new PollerService(config, stateDir, vertx, Clock.systemUTC(), unscrapedMeters(config));
      running.add(poller);
      poller.start();
      long heapBefore = ProcessMetrics.heapAfterGc();
      long rssBefore = ProcessMetrics.ownRssBytes();
      out.printf("poller: loading %,d tasks, every one due every %d s ...%n", tasks, settings.intervalSeconds());
      long started = System.nanoTime();
      load(kafka, config, tasks, prefix, settings.intervalMillis());
      awaitFirstRound(upstream, settings, tasks);
      double firstRound = (System.nanoTime() - started) / 1e9;
      Measured measured = window(kafka, upstream, settings, tasks, firstRound, heapBefore, rssBefore, stateDir);
      for (String kind : settings.restarts()) {
        Path next = kind.equals("fresh") ? stateRoot.resolve(prefix + "-fresh-" + restarts.size()) : stateDir;
        restarts.add(restart(kind, config, next, vertx, running, upstream, settings, tasks));
        if (kind.equals("fresh")) {
          stateDir = next;
        }
      }
      return measured;
    } catch (Exception failure) {
      out.printf("  failed: %s%n", failure.getMessage());
      return Measured.failed(tasks, String.valueOf(failure.getMessage()));
    } finally {
      running.forEach(PollerService::close);
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        out.printf("  Vert.x did not close in 10 s: %s%n", e);
      }
    }
  }

  private Restart restart(String kind, BridgeConfig config, Path stateDir, Vertx vertx, List<PollerService> running,
      UpstreamProcess upstream, Settings settings, int tasks) {
    out.printf("  restart (%s state directory) ...%n", kind);
    long t0 = System.nanoTime();
    try {
      running.forEach(PollerService::close);
      running.clear();
      double stopped = (System.nanoTime() - t0) / 1e9;
      long pollsBefore = upstream.stats().polls();
      PollerService next = new PollerService(config, stateDir, vertx, Clock.systemUTC(), unscrapedMeters(config));
      running.add(next);
      next.start();
      double runningAt = (System.nanoTime() - t0) / 1e9;
      long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * settings.intervalMillis() + 120_000);
      while (upstream.stats().polls() == pollsBefore) {
        checkTime(giveUp, "no poll after the restart");
        ProcessMetrics.sleep(20);
      }
      double firstPoll = (System.nanoTime() - t0) / 1e9;
      double target = tasks / (double) settings.intervalSeconds();
      double fullRate = Double.NaN;
      long windowStart = System.nanoTime();
      long windowPolls = upstream.stats().polls();
      while (Double.isNaN(fullRate)) {
        checkTime(giveUp, "the poll rate did not come back to 90 % of the target");
        ProcessMetrics.sleep(500);
        long now = System.nanoTime();
        if (now - windowStart >= 5_000_000_000L) {
          long polls = upstream.stats().polls();
          double rate = (polls - windowPolls) / ((now - windowStart) / 1e9);
          if (rate >= 0.9 * target) {
            fullRate = (now - t0) / 1e9;
          }
          windowStart = now;
          windowPolls = polls;
        }
      }
      out.printf("    stopped %.1f s, running %.1f s, first poll %.1f s, full rate %.1f s%n", stopped, runningAt,
          firstPoll, fullRate);
      return new Restart(kind, stopped, runningAt, firstPoll, fullRate, null);
    } catch (RuntimeException failure) {
      out.printf("    failed: %s%n", failure.getMessage());
      return new Restart(kind, Double.NaN, Double.NaN, Double.NaN, Double.NaN, failure.getMessage());
    }
  }

  // ---- shared steps

  private void awaitFirstRound(UpstreamProcess upstream, Settings settings, int tasks) {
    long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * settings.intervalMillis() + tasks * 2L
        + 60_000);
    long seen;
    while ((seen = upstream.stats().tasks()) < tasks) {
      checkTime(giveUp, "only " + seen + " of " + tasks + " tasks were polled at least once in time");
      ProcessMetrics.sleep(250);
    }
  }

  private Measured window(BenchKafka kafka, UpstreamProcess upstream, Settings settings, int tasks,
      double firstRound, long heapBefore, long rssBefore, Path stateDir) {
    out.printf("  every task polled once after %.1f s; warming up %d s%n", firstRound, settings.warmupMillis() / 1000);
    ProcessMetrics.sleep(settings.warmupMillis());
    UpstreamProcess.Stats before = upstream.resetOvershoot();
    long ownCpu = ProcessMetrics.ownCpuNanos();
    long brokerCpu = kafka.cpuNanos();
    long upstreamCpu = upstream.cpuNanos();
    long t0 = System.nanoTime();
    ProcessMetrics.sleep(settings.windowMillis());
    UpstreamProcess.Stats after = upstream.stats();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cores = (ProcessMetrics.ownCpuNanos() - ownCpu) / 1e9 / seconds;
    double brokerCores = (kafka.cpuNanos() - brokerCpu) / 1e9 / seconds;
    double upstreamCores = (upstream.cpuNanos() - upstreamCpu) / 1e9 / seconds;
    long heap = ProcessMetrics.heapAfterGc();
    long rss = ProcessMetrics.ownRssBytes();
    long state = stateDir == null ? 0 : ProcessMetrics.directoryBytes(stateDir);
    // With jitter j and initialInterval = maxInterval, Backoff draws the delay in [(1-j) I, I]: half the polls are due
    // exactly I after the answer (overshoot = lag), the other half earlier (overshoot < 0). The lag's p50 / p99 are
    // then the overshoot's p75 / p99.5 (see the benchmarks README: how the lag is measured).
    double lagP50 = settings.jitter() > 0 ? after.overshootP75() : after.overshootP50();
    double lagP99 = settings.jitter() > 0 ? after.overshootP995() : after.overshootP99();
    Measured measured = new Measured(tasks, firstRound, (after.polls() - before.polls()) / seconds, lagP50, lagP99,
        cores, heap, heap - heapBefore, rss, rss - rssBefore, state, brokerCores, upstreamCores, null);
    out.printf("  %,.0f polls/s (target %,.0f), schedule lag p50 %s p99 %s, %.2f cores, heap after GC %s%n",
        measured.pollsPerSecond(), tasks / (double) settings.intervalSeconds(), millis(lagP50), millis(lagP99), cores,
        bytes(heap));
    return measured;
  }

  private static void checkTime(long giveUpNanos, String what) {
    if (System.nanoTime() > giveUpNanos) {
      throw new IllegalStateException(what);
    }
  }

  /** TaskAccepted straight into the tasks topic; acceptedAt spreads the first polls evenly over one interval. */
  private static void load(BenchKafka kafka, BridgeConfig config, int tasks, String prefix, long intervalMillis)
      throws Exception {
    Map<String, Object> props = kafka.loaderProducer();
    Instant t0 = Instant.now();
    try (KafkaProducer<String, TaskAccepted> producer = new KafkaProducer<>(props, new StringSerializer(),
        JsonSerde.of(TaskAccepted.class))) {
      String base = config.provider(BenchConfigs.PROVIDER).orElseThrow().baseUrl().resolve("/notifications/").toString();
      for (int i = 0; i < tasks; i++) {
        String taskId = prefix + "-" + i;
        Instant acceptedAt = t0.plusMillis((long) i * intervalMillis / tasks);
        producer.send(new ProducerRecord<>(config.topics().tasks(), taskId, new TaskAccepted(taskId,
            BenchConfigs.PROVIDER, TaskMode.POLL, t0, acceptedAt, t0.plus(Duration.ofDays(2)), 202, base + taskId,
            null, Map.of())));
      }
      producer.flush();
    }
  }

  // ---- report

  private void report(List<Level> levels, List<NaiveLoopBaseline.Level> naive, Settings settings) {
    out.println();
    out.printf("### Poller: in-flight tasks polled every %d s (jitter %.2f, poll.concurrency %d, %d stream thread(s), "
        + "%d s window)%n%n", settings.intervalSeconds(), settings.jitter(), settings.concurrency(),
        settings.streamThreads(), settings.windowMillis() / 1000);
    for (Level level : levels) {
      out.printf("#### %,d tasks (target %,.0f polls/s)%n%n", level.tasks(),
          level.tasks() / (double) settings.intervalSeconds());
      out.println(levelTable(level, settings).render());
      List<String> goals = goals(level, settings);
      if (!goals.isEmpty()) {
        out.println("Goals at this level:");
        goals.forEach(goal -> out.println("- " + goal));
        out.println();
      }
    }
    if (!naive.isEmpty()) {
      MarkdownTable table = new MarkdownTable("naive threads", "polls/s", "target", "lag p50", "lag p99",
          "heap/task", "RSS/task", "CPU cores", "kept up");
      for (NaiveLoopBaseline.Level level : naive) {
        table.row(String.format("%,d", level.tasks()), number(level.pollsPerSecond()), number(level.target()),
            millis(level.overshootP50()), millis(level.overshootP99()),
            bytes((double) level.heapBytes() / level.tasks()), bytes((double) level.rssBytes() / level.tasks()),
            number(level.cpuCores()), level.keptUp() ? "yes" : "no" + (level.failure() == null ? ""
                : " (" + level.failure() + ")"));
      }
      out.println(table.render());
    }
  }

  private static MarkdownTable levelTable(Level level, Settings settings) {
    Measured p = level.poller();
    Measured b = level.bare();
    double target = level.tasks() / (double) settings.intervalSeconds();
    MarkdownTable table = new MarkdownTable("figure", "bridge poller", "bare poll loop (no Kafka, no store)",
        "ratio");
    if (p.failure() != null || b.failure() != null) {
      table.row("failure", p.failure() == null ? "" : p.failure(), b.failure() == null ? "" : b.failure(), "");
    }
    table.row("polls/s sustained (target " + number(target) + ")", number(p.pollsPerSecond()),
        number(b.pollsPerSecond()), ratio(p.pollsPerSecond(), b.pollsPerSecond()));
    table.row("schedule lag p50 / p99 (at the upstream)", millis(p.lagP50()) + " / " + millis(p.lagP99()),
        millis(b.lagP50()) + " / " + millis(b.lagP99()), "");
    table.row("CPU of the process (cores)", number(p.cores()), number(b.cores()), "");
    table.row("CPU per 1,000 polls", millis(p.cpuMillisPerThousandPolls()), millis(b.cpuMillisPerThousandPolls()),
        ratio(p.cpuMillisPerThousandPolls(), b.cpuMillisPerThousandPolls()));
    table.row("heap after GC (with the tasks) / per task", bytes(p.heapAfterGc()) + " / "
        + bytes((double) p.heapDelta() / level.tasks()), bytes(b.heapAfterGc()) + " / "
        + bytes((double) b.heapDelta() / level.tasks()), "");
    table.row("resident memory (RSS) / per task", bytes(p.rss()) + " / " + bytes((double) p.rssDelta() / level.tasks()),
        bytes(b.rss()) + " / " + bytes((double) b.rssDelta() / level.tasks()), "");
    table.row("state dir (RocksDB) per task", bytes((double) p.stateBytes() / level.tasks()), "none", "");
    table.row("CPU of broker / upstream (cores)", number(p.brokerCores()) + " / " + number(p.upstreamCores()),
        number(b.brokerCores()) + " / " + number(b.upstreamCores()), "");
    table.row("time until every task was polled once", seconds(p.firstRoundSeconds()),
        seconds(b.firstRoundSeconds()), "");
    for (Restart restart : level.restarts()) {
      table.row("restart, " + restart.kind() + " state dir: stopped / RUNNING / first poll / 90 % rate",
          restart.failure() != null ? "failed: " + restart.failure()
              : seconds(restart.stopped()) + " / " + seconds(restart.running()) + " / "
                  + seconds(restart.firstPoll()) + " / " + seconds(restart.fullRate()), "", "");
    }
    return table;
  }

  private static List<String> goals(Level level, Settings settings) {
    Measured p = level.poller();
    Measured b = level.bare();
    List<String> goals = new ArrayList<>();
    if (p.failure() != null) {
      return goals;
    }
    double target = level.tasks() / (double) settings.intervalSeconds();
    if (b.failure() == null) {
      double ratio = p.pollsPerSecond() / b.pollsPerSecond();
      boolean met = ratio >= GOAL_RATIO || p.pollsPerSecond() >= 0.98 * target;
      goals.add(String.format(Locale.ROOT, "polls/s at least %.1fx the bare loop (or the whole target): %.2fx, %s",
          GOAL_RATIO, ratio, met ? "met" : "NOT met"));
    }
    goals.add(String.format(Locale.ROOT, "schedule lag p99 at most %.0f ms: %s, %s", GOAL_LAG_P99_MS,
        millis(p.lagP99()), p.lagP99() <= GOAL_LAG_P99_MS ? "met" : "NOT met"));
    goals.add(String.format(Locale.ROOT, "heap after GC at most 1 GiB: %s, %s", bytes(p.heapAfterGc()),
        p.heapAfterGc() <= GOAL_HEAP ? "met" : "NOT met"));
    goals.add(String.format(Locale.ROOT, "RSS at most 2 GiB: %s, %s", bytes(p.rss()),
        p.rss() <= GOAL_RSS ? "met" : "NOT met"));
    goals.add(String.format(Locale.ROOT, "CPU at most %d ms per 1,000 polls: %s, %s", GOAL_CPU_MS_PER_1000,
        millis(p.cpuMillisPerThousandPolls()), p.cpuMillisPerThousandPolls() <= GOAL_CPU_MS_PER_1000 ? "met"
            : "NOT met"));
    for (Restart restart : level.restarts()) {
      if (restart.failure() == null) {
        goals.add(String.format(Locale.ROOT, "polling resumes within %.0f s of a restart (%s state dir): first poll"
            + " after %.1f s, %s", GOAL_RESUME_SECONDS, restart.kind(), restart.firstPoll(),
            restart.firstPoll() <= GOAL_RESUME_SECONDS ? "met" : "NOT met"));
      }
    }
    return goals;
  }

  private static String seconds(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f s", value);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (Exception e) {
      // a temp dir; the OS cleans it eventually
    }
  }

  /** The poller's meters in a registry of their own, as the measured loop does not read them. */
  private static ServiceMeters unscrapedMeters(BridgeConfig config) {
    return new ServiceMeters(new SimpleMeterRegistry(), PollerService.NAME, config);
  }
}
