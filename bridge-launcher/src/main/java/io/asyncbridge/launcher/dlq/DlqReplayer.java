package io.asyncbridge.launcher.dlq;

import io.asyncbridge.ingest.topology.DeadLetters;
import io.asyncbridge.schemas.Identifiers;
import io.asyncbridge.schemas.topic.TopicNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads the dead-letter topic, picks what the selection names (the latest dead letter of each task), looks up the
 * tasks' completions, and re-produces the original request of every task that has none other than
 * {@code rejected}, with its original key, value and headers and a {@link DeadLetters#REPLAY} header. The lookup reads
 * only the completion partitions the selected taskIds hash to (completions are keyed by taskId with Kafka's default
 * partitioner), from the beginning of their retention.
 */
final class DlqReplayer {

    private static final Duration POLL = Duration.ofMillis(500);

    private final String bootstrapServers;
    private final TopicNames topics;

    DlqReplayer(String bootstrapServers, TopicNames topics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
    }

    /** What a run did. */
    record Summary(int selected, int replayed, int alreadyCompleted, int truncated) {

        String describe(boolean dryRun) {
            return (dryRun ? "dry run: would replay " : "replayed ") + replayed + " of " + selected + " selected"
                + " dead letters; skipped " + alreadyCompleted + " already completed and " + truncated + " truncated";
        }
    }

    /** A dead letter chosen for a task. */
    private record Candidate(ConsumerRecord<byte[], byte[]> record, String taskId, String code) {
    }

    Summary replay(ReplaySelection selection, boolean dryRun, Consumer<String> report) {
        Map<String, Candidate> latest = new LinkedHashMap<>();
        List<Candidate> withoutTaskId = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(topics.deadLetter(), null)) {
            String code = header(record, DeadLetters.ERROR_CODE);
            String taskId = taskIdOf(record);
            if (!selection.matches(code, taskId, Instant.ofEpochMilli(record.timestamp()))) {
                continue;
            }
            Candidate candidate = new Candidate(record, taskId, code);
            if (taskId == null) {
                withoutTaskId.add(candidate);
            } else {
                latest.remove(taskId);
                latest.put(taskId, candidate);
            }
        }
        Map<String, String> completed = completedOtherThanRejected(latest.keySet());
        int replayed = 0;
        int skippedCompleted = 0;
        int truncated = 0;
        List<Candidate> all = new ArrayList<>(latest.values());
        all.addAll(withoutTaskId);
        try (KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer()) {
            for (Candidate candidate : all) {
                String where = topics.deadLetter() + "-" + candidate.record.partition() + "@" + candidate.record.offset();
                String name = candidate.taskId == null ? "(no readable taskId)" : candidate.taskId;
                if (candidate.record.headers().lastHeader(DeadLetters.VALUE_TRUNCATED) != null
                    || candidate.record.headers().lastHeader(DeadLetters.KEY_TRUNCATED) != null) {
                    truncated++;
                    report.accept("skip    " + name + " (" + candidate.code + ", " + where + "): the copy is truncated;"
                        + " the whole request is at " + header(candidate.record, DeadLetters.ORIGINAL_TOPIC) + "-"
                        + header(candidate.record, DeadLetters.ORIGINAL_PARTITION) + "@"
                        + header(candidate.record, DeadLetters.ORIGINAL_OFFSET));
                    continue;
                }
                String status = candidate.taskId == null ? null : completed.get(candidate.taskId);
                if (status != null) {
                    skippedCompleted++;
                    report.accept("skip    " + name + " (" + candidate.code + ", " + where + "): already completed "
                        + status);
                    continue;
                }
                replayed++;
                report.accept((dryRun ? "would replay " : "replay  ") + name + " (" + candidate.code + ", " + where + ")");
                if (producer != null) {
                    producer.send(replayOf(candidate, where)).get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Kafka refused a replayed request: " + e.getCause().getMessage(), e);
        }
        return new Summary(all.size(), replayed, skippedCompleted, truncated);
    }

    private ProducerRecord<byte[], byte[]> replayOf(Candidate candidate, String where) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : candidate.record.headers()) {
            if (!header.key().startsWith("bridge.")) {
                headers.add(header);
            }
        }
        String mark = "at=" + Instant.now() + ";from=" + where + ";code=" + candidate.code;
        headers.add(DeadLetters.REPLAY, mark.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topics.requests(), null, candidate.record.key(), candidate.record.value(), headers);
    }

    /** The taskId the request names (its key must equal it, or the request was dead-lettered for that). */
    static String taskIdOf(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() != null) {
            try {
                Object taskId = new JsonObject(Buffer.buffer(record.value())).getValue("taskId");
                if (taskId instanceof String id && Identifiers.isTaskId(id)) {
                    return id;
                }
            } catch (RuntimeException notJson) {
                // fall back to the key
            }
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return Identifiers.isTaskId(key) ? key : null;
    }

    /** For each taskId with a completion whose status is not {@code rejected}: that status. */
    private Map<String, String> completedOtherThanRejected(Set<String> taskIds) {
        Map<String, String> completed = new HashMap<>();
        if (taskIds.isEmpty()) {
            return completed;
        }
        for (ConsumerRecord<byte[], byte[]> record : readAll(topics.completions(), taskIds)) {
            String taskId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (taskId == null || !taskIds.contains(taskId) || record.value() == null) {
                continue;
            }
            try {
                String status = new JsonObject(Buffer.buffer(record.value())).getString("status");
                if (status != null && !status.equals("rejected")) {
                    completed.put(taskId, status);
                }
            } catch (RuntimeException notJson) {
                // not a completion the bridge wrote
            }
        }
        return completed;
    }

    /** Every committed record of a topic up to its current end; with keys, only the partitions they hash to. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, Set<String> keys) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrapServers);
            }
            int count = infos.size();
            Set<Integer> wanted = new HashSet<>();
            if (keys != null) {
                keys.forEach(key -> wanted.add(Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
                    % count));
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition()))
                .filter(partition -> keys == null || wanted.contains(partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 5 minutes");
                }
                consumer.poll(POLL).forEach(records::add);
            }
        }
        return records;
    }

    private Map<String, Object> consumerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * 1024 * 1024));
        return new KafkaProducer<>(props);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
