package io.asyncbridge.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.testkit.kafka.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithKafka
class TransactionsIT {

    @Test
    void readCommittedConsumerSeesCommittedRecordsOnlyAndNoneOfTheAbortedOnes(KafkaCluster kafka) {
        // Given a topic and a transactional producer
        String topic = kafka.uniqueTopic("tx");
        kafka.createTopics(TopicSpec.of(topic, 2));
        Map<String, Object> producerConfig = kafka.producerConfig();
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-producer");

        // When two transactions commit and one in between aborts
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            sendInTransaction(producer, topic, List.of("c1", "c2"), true);
            sendInTransaction(producer, topic, List.of("a1", "a2"), false);
            sendInTransaction(producer, topic, List.of("c3"), true);
        }

        // Then a read_committed consumer gets exactly the committed values
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                kafka.consumerConfig(topic + "-reader"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.value());
                }
                assertThat(seen).containsExactlyInAnyOrder("c1", "c2", "c3");
            });
            // and nothing more turns up after the committed ones were read
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                seen.add(record.value());
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("c1", "c2", "c3").doesNotContain("a1", "a2");
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, List<String> values,
            boolean commit) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, value, value));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush(); // the aborted records really reach the log before the abort marker
            producer.abortTransaction();
        }
    }
}
