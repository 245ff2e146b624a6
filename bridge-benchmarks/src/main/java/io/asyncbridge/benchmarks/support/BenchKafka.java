package io.asyncbridge.benchmarks.support;

import io.asyncbridge.schemas.topic.TopicNames;
import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import io.asyncbridge.testkit.kafka.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The broker of one benchmark run: the testkit's single-node KRaft broker in a child JVM, on a fresh temp dir. */
public final class BenchKafka implements AutoCloseable {

  private final EmbeddedKafkaBroker broker;

  private BenchKafka(EmbeddedKafkaBroker broker) {
    this.broker = broker;
  }

  public static BenchKafka start() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().maxHeap("1g").startupTimeout(Duration.ofSeconds(90))
        .build();
    try {
      broker.start();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return new BenchKafka(broker);
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** CPU time of the broker process so far (ns), -1 when unknown. */
  public long cpuNanos() {
    return broker.processHandle().map(handle -> ProcessMetrics.cpuNanosOf(handle.pid())).orElse(-1L);
  }

  /** Every bridge topic of the given names, with the same partition count (the services check it). */
  public void createBridgeTopics(TopicNames topics) {
    create(topics.all().stream().map(t -> TopicSpec.of(t.name(), t.partitions())).toList());
  }

  public void createTopic(String name, int partitions) {
    create(List.of(TopicSpec.of(name, partitions)));
  }

  /**
   * The testkit describes the topics right after creating them; on a busy machine the broker may not serve them yet
   * (UnknownTopicOrPartition). Creating again is harmless (existing topics are skipped), so try a few times.
   */
  private void create(List<TopicSpec> specs) {
    for (int attempt = 1; ; attempt++) {
      try {
        broker.createTopics(specs);
        return;
      } catch (IllegalStateException e) {
        if (attempt >= 5) {
          throw e;
        }
        ProcessMetrics.sleep(500L * attempt);
      }
    }
  }

  /** A producer for loading input: batches well, acks=all like the bridge's own. */
  public Map<String, Object> loaderProducer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    return props;
  }

  /** A read_committed consumer from the beginning, without a group (assigned partitions). */
  public Map<String, Object> committedReader() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return props;
  }

  @Override
  public void close() {
    broker.close();
  }
}
