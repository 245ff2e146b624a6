package io.asyncbridge.benchmarks.ingest;

import static io.asyncbridge.benchmarks.support.MarkdownTable.number;
import static io.asyncbridge.benchmarks.support.MarkdownTable.ratio;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.support.BenchKafka;
import io.asyncbridge.benchmarks.support.Flags;
import io.asyncbridge.benchmarks.support.MarkdownTable;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.support.ProducerPerformanceRun;
import io.asyncbridge.benchmarks.support.TopicCounter;
import io.asyncbridge.benchmarks.upstream.UpstreamProcess;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.ingest.IngestService;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ingest}: M task requests on the requests topic, dispatched by the real IngestService to an upstream that
 * answers 202 after {@code delay-ms}; rate = TaskAccepted records read (read_committed) per second from the first to
 * the last. Baseline in the same run: a fixed pool of blocking threads on the same requests and upstream.
 */
public final class IngestBenchmark {

  /** One dispatcher's figures. */
  record Result(String name, long accepted, double perSecond, double firstToLastSeconds, double ownCores,
      double brokerCores, double upstreamCores, long errors) {
  }

  private final PrintStream out;

  public IngestBenchmark(PrintStream out) {
    this.out = out;
  }

  public void run(Flags flags) throws Exception {
    int requests = flags.integer("requests", 50_000);
    int concurrency = flags.integer("concurrency", 2048);
    int delay = flags.integer("delay-ms", 200);
    int threads = flags.integer("blocking-threads", 200);
    int streamThreads = flags.integer("stream-threads", 1);
    int ceilingRecords = flags.integer("ceiling-records", 200_000);
    flags.rejectUnknown();

    Path stateRoot = Files.createTempDirectory("bench-ingest-");
    Result ours;
    Result baseline;
    ProducerPerformanceRun.Result ceiling = null;
    int acceptedSize;
    try (BenchKafka kafka = BenchKafka.start(); UpstreamProcess upstream = UpstreamProcess.start(delay, 5_000)) {
      String prefix = "ingest-" + System.nanoTime() % 100_000;
      BridgeConfig config = BenchConfigs.poll(kafka.bootstrapServers(), prefix, upstream.baseUrl(), 0.2, 512,
          concurrency, streamThreads);
      kafka.createBridgeTopics(config.topics());
      String baselineTasks = prefix + ".baseline-tasks";
      kafka.createTopic(baselineTasks, config.topics().partitions());
      produceRequests(kafka, config.topics().requests(), requests);
      out.printf("ingest: %,d requests on %s; upstream answers after %d ms%n", requests, config.topics().requests(),
          delay);

      long[] sizes = new long[1];
      Vertx vertx = Vertx.vertx();
      IngestService ingest = new IngestService(new ServiceContext(config, stateRoot, vertx, Clock.systemUTC()));
      try (TopicCounter counter = new TopicCounter(kafka, config.topics().tasks(), requests,
          (record, at) -> sizes[0] = record.value().length)) {
        ours = measure("bridge IngestService (dispatch.concurrency " + concurrency + ")", kafka, upstream, counter,
            requests, ingest::start, () -> 0L);
      } finally {
        ingest.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      acceptedSize = (int) sizes[0];
      out.printf("  %,.0f/s%n", ours.perSecond());

      BlockingDispatcher[] blocking = new BlockingDispatcher[1];
      try (TopicCounter counter = new TopicCounter(kafka, baselineTasks, requests, (record, at) -> { })) {
        baseline = measure("blocking pool (" + threads + " threads)", kafka, upstream, counter, requests,
            () -> blocking[0] = new BlockingDispatcher(kafka, config.topics().requests(), baselineTasks,
                upstream.baseUrl() + "/api", threads), () -> blocking[0].errors());
      } finally {
        if (blocking[0] != null) {
          blocking[0].close();
        }
      }
      out.printf("  %,.0f/s%n", baseline.perSecond());

      if (ceilingRecords > 0) {
        String topic = prefix + ".ceiling";
        kafka.createTopic(topic, config.topics().partitions());
        ceiling = ProducerPerformanceRun.run(kafka.bootstrapServers(), topic, ceilingRecords, Math.max(100, acceptedSize));
      }
    } finally {
      try (var files = Files.walk(stateRoot)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }

    out.println();
    out.printf("### Ingest: %,d requests, upstream answers 202 after %d ms%n%n", requests, delay);
    MarkdownTable table = new MarkdownTable("dispatcher", "hand-offs/s (first to last TaskAccepted)",
        "ratio to blocking pool", "time", "CPU cores: dispatcher / broker / upstream", "errors");
    for (Result r : new Result[] {ours, baseline}) {
      table.row(r.name(), number(r.perSecond()), ratio(r.perSecond(), baseline.perSecond()),
          String.format("%.1f s", r.firstToLastSeconds()), number(r.ownCores()) + " / " + number(r.brokerCores())
              + " / " + number(r.upstreamCores()), r.errors());
    }
    out.println(table.render());
    out.printf("Goal: at least 5,000/s -> %s (%s of the goal)%n", ours.perSecond() >= 5_000 ? "met" : "NOT met",
        ratio(ours.perSecond(), 5_000));
    if (ceiling != null) {
      out.printf("Kafka ceiling (ProducerPerformance, %d-byte records = a TaskAccepted, acks=all): %s; ingest writes"
          + " 3 records per task (GO, RESULT, TaskAccepted) plus changelogs, so its hand-offs/s are %s of it%n",
          Math.max(100, acceptedSize), ProducerPerformanceRun.describe(ceiling),
          ratio(ours.perSecond(), ceiling.recordsPerSecond()));
    }
  }

  private Result measure(String name, BenchKafka kafka, UpstreamProcess upstream, TopicCounter counter, int requests,
      Runnable start, java.util.function.LongSupplier errors) {
    out.printf("%s ...%n", name);
    long ownCpu = ProcessMetrics.ownCpuNanos();
    long brokerCpu = kafka.cpuNanos();
    long upstreamCpu = upstream.cpuNanos();
    long t0 = System.currentTimeMillis();
    start.run();
    boolean complete = counter.await(Math.max(180_000, requests * 20L));
    double wall = (System.currentTimeMillis() - t0) / 1000.0;
    double seconds = (counter.lastMillis() - counter.firstMillis()) / 1000.0;
    if (!complete) {
      out.printf("  only %,d of %,d hand-offs arrived in time%n", counter.count(), requests);
    }
    return new Result(name, counter.count(), (counter.count() - 1) / Math.max(0.001, seconds), seconds,
        (ProcessMetrics.ownCpuNanos() - ownCpu) / 1e9 / wall, (kafka.cpuNanos() - brokerCpu) / 1e9 / wall,
        (upstream.cpuNanos() - upstreamCpu) / 1e9 / wall, errors.getAsLong());
  }

  private static void produceRequests(BenchKafka kafka, String topic, int requests) {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.loaderProducer(), new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < requests; i++) {
        String taskId = "req-" + i;
        String json = "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + BenchConfigs.PROVIDER
            + "\",\"method\":\"POST\",\"path\":\"/tasks\",\"body\":{\"name\":\"db_" + i
            + "\"},\"timeout\":\"PT1H\",\"metadata\":{\"run\":\"benchmark\"}}";
        producer.send(new ProducerRecord<>(topic, taskId, json.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }
}
