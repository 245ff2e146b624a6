package io.asyncbridge.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the entries of a service's state store from outside the process, exactly, by reading the store's
 * changelog topic as a read_committed consumer: the latest value of each key is the entry, a tombstone means none.
 * Each entry is put in a category (its state or phase) by a classifier. Reads on where it left off.
 */
final class StoreCensus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Function<byte[], String> classifier;
    private final Map<String, String> entries = new HashMap<>();

    StoreCensus(String bootstrapServers, String changelog, Function<byte[], String> classifier) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "census-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        partitions = consumer.partitionsFor(changelog, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(changelog, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.classifier = classifier;
    }

    /** The changelog of {@code store} in the Kafka Streams application of {@code service}. */
    static String changelog(String applicationPrefix, String service, String store) {
        return applicationPrefix + "-" + service + "-" + store + "-changelog";
    }

    /** Classifies a JSON entry by one of its fields, e.g. ingest's {@code state} or callbacks' {@code phase}. */
    static Function<byte[], String> byField(String field) {
        return value -> {
            try {
                JsonNode node = JSON.readTree(value);
                return node.path(field).asText("?");
            } catch (IOException e) {
                return "unreadable";
            }
        };
    }

    /** Reads up to the current end and returns the number of entries per category. */
    Map<String, Long> count(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Instant giveUp = Instant.now().plus(timeout);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("could not read " + partitions + " to its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    entries.remove(record.key());
                } else {
                    entries.put(record.key(), classifier.apply(record.value()));
                }
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        entries.values().forEach(category -> counts.merge(category, 1L, Long::sum));
        return counts;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
