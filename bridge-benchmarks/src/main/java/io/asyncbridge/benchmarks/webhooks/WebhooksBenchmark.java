package io.asyncbridge.benchmarks.webhooks;

import static io.asyncbridge.benchmarks.support.MarkdownTable.ratio;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.support.BenchKafka;
import io.asyncbridge.benchmarks.support.ChildJvm;
import io.asyncbridge.benchmarks.support.Flags;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.support.ProducerPerformanceRun;
import io.asyncbridge.callbacks.CallbacksService;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code webhooks}: signed 1 KiB webhooks POSTed by a closed-loop generator (child JVM) to the Kafka-only server
 * (Vert.x + one producer, acks=all: the reference) and to the real callbacks service (202 only after acks=all), in
 * turn, round after round (A B A B A B), so that both see the same machine; each round's ratio uses its own
 * reference run, and the report gives the median ratio with its spread. Two paths for the callbacks service:
 * <ul>
 *   <li>{@code common}: every webhook's task was handed over first (the usual order: an upstream calls back after it
 *       answered the create call), so each webhook completes a waiting task;</li>
 *   <li>{@code early}: no task claims the webhooks, each is held for {@code earlyWebhookRetention} (the most
 *       expensive path, rare in practice).</li>
 * </ul>
 * For context, once per level: a bare Vert.x server answering 202 and the service's own sink alone. Then the
 * callback-to-completion latency and, optionally, Kafka's ProducerPerformance.
 */
public final class WebhooksBenchmark {

  static final String COMMON = "common";
  static final String EARLY = "early";

  /** One callbacks-service run beside the reference run of its round. */
  record Run(int connections, int round, String path, LoadGenerator.Result kafkaOnly, LoadGenerator.Result ours,
      double ourCores, double brokerCores, long tasksHandedOver, double handOverSeconds) {

    double ratio() {
      return ours.perSecond() / Math.max(1, kafkaOnly.perSecond());
    }

    /** Share of the webhooks sent (warm-up included) whose task had been handed over. */
    double covered() {
      return ours.sent() == 0 ? 1 : Math.min(1.0, (double) tasksHandedOver / ours.sent());
    }
  }

  /** The context servers of one level, measured once. */
  record Context(int connections, LoadGenerator.Result ceiling, LoadGenerator.Result sinkOnly) {
  }

  private final PrintStream out;

  public WebhooksBenchmark(PrintStream out) {
    this.out = out;
  }

  public void run(Flags flags) throws Exception {
    List<Integer> connections = flags.integers("connections", "16,64");
    int seconds = flags.integer("seconds", 10);
    int warmup = flags.integer("warmup-seconds", 3);
    int rounds = flags.integer("rounds", 3);
    List<String> paths = List.of(flags.string("paths", COMMON + "," + EARLY).split(","));
    boolean context = Boolean.parseBoolean(flags.string("context", "true"));
    int latencyTasks = flags.integer("latency-tasks", 2_000);
    int latencyRate = flags.integer("latency-rate", 500);
    int ceilingRecords = flags.integer("ceiling-records", 0);
    int streamThreads = flags.integer("stream-threads", 1);
    int prewarm = flags.integer("prewarm-seconds", 5);
    int commitInterval = flags.integer("commit-interval-ms", 0);
    flags.rejectUnknown();
    for (String path : paths) {
      if (!path.equals(COMMON) && !path.equals(EARLY)) {
        throw new IllegalArgumentException("--paths takes common and/or early, not '" + path + "'");
      }
    }

    List<Run> runs = new ArrayList<>();
    List<Context> contexts = new ArrayList<>();
    ProducerPerformanceRun.Result producerCeiling = null;
    CallbackLatency.Result latency = null;
    Path stateDir = Files.createTempDirectory("bench-callbacks-");
    Vertx vertx = Vertx.vertx();
    try (BenchKafka kafka = BenchKafka.start()) {
      String prefix = "cb-" + System.nanoTime() % 100_000;
      BridgeConfig config = BenchConfigs.callbacks(kafka.bootstrapServers(), prefix, "http://127.0.0.1:9", streamThreads,
          commitInterval > 0 ? Map.of("commit.interval.ms", Integer.toString(commitInterval)) : Map.of());
      kafka.createBridgeTopics(config.topics());
      ServiceMeters meters = new ServiceMeters(new SimpleMeterRegistry(), CallbacksService.NAME, config);
      CallbacksService service = new CallbacksService(config, stateDir, vertx, Clock.systemUTC(), meters);
      CeilingServer ceilingServer = new CeilingServer(vertx);
      String kafkaOnlyTopic = prefix + ".kafka-only";
      kafka.createTopic(kafkaOnlyTopic, config.topics().partitions());
      KafkaOnlyServer kafkaOnlyServer = new KafkaOnlyServer(vertx, config, kafkaOnlyTopic);
      String sinkOnlyTopic = prefix + ".sink-only";
      kafka.createTopic(sinkOnlyTopic, config.topics().partitions());
      SinkOnlyServer sinkOnlyServer = new SinkOnlyServer(vertx, config, sinkOnlyTopic);
      try {
        service.start();
        int ceilingPort = ceilingServer.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int kafkaOnlyPort = kafkaOnlyServer.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int sinkOnlyPort = sinkOnlyServer.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (prewarm > 0) {
          // Each server's code paths (and the broker's) get compiled here, not inside the first measured windows.
          int most = connections.stream().mapToInt(Integer::intValue).max().orElse(64);
          out.printf("warming up, %d s each at %d connections%n", prewarm, most);
          int[] ports = context ? new int[] {ceilingPort, kafkaOnlyPort, sinkOnlyPort, service.port()}
              : new int[] {kafkaOnlyPort, service.port()};
          for (int port : ports) {
            generate(port, most, 0, prewarm, runId("warm"));
          }
          if (paths.contains(COMMON)) {
            String warm = runId("warmc");
            TaskHandOver.handOver(kafka, config, meters.inFlight(), warm, 20_000);
            generate(service.port(), most, 0, prewarm, warm);
          }
        }
        for (int c : connections) {
          if (context) {
            out.printf("webhooks: %d connections, bare Vert.x ...%n", c);
            LoadGenerator.Result ceiling = generate(ceilingPort, c, warmup, seconds, runId("ceil" + c));
            out.printf("  %,.0f/s; Vert.x + KafkaWebhookSink ...%n", ceiling.perSecond());
            LoadGenerator.Result sinkOnly = generate(sinkOnlyPort, c, warmup, seconds, runId("sink" + c));
            out.printf("  %,.0f/s%n", sinkOnly.perSecond());
            contexts.add(new Context(c, ceiling, sinkOnly));
          }
          for (int round = 1; round <= rounds; round++) {
            LoadGenerator.Result kafkaOnly = generate(kafkaOnlyPort, c, warmup, seconds, runId("kafka" + c));
            out.printf("webhooks: %d connections, round %d: Kafka-only server %,.0f/s%n", c, round,
                kafkaOnly.perSecond());
            for (String path : paths) {
              String runId = runId(path + c);
              long tasks = 0;
              double handOverSeconds = 0;
              if (path.equals(COMMON)) {
                // Enough tasks for every webhook the service may take in this window at the reference's rate, +15 %.
                tasks = (long) (kafkaOnly.perSecond() * (warmup + seconds) * 1.15) + 1_000;
                handOverSeconds = TaskHandOver.handOver(kafka, config, meters.inFlight(), runId, (int) tasks);
              }
              long ownCpu = ProcessMetrics.ownCpuNanos();
              long brokerCpu = kafka.cpuNanos();
              long t0 = System.nanoTime();
              LoadGenerator.Result ours = generate(service.port(), c, warmup, seconds, runId);
              double wall = (System.nanoTime() - t0) / 1e9;
              Run run = new Run(c, round, path, kafkaOnly, ours, (ProcessMetrics.ownCpuNanos() - ownCpu) / 1e9 / wall,
                  (kafka.cpuNanos() - brokerCpu) / 1e9 / wall, tasks, handOverSeconds);
              runs.add(run);
              out.printf("  callbacks, %s path: %,.0f/s = %s (%d non-202, %d errors)%n", path, ours.perSecond(),
                  ratio(ours.perSecond(), kafkaOnly.perSecond()), ours.otherStatus(), ours.errors());
            }
          }
        }
        if (latencyTasks > 0) {
          out.printf("callback-to-completion latency: %,d tasks at %d webhooks/s ...%n", latencyTasks, latencyRate);
          latency = CallbackLatency.run(kafka, config, service.port(), latencyTasks, latencyRate, vertx);
        }
      } finally {
        ceilingServer.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        kafkaOnlyServer.close();
        sinkOnlyServer.close();
        service.close();
      }
      if (ceilingRecords > 0) {
        out.println("Kafka ProducerPerformance ...");
        String topic = prefix + ".ceiling";
        kafka.createTopic(topic, config.topics().partitions());
        producerCeiling = ProducerPerformanceRun.run(kafka.bootstrapServers(), topic, ceilingRecords,
            WebhookBodies.TARGET_BYTES);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      try (var files = Files.walk(stateDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    new WebhooksReport(out).print(runs, contexts, producerCeiling, latency, warmup, seconds, rounds);
  }

  private static String runId(String what) {
    return what + "-" + System.nanoTime() % 1_000_000;
  }

  private LoadGenerator.Result generate(int port, int connections, int warmup, int seconds, String runId) {
    try (ChildJvm child = ChildJvm.start("512m", LoadGeneratorMain.class.getName(), List.of("--port",
        Integer.toString(port), "--path", "/callbacks/" + BenchConfigs.CE_PROVIDER, "--connections",
        Integer.toString(connections), "--warmup-ms", Integer.toString(warmup * 1000), "--window-ms",
        Integer.toString(seconds * 1000), "--run-id", runId), line -> { })) {
      return LoadGeneratorMain.parse(child.awaitLine(LoadGeneratorMain.RESULT, (warmup + seconds + 60) * 1000L));
    }
  }
}
