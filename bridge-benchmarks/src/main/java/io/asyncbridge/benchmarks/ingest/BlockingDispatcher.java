package io.asyncbridge.benchmarks.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.benchmarks.support.BenchKafka;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The baseline dispatcher: one consumer feeds a fixed pool of threads, each making one blocking HTTP call per request
 * (HttpURLConnection, keep-alive) and writing TaskAccepted with an acks=all producer. No state store, no
 * exactly-once, no deduplication: the cheapest thing that still turns requests into hand-offs.
 */
final class BlockingDispatcher implements AutoCloseable {

  private final ExecutorService pool;
  private final Thread feeder;
  private final KafkaProducer<String, TaskAccepted> producer;
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean stop;

  BlockingDispatcher(BenchKafka kafka, String requestsTopic, String tasksTopic, String baseUrl, int threads) {
    System.setProperty("http.maxConnections", Integer.toString(threads));
    Map<String, Object> producerProps = kafka.loaderProducer();
    producerProps.put("linger.ms", "1");
    producerProps.put("enable.idempotence", "true");
    this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), JsonSerde.of(TaskAccepted.class));
    this.pool = Executors.newFixedThreadPool(threads);
    BlockingQueue<ConsumerRecord<String, byte[]>> queue = new ArrayBlockingQueue<>(threads * 4);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < threads; i++) {
      pool.execute(() -> {
        try {
          while (!stop) {
            ConsumerRecord<String, byte[]> record = queue.poll(100, TimeUnit.MILLISECONDS);
            if (record != null) {
              dispatch(json, record, baseUrl, tasksTopic);
            }
          }
        } catch (InterruptedException e) {
          // stopped
        }
      });
    }
    Map<String, Object> consumerProps = kafka.committedReader();
    this.feeder = new Thread(() -> {
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
          new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor(requestsTopic).stream()
            .map(info -> new TopicPartition(requestsTopic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (!stop) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            queue.put(record); // blocks when every thread is busy: back-pressure on the consumer
          }
        }
      } catch (InterruptedException e) {
        // stopped
      }
    }, "blocking-dispatcher-feeder");
    feeder.setDaemon(true);
    feeder.start();
  }

  private void dispatch(ObjectMapper json, ConsumerRecord<String, byte[]> record, String baseUrl, String tasksTopic) {
    try {
      JsonNode request = json.readTree(record.value());
      Instant submittedAt = Instant.now();
      HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + request.get("path").asText()).toURL()
          .openConnection();
      connection.setRequestMethod(request.get("method").asText());
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout(30_000);
      try (OutputStream body = connection.getOutputStream()) {
        body.write(json.writeValueAsBytes(request.get("body")));
      }
      int status = connection.getResponseCode();
      JsonNode answer;
      try (InputStream in = connection.getInputStream()) {
        answer = json.readTree(in.readAllBytes());
      }
      String taskId = request.get("taskId").asText();
      Instant now = Instant.now();
      producer.send(new ProducerRecord<>(tasksTopic, taskId, new TaskAccepted(taskId, request.get("provider").asText(),
          TaskMode.POLL, submittedAt, now, now.plus(Duration.ofHours(1)), status,
          answer.at("/_links/notification/href").asText(), null, Map.of())));
    } catch (Exception e) {
      errors.incrementAndGet();
    }
  }

  long errors() {
    return errors.get();
  }

  @Override
  public void close() {
    stop = true;
    pool.shutdownNow();
    try {
      feeder.join(5_000);
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
