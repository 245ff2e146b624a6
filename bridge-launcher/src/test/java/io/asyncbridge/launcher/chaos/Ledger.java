package io.asyncbridge.launcher.chaos;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.serde.JsonSerde;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a {@code read_committed} consumer of the bridge's output sees: every completion (duplicates included, so
 * they can be counted) and every dead letter, read from the beginning. Each completion is also checked against the
 * schema and for its CloudEvents subject. Not thread-safe: one thread reads.
 */
final class Ledger implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String completionsTopic;
    private final JsonSerde<Completion> serde = new JsonSerde<>(Completion.class, EventJson.newMapper());
    private final EventSchemaValidator validator = EventSchemaValidator.create();
    private final Map<String, List<Completion>> completions = new HashMap<>();
    private final Map<String, List<String>> deadLetters = new HashMap<>();
    private final List<String> badEvents = new ArrayList<>();
    private long records;

    Ledger(String bootstrapServers, String completionsTopic, String deadLetterTopic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "chaos-ledger-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        this.completionsTopic = completionsTopic;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(completionsTopic, deadLetterTopic)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads up to the end as it is now (the last committed record). */
    void catchUp(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        Instant giveUp = Instant.now().plus(timeout);
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("could not read the completions to their end within " + timeout);
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Reads what is there, for at most {@code max}. */
    void poll(Duration max) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(max)) {
            records++;
            if (record.topic().equals(completionsTopic)) {
                onCompletion(record);
            } else {
                Header code = record.headers().lastHeader("bridge.error.code");
                deadLetters.computeIfAbsent(String.valueOf(record.key()), key -> new ArrayList<>())
                        .add(code == null ? "<no code>" : new String(code.value(), StandardCharsets.UTF_8));
            }
        }
    }

    private void onCompletion(ConsumerRecord<String, byte[]> record) {
        var violations = validator.validate(EventType.COMPLETION, record.value());
        if (!violations.isEmpty()) {
            badEvents.add(record.key() + ": " + violations);
            return;
        }
        Completion completion = serde.deserialize(record.topic(), record.value());
        Header subject = record.headers().lastHeader("ce_subject");
        if (subject == null || !completion.taskId().equals(new String(subject.value(), StandardCharsets.UTF_8))
                || !completion.taskId().equals(record.key())) {
            badEvents.add(record.key() + ": key, ce_subject and taskId differ");
        }
        completions.computeIfAbsent(completion.taskId(), id -> new ArrayList<>()).add(completion);
    }

    /**
     * Reads until every task in {@code taskIds} has a completion and {@code deadLetters} dead letters are there, or
     * {@code timeout} passed; returns whether it got there.
     */
    boolean awaitAll(Set<String> taskIds, int deadLetterCount, Duration timeout) {
        Instant giveUp = Instant.now().plus(timeout);
        while (!complete(taskIds, deadLetterCount)) {
            if (Instant.now().isAfter(giveUp)) {
                return false;
            }
            poll(Duration.ofMillis(200));
        }
        return true;
    }

    private boolean complete(Set<String> taskIds, int deadLetterCount) {
        return completions.keySet().containsAll(taskIds)
                && deadLetters.values().stream().mapToInt(List::size).sum() >= deadLetterCount;
    }

    /** Keeps reading for {@code quiet}: anything that still arrives (a duplicate) is counted too. */
    void readFor(Duration quiet) {
        Instant until = Instant.now().plus(quiet);
        while (Instant.now().isBefore(until)) {
            poll(Duration.ofMillis(200));
        }
    }

    Map<String, List<Completion>> completions() {
        return completions;
    }

    /** Dead-letter reasons ({@code bridge.error.code}) by record key. */
    Map<String, List<String>> deadLetters() {
        return deadLetters;
    }

    /** Completions that break the schema or whose key, subject and taskId differ. */
    List<String> badEvents() {
        return badEvents;
    }

    int completedTasks() {
        return completions.size();
    }

    long records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
