package io.asyncbridge.testkit.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.kafka.TopicSpec;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The monitor that ChaosIT relies on sees a partition held by a transaction left open, and records it. */
@WithKafka
class StallMonitorIT {

    @Test
    void aPartitionPinnedByATransactionLeftOpenIsRecordedWithItsTransaction(KafkaCluster kafka) {
        String topic = kafka.uniqueTopic("pinned");
        String idle = kafka.uniqueTopic("idle");
        kafka.createTopics(TopicSpec.of(topic, 1), TopicSpec.of(idle, 1));
        try (StallMonitor monitor = new StallMonitor(kafka.bootstrapServers(),
                name -> name.equals(topic) || name.equals(idle), Duration.ofMillis(200), Duration.ofSeconds(2))) {
            // a transaction Kafka ends by itself after 20 s
            HaltMidTransaction.leaveOpen(kafka.bootstrapServers(), topic + "-tx", topic, 1, topic + "-group", 20_000);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(monitor.longest()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
                assertThat(monitor.recorded()).singleElement().satisfies(stall -> {
                    assertThat(stall.partition()).isEqualTo(new TopicPartition(topic, 0));
                    assertThat(stall.transactions()).contains(topic + "-tx");
                    assertThat(stall.producers()).contains("currentTransactionStartOffset=OptionalLong[0]");
                });
            });
        }
    }
}
