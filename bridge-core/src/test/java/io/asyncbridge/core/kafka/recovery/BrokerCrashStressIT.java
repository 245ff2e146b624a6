package io.asyncbridge.core.kafka.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import io.asyncbridge.testkit.kafka.TopicAdmin;
import io.asyncbridge.testkit.kafka.TopicSpec;
import io.asyncbridge.testkit.transactions.TransactionProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker crashes under exactly-once load, many times in a row. Two chained Kafka Streams applications
 * ({@code exactly_once_v2}, a changelogged store each) process a steady stream of records while the broker is
 * killed with SIGKILL at random moments and started again. After each restart the run waits until every partition's
 * last stable offset has passed the high watermark it had when the broker was back, and each application's group
 * answers a stable offset fetch. Any partition that takes longer than {@code stress.stallSeconds} is a stall,
 * recorded with the coordinator's view of the open transactions and the partition leader's open producers; the run
 * fails if any takes longer than {@code stress.boundSeconds} (60). With
 * {@code stress.recovery=true} each application runs the bridge's {@link TransactionRecovery}, as the services do.
 *
 * <p>{@code -Dbroker.crash.stress=true [-Dstress.crashes=30] [-Dstress.seed=N] [-Dstress.stallSeconds=30]
 * [-Dstress.boundSeconds=60] [-Dstress.maxWaitSeconds=180] [-Dstress.appKills=true] [-Dstress.recovery=true]
 * [-Dstress.transactionVersion=1] [-Dstress.brokerProperty.<key>=<value>...]}
 */
@EnabledIfSystemProperty(named = "broker.crash.stress", matches = "true")
class BrokerCrashStressIT {

  private static final int PARTITIONS = 3;
  private static final String INPUT = "stress-in";
  private static final String MIDDLE = "stress-mid";
  private static final String OUTPUT = "stress-out";

  @TempDir
  Path dir;

  @Test
  void everyPartitionRecoversAfterEveryCrash() throws Exception {
    int crashes = Integer.getInteger("stress.crashes", 30);
    boolean appKills = Boolean.parseBoolean(System.getProperty("stress.appKills", "true"));
    boolean recovery = Boolean.parseBoolean(System.getProperty("stress.recovery", "false"));
    long seed = Long.getLong("stress.seed", new Random().nextLong());
    Duration stallBound = Duration.ofSeconds(Integer.getInteger("stress.stallSeconds", 30));
    Duration maxWait = Duration.ofSeconds(Integer.getInteger("stress.maxWaitSeconds", 180));
    Random random = new Random(seed);
    System.out.printf("stress: seed %d, %d crashes, application kills %s, transaction recovery %s, stall bound"
        + " %d s%n", seed, crashes, appKills, recovery, stallBound.toSeconds());

    // a loaded 2-core machine can take a minute to start a broker that must recover its logs
    var builder = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).startupTimeout(Duration.ofMinutes(2));
    brokerOverrides().forEach(builder::brokerProperty);
    Integer transactionVersion = Integer.getInteger("stress.transactionVersion");
    if (transactionVersion != null) {
      builder.formatFeature("transaction.version", transactionVersion);
    }
    List<Stall> stalls = new ArrayList<>();
    long longestMillis = 0;
    try (EmbeddedKafkaBroker broker = builder.build()) {
      broker.start();
      broker.createTopics(List.of(TopicSpec.of(INPUT, PARTITIONS), TopicSpec.of(MIDDLE, PARTITIONS),
          TopicSpec.of(OUTPUT, PARTITIONS)));
      AtomicBoolean loading = new AtomicBoolean(true);
      Thread load = new Thread(() -> produce(broker.bootstrapServers(), loading), "stress-load");
      load.setDaemon(true);
      load.start();
      List<ChildApp> apps = List.of(
          new ChildApp(broker.bootstrapServers(), "stress-first", INPUT, MIDDLE, dir.resolve("a1"), recovery),
          new ChildApp(broker.bootstrapServers(), "stress-first", INPUT, MIDDLE, dir.resolve("a2"), recovery),
          new ChildApp(broker.bootstrapServers(), "stress-second", MIDDLE, OUTPUT, dir.resolve("b1"), recovery));
      apps.forEach(ChildApp::start);
      try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
        TransactionProbe probe = new TransactionProbe(admin);
        List<TopicPartition> watched = watched(admin);
        LockSupport.parkNanos(Duration.ofSeconds(15).toNanos()); // let the applications start and load
        for (int crash = 1; crash <= crashes; crash++) {
          LockSupport.parkNanos(Duration.ofMillis(2_000 + random.nextInt(8_000)).toNanos());
          ChildApp victim = appKills ? apps.get(random.nextInt(apps.size())) : null;
          int when = random.nextInt(3); // the application dies just before, during or just after the outage
          if (victim != null && when == 0) {
            victim.kill();
          }
          long killedAt = System.nanoTime();
          broker.kill();
          LockSupport.parkNanos(Duration.ofMillis(random.nextInt(3_000)).toNanos());
          if (victim != null && when == 1) {
            victim.kill();
          }
          broker.start();
          if (victim != null && when == 2) {
            LockSupport.parkNanos(Duration.ofMillis(random.nextInt(2_000)).toNanos());
            victim.kill();
          }
          if (victim != null) {
            victim.start();
          }
          Recovery after = awaitRecovery(probe, watched, stallBound, maxWait);
          longestMillis = Math.max(longestMillis, after.millis());
          System.out.printf("stress: crash %d/%d (application killed: %s): every partition stable again"
              + " %d ms after the broker was back, %d ms after the crash%s%n", crash, crashes,
              victim == null ? "no" : new String[] {"before", "during", "after"}[when], after.millis(),
              (System.nanoTime() - killedAt) / 1_000_000,
              after.stall() == null ? "" : " STALL " + after.stall());
          if (after.stall() != null) {
            stalls.add(after.stall());
          }
          watched = watched(admin);
        }
      } finally {
        loading.set(false);
        apps.forEach(ChildApp::kill);
      }
    }
    List<String> recovered = new ArrayList<>();
    for (String app : List.of("a1", "a2", "b1")) {
      Path log = dir.resolve(app + ".log");
      if (java.nio.file.Files.exists(log)) {
        java.nio.file.Files.readAllLines(log).stream().filter(line -> line.contains("WARN")
            && line.contains(TransactionRecovery.class.getName())).forEach(recovered::add);
      }
    }
    recovered.forEach(line -> System.out.println("stress: recovery: " + line));
    System.out.printf("STRESS FIGURES recoveryWarnings=%d ", recovered.size());
    System.out.printf("STRESS FIGURES seed=%d crashes=%d appKills=%s recovery=%s stalls=%d longestMs=%d"
        + " transactionVersion=%s overrides=%s%n", seed, crashes, appKills, recovery, stalls.size(), longestMillis,
        transactionVersion == null ? "default" : transactionVersion, brokerOverrides());
    // Stalls over the recording bound are reported; none may outlast the bound the bridge promises.
    assertThat(longestMillis).as("the longest time until every partition was stable again after a crash, ms")
        .isLessThan(Duration.ofSeconds(Integer.getInteger("stress.boundSeconds", 60)).toMillis());
  }

  record Stall(long crashMillis, Map<TopicPartition, Long> stuck, String transactions, String producers) {
  }

  record Recovery(long millis, Stall stall) {
  }

  private static Recovery awaitRecovery(TransactionProbe probe, List<TopicPartition> watched, Duration stallBound,
      Duration maxWait) {
    long back = System.nanoTime();
    Map<TopicPartition, Long> target = null;
    Stall stall = null;
    while (true) {
      long elapsed = (System.nanoTime() - back) / 1_000_000;
      try {
        if (target == null) {
          target = probe.highWatermarks(watched);
        }
        Map<TopicPartition, Long> stable = probe.lastStableOffsets(watched);
        Map<TopicPartition, Long> behind = new HashMap<>();
        for (TopicPartition partition : watched) {
          if (stable.get(partition) < target.get(partition)) {
            behind.put(partition, target.get(partition) - stable.get(partition));
          }
        }
        boolean groups = probe.stableOffsetFetchAnswers("stress-first", partitionsOf(watched, INPUT))
            && probe.stableOffsetFetchAnswers("stress-second", partitionsOf(watched, MIDDLE));
        if (behind.isEmpty() && groups) {
          return new Recovery(elapsed, stall);
        }
        if (stall == null && elapsed > stallBound.toMillis()) {
          if (!groups) {
            behind.put(new TopicPartition("stable-offset-fetch", -1), -1L);
          }
          stall = new Stall(elapsed, behind, String.valueOf(probe.unfinishedTransactions()),
              String.valueOf(probe.openOnPartitions(behind.keySet().stream()
                  .filter(p -> p.partition() >= 0).toList())));
          System.out.println("stress: STALL " + stall);
        }
      } catch (Exception e) {
        // the broker is still loading: ask again
      }
      if (elapsed > maxWait.toMillis()) {
        return new Recovery(elapsed, stall);
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
  }

  private static List<TopicPartition> partitionsOf(List<TopicPartition> watched, String topic) {
    return watched.stream().filter(p -> p.topic().equals(topic)).toList();
  }

  /** Every partition the applications write, changelogs and the offsets topic included. */
  private static List<TopicPartition> watched(Admin admin) throws Exception {
    List<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
        .names().get().stream().filter(t -> t.startsWith("stress") || t.equals("__consumer_offsets")).toList();
    List<TopicPartition> partitions = new ArrayList<>();
    admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
        description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
    return partitions;
  }

  private static Map<String, String> brokerOverrides() {
    Map<String, String> overrides = new HashMap<>();
    String prefix = "stress.brokerProperty.";
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
        .forEach(k -> overrides.put(k.substring(prefix.length()), System.getProperty(k)));
    return overrides;
  }

  /** One instance of {@link CountingApp} in a child JVM, killed with SIGKILL and started again on its state. */
  private static final class ChildApp {
    private final List<String> command;
    private final Path log;
    private Process process;

    ChildApp(String bootstrap, String id, String from, String to, Path stateDir, boolean recovery) {
      command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CountingApp.class.getName(),
          bootstrap, id, from, to, stateDir.toString(), Boolean.toString(recovery));
      log = Path.of(stateDir + ".log");
    }

    void start() {
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("could not start " + command, e);
      }
    }

    void kill() {
      if (process != null) {
        process.destroyForcibly();
        try {
          process.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static void produce(String bootstrap, AtomicBoolean loading) {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
    try (KafkaProducer<String, String> producer =
           new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      long n = 0;
      while (loading.get()) {
        producer.send(new ProducerRecord<>(INPUT, "k" + (n % 500), Long.toString(n)));
        n++;
        if (n % 20 == 0) {
          LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // about 1,000 records/s
        }
      }
    }
  }
}
