package io.asyncbridge.benchmarks.webhooks;

import static io.asyncbridge.benchmarks.support.MarkdownTable.millis;
import static io.asyncbridge.benchmarks.support.MarkdownTable.number;
import static io.asyncbridge.benchmarks.support.MarkdownTable.ratio;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.support.BenchKafka;
import io.asyncbridge.benchmarks.support.ChildJvm;
import io.asyncbridge.benchmarks.support.Flags;
import io.asyncbridge.benchmarks.support.MarkdownTable;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.support.ProducerPerformanceRun;
import io.asyncbridge.callbacks.CallbacksService;
import io.asyncbridge.core.config.BridgeConfig;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code webhooks}: signed 1 KiB webhooks POSTed by a closed-loop generator (child JVM) at rising concurrency to
 * (a) a bare Vert.x Router answering 202 and (b) the real callbacks service (202 only after acks=all); plus Kafka's
 * ProducerPerformance with 1 KiB records and acks=all, and the callback-to-completion latency.
 */
public final class WebhooksBenchmark {

  record Level(int connections, LoadGenerator.Result ceiling, LoadGenerator.Result kafkaOnly,
      LoadGenerator.Result sinkOnly, LoadGenerator.Result ours, double ourCores, double brokerCores) {
  }

  private final PrintStream out;

  public WebhooksBenchmark(PrintStream out) {
    this.out = out;
  }

  public void run(Flags flags) throws Exception {
    List<Integer> connections = flags.integers("connections", "16,64,256");
    int seconds = flags.integer("seconds", 15);
    int warmup = flags.integer("warmup-seconds", 5);
    int latencyTasks = flags.integer("latency-tasks", 2_000);
    int latencyRate = flags.integer("latency-rate", 500);
    int ceilingRecords = flags.integer("ceiling-records", 300_000);
    int streamThreads = flags.integer("stream-threads", 1);
    int prewarm = flags.integer("prewarm-seconds", 10);
    flags.rejectUnknown();

    List<Level> levels = new ArrayList<>();
    ProducerPerformanceRun.Result producerCeiling = null;
    CallbackLatency.Result latency = null;
    Path stateDir = Files.createTempDirectory("bench-callbacks-");
    Vertx vertx = Vertx.vertx();
    try (BenchKafka kafka = BenchKafka.start()) {
      String prefix = "cb-" + System.nanoTime() % 100_000;
      BridgeConfig config = BenchConfigs.callbacks(kafka.bootstrapServers(), prefix, "http://127.0.0.1:9", streamThreads);
      kafka.createBridgeTopics(config.topics());
      CallbacksService service = new CallbacksService(config, stateDir, vertx, Clock.systemUTC());
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
          out.printf("warming up all four servers, %d s each at %d connections%n", prewarm, most);
          for (int port : new int[] {ceilingPort, kafkaOnlyPort, sinkOnlyPort, service.port()}) {
            generate(port, most, 0, prewarm, "warm");
          }
        }
        for (int c : connections) {
          out.printf("webhooks: %d connections, bare Vert.x ...%n", c);
          LoadGenerator.Result ceiling = generate(ceilingPort, c, warmup, seconds, "ceil" + c);
          out.printf("  %,.0f/s; Vert.x + shared producer ...%n", ceiling.perSecond());
          LoadGenerator.Result kafkaOnly = generate(kafkaOnlyPort, c, warmup, seconds, "kafka" + c);
          out.printf("  %,.0f/s; Vert.x + KafkaWebhookSink ...%n", kafkaOnly.perSecond());
          LoadGenerator.Result sinkOnly = generate(sinkOnlyPort, c, warmup, seconds, "sink" + c);
          out.printf("  %,.0f/s; callbacks service ...%n", sinkOnly.perSecond());
          long ownCpu = ProcessMetrics.ownCpuNanos();
          long brokerCpu = kafka.cpuNanos();
          long t0 = System.nanoTime();
          LoadGenerator.Result ours = generate(service.port(), c, warmup, seconds, "ours" + c);
          double wall = (System.nanoTime() - t0) / 1e9;
          levels.add(new Level(c, ceiling, kafkaOnly, sinkOnly, ours, (ProcessMetrics.ownCpuNanos() - ownCpu) / 1e9 / wall,
              (kafka.cpuNanos() - brokerCpu) / 1e9 / wall));
          out.printf("  %,.0f/s (%d non-202, %d errors)%n", ours.perSecond(), ours.otherStatus(), ours.errors());
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
    report(levels, producerCeiling, latency, seconds);
  }

  private LoadGenerator.Result generate(int port, int connections, int warmup, int seconds, String runId) {
    try (ChildJvm child = ChildJvm.start("512m", LoadGeneratorMain.class.getName(), List.of("--port",
        Integer.toString(port), "--path", "/callbacks/" + BenchConfigs.CE_PROVIDER, "--connections",
        Integer.toString(connections), "--warmup-ms", Integer.toString(warmup * 1000), "--window-ms",
        Integer.toString(seconds * 1000), "--run-id", runId + "-" + System.nanoTime() % 100_000), line -> { })) {
      return LoadGeneratorMain.parse(child.awaitLine(LoadGeneratorMain.RESULT, (warmup + seconds + 60) * 1000L));
    }
  }

  private void report(List<Level> levels, ProducerPerformanceRun.Result kafka, CallbackLatency.Result latency,
      int seconds) {
    out.println();
    out.printf("### Webhooks: signed 1 KiB Cloud Elements webhooks to /callbacks/<provider>, %d s per level%n%n", seconds);
    MarkdownTable table = new MarkdownTable("conns", "bare Vert.x 202/s", "Vert.x + producer 202/s",
        "Vert.x + KafkaWebhookSink 202/s", "callbacks 202/s (acks=all)", "ratio to Vert.x + producer",
        "ratio to bare Vert.x", "ratio to Kafka ceiling", "callbacks p50 / p99",
        "Vert.x + producer p50 / p99", "bare p50 / p99", "non-202 / errors", "CPU cores: bridge JVM / broker");
    for (Level level : levels) {
      LoadGenerator.Result ours = level.ours();
      LoadGenerator.Result ceiling = level.ceiling();
      LoadGenerator.Result kafkaOnly = level.kafkaOnly();
      table.row(level.connections(), number(ceiling.perSecond()), number(kafkaOnly.perSecond()),
          number(level.sinkOnly().perSecond()) + " (" + millis(level.sinkOnly().p50Micros() / 1000) + " p50)",
          number(ours.perSecond()),
          ratio(ours.perSecond(), kafkaOnly.perSecond()),
          ratio(ours.perSecond(), ceiling.perSecond()),
          kafka == null ? "n/a" : ratio(ours.perSecond(), kafka.recordsPerSecond()),
          millis(ours.p50Micros() / 1000) + " / " + millis(ours.p99Micros() / 1000),
          millis(kafkaOnly.p50Micros() / 1000) + " / " + millis(kafkaOnly.p99Micros() / 1000),
          millis(ceiling.p50Micros() / 1000) + " / " + millis(ceiling.p99Micros() / 1000),
          ours.otherStatus() + " / " + ours.errors(), number(level.ourCores()) + " / " + number(level.brokerCores()));
    }
    out.println(table.render());
    levels.stream().max(java.util.Comparator.comparingDouble(
        level -> level.ours().perSecond() / Math.max(1, level.kafkaOnly().perSecond()))).ifPresent(best -> out.printf(
        "Against the Kafka-only server (Vert.x + one producer, the bridge's producer settings; context, not the goal)"
            + " -> best at %d connections: %,.0f/s = %s of %,.0f/s%n", best.connections(), best.ours().perSecond(),
        ratio(best.ours().perSecond(), best.kafkaOnly().perSecond()), best.kafkaOnly().perSecond()));
    if (kafka != null) {
      out.printf("Kafka ceiling (ProducerPerformance, %d-byte records, acks=all, idempotent, 3 partitions): %s%n",
          WebhookBodies.TARGET_BYTES, ProducerPerformanceRun.describe(kafka));
      double best = levels.stream().mapToDouble(level -> level.ours().perSecond()).max().orElse(0);
      out.printf("Goal: at least half of the broker ceiling -> best level %,.0f/s = %s of it: %s%n", best,
          ratio(best, kafka.recordsPerSecond()), best >= kafka.recordsPerSecond() / 2 ? "met" : "NOT met");
      double http = levels.stream().mapToDouble(level -> level.ceiling().perSecond()).max().orElse(0);
      out.printf("For scale: the bare Vert.x server (no Kafka at all) reached %,.0f/s = %s of the broker ceiling%n",
          http, ratio(http, kafka.recordsPerSecond()));
    }
    if (latency != null) {
      out.printf("Callback-to-completion (webhook sent -> completion read, read_committed): p50 %s, p99 %s "
          + "(%,d of %,d tasks completed, %d webhooks not answered 202)%n", millis(latency.p50Millis()),
          millis(latency.p99Millis()), latency.completed(), latency.tasks(), latency.non202());
    }
  }
}
