package io.asyncbridge.benchmarks.webhooks;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.support.BenchKafka;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.InFlightTasks;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.task.TaskAccepted;
import io.asyncbridge.schemas.task.TaskMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The common path's set-up: callback-mode tasks handed over on the tasks topic (as ingest does) before their webhooks
 * come, task i with the correlation id {@code <runId>-<i>}, the eventId {@link LoadGenerator} gives its i-th webhook.
 * Waits until the correlation topology holds them all (its tasks-waiting gauge), so the measured window sees only
 * webhooks meeting known tasks.
 */
final class TaskHandOver {

  private TaskHandOver() {
  }

  /** @return seconds the topology took to take the tasks in */
  static double handOver(BenchKafka kafka, BridgeConfig config, InFlightTasks waiting, String runId, int tasks) {
    long before = waiting.count(BenchConfigs.CE_PROVIDER);
    long start = System.nanoTime();
    Instant now = Instant.now();
    try (KafkaProducer<String, TaskAccepted> producer = new KafkaProducer<>(kafka.loaderProducer(),
        new StringSerializer(), JsonSerde.of(TaskAccepted.class))) {
      for (int i = 1; i <= tasks; i++) {
        String taskId = runId + "-task-" + i;
        producer.send(new ProducerRecord<>(config.topics().tasks(), taskId, new TaskAccepted(taskId,
            BenchConfigs.CE_PROVIDER, TaskMode.CALLBACK, now, now, now.plus(Duration.ofHours(1)), 202, null,
            runId + "-" + i, Map.of())));
      }
      producer.flush();
    }
    long deadline = System.currentTimeMillis() + 120_000 + tasks / 2;
    while (waiting.count(BenchConfigs.CE_PROVIDER) - before < tasks) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the topology took in only " + (waiting.count(BenchConfigs.CE_PROVIDER)
            - before) + " of " + tasks + " tasks in time");
      }
      ProcessMetrics.sleep(100);
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
