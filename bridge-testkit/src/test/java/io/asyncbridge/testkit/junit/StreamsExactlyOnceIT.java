package io.asyncbridge.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.testkit.kafka.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

@WithKafka
class StreamsExactlyOnceIT {

    @Test
    void exactlyOnceV2TopologyMapsEveryInputRecordOnce(KafkaCluster kafka) {
        // Given input and output topics and an exactly_once_v2 topology that upper-cases values
        String input = kafka.uniqueTopic("streams-in");
        String output = kafka.uniqueTopic("streams-out");
        kafka.createTopics(TopicSpec.of(input, 2), TopicSpec.of(output, 2));
        Map<String, Object> streamsConfig = kafka.streamsConfig(kafka.uniqueTopic("upper"));
        assertThat(streamsConfig).containsEntry("processing.guarantee", "exactly_once_v2");

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase(java.util.Locale.ROOT))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.putAll(streamsConfig);

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();

            // When three records are produced
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new StringSerializer())) {
                for (String key : List.of("a", "b", "c")) {
                    producer.send(new ProducerRecord<>(input, key, "value-" + key));
                }
            }

            // Then a read_committed consumer sees each mapped value exactly once
            Map<String, String> out = new HashMap<>();
            List<String> all = new java.util.ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    kafka.consumerConfig(output + "-reader"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(output));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        out.put(record.key(), record.value());
                        all.add(record.value());
                    }
                    assertThat(out).containsExactlyInAnyOrderEntriesOf(
                            Map.of("a", "VALUE-A", "b", "VALUE-B", "c", "VALUE-C"));
                });
            }
            assertThat(all).hasSize(3);
        }
    }
}
