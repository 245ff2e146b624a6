package io.asyncbridge.core.kafka.recovery;

import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Main class of a child JVM running one instance of an exactly_once_v2 Kafka Streams application shaped like the
 * bridge's services: it reads a topic, keeps a changelogged store, and writes what it counted to another topic,
 * committing every 100 ms. It runs until its standard input closes (the parent died or let it go) or it is killed.
 *
 * <p>Usage: {@code CountingApp <bootstrap> <application.id> <from> <to> <state dir> <recovery: true|false>}; with
 * recovery it runs the bridge's {@link TransactionRecovery} beside it, as the services do.
 */
public final class CountingApp {

  private CountingApp() {
  }

  public static void main(String[] args) throws IOException {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(args[2], Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count(Materialized.as("counts"))
        .toStream()
        .mapValues(String::valueOf)
        .to(args[3], Produced.with(Serdes.String(), Serdes.String()));
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
    props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
    org.apache.kafka.streams.Topology topology = builder.build();
    KafkaStreams streams = new KafkaStreams(topology, props);
    TransactionRecovery recovery = null;
    if (Boolean.parseBoolean(args[5])) {
      java.util.Map<String, Object> properties = new java.util.HashMap<>();
      props.forEach((key, value) -> properties.put((String) key, value));
      recovery = StreamsTransactionRecovery.create(args[1], topology, properties,
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), TransactionRecovery.Settings.defaults());
    }
    streams.setUncaughtExceptionHandler(e -> {
      System.err.println("stream thread failed, replacing it: " + e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
          .REPLACE_THREAD;
    });
    streams.start();
    if (recovery != null) {
      recovery.start();
    }
    while (System.in.read() >= 0) {
      // the parent never writes; end of input means it is gone
    }
    if (recovery != null) {
      recovery.close();
    }
    streams.close(Duration.ofSeconds(10));
  }
}
