package io.asyncbridge.core.service;

import io.asyncbridge.core.kafka.recovery.StreamsTransactionRecovery;
import io.asyncbridge.core.kafka.recovery.TransactionRecovery;
import io.asyncbridge.core.observability.KafkaClientMeters;
import io.asyncbridge.core.observability.ServiceHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams application: starts it, waits until it runs, replaces a stream thread that died of an
 * unexpected error (its tasks resume from the last commit, so nothing is lost or doubled), and closes it within a
 * bounded time.
 */
public final class StreamsLifecycle implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);

  private final String name;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private final AutoCloseable clientMeters;
  private final TransactionRecovery recovery;

  public StreamsLifecycle(String name, Topology topology, Map<String, Object> properties) {
    this(name, topology, properties, null);
  }

  /** @param registry where the application's Kafka client metrics go ({@code service=<name>}); null for none */
  public StreamsLifecycle(String name, Topology topology, Map<String, Object> properties, MeterRegistry registry) {
    this.name = name;
    Properties props = new Properties();
    props.putAll(properties);
    this.streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(failure -> {
      Throwable kafkaCause = brokerSideTransactionFailure(failure);
      if (kafkaCause != null) {
        LOG.warn("{}: a stream thread's transaction failed at the broker ({}), as happens around a broker restart;"
            + " replacing the thread (its tasks resume from the last commit)", name, kafkaCause.toString());
      } else {
        LOG.error("{}: a stream thread failed; replacing it (its tasks resume from the last commit)", name, failure);
      }
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> {
      LOG.info("{}: {} -> {}", name, before, now);
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    this.clientMeters = registry == null ? null : KafkaClientMeters.bind(registry, streams, name);
    // A transaction Kafka leaves open would stall this application's partitions for good: notice it and end it.
    this.recovery = registry == null ? null
        : StreamsTransactionRecovery.create(name, topology, properties, registry, TransactionRecovery.Settings.defaults());
  }

  public void start(Duration waitForRunning) {
    streams.start();
    if (recovery != null) {
      recovery.start();
    }
    try {
      if (!running.await(waitForRunning.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: not running after {} s (state {}); it keeps trying", name, waitForRunning.toSeconds(), streams.state());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How many partitions of {@code topic} this instance's stream threads own as active tasks now; -1 while the
   * application is neither running nor rebalancing (nothing to count).
   */
  public int ownedPartitions(String topic) {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return -1;
    }
    int owned = 0;
    for (org.apache.kafka.streams.ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (org.apache.kafka.streams.TaskMetadata task : thread.activeTasks()) {
        owned += (int) task.topicPartitions().stream().filter(partition -> partition.topic().equals(topic)).count();
      }
    }
    return owned;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * Ready while RUNNING or REBALANCING (a rebalance is routine: the instance keeps its other partitions) and no
   * partition of its topics is stalled behind a transaction Kafka left open; not live once ERROR (every stream thread
   * died and none could be replaced: only a restart helps).
   */
  public ServiceHealth health() {
    KafkaStreams.State state = streams.state();
    ServiceHealth health = new ServiceHealth(state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR,
        state.isRunningOrRebalancing(), Map.of("streams", state.name()));
    return recovery == null ? health : recovery.health(health);
  }

  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Closes and leaves the consumer group, so the partitions move to the remaining instances at once instead of
   * after the session timeout (45 s): a graceful stop is a scale-down, not a blip to ride out.
   */
  @Override
  public void close() {
    if (recovery != null) {
      recovery.close();
    }
    if (!streams.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
      LOG.warn("{}: did not close within 30 s", name);
    }
    if (clientMeters != null) {
      try {
        clientMeters.close();
      } catch (Exception e) {
        LOG.warn("{}: Kafka client meters did not close: {}", name, e.toString());
      }
    }
  }

  /**
   * The cause, when a stream thread died because the broker refused its transaction: the coordinator lost or aborted
   * it (a broker restart, a transaction timed out while the thread was stalled; KAFKA-19690), or fenced the producer.
   * Kafka Streams treats these as fatal for the thread, but a new thread starts a new transaction from the last
   * commit, so they are an operator's warning, not an error. Null for anything else.
   */
  static Throwable brokerSideTransactionFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof org.apache.kafka.common.errors.InvalidTxnStateException
          || cause instanceof org.apache.kafka.common.errors.InvalidProducerEpochException
          || cause instanceof org.apache.kafka.common.errors.ProducerFencedException
          || cause instanceof org.apache.kafka.common.errors.TransactionAbortedException
          || cause instanceof org.apache.kafka.common.errors.InvalidPidMappingException) {
        return cause;
      }
    }
    return null;
  }
}
