package io.asyncbridge.launcher.console;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.topic.BridgeTopics;
import io.asyncbridge.schemas.topic.Topic;
import io.asyncbridge.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads progress events and completions as an ordinary integration would: a read_committed consumer, here without a
 * group (all partitions assigned), so several CLIs can watch at once without stealing each other's records.
 */
public final class TaskEvents implements AutoCloseable {

    /** What the reader hands over. */
    public interface Listener {
        void progress(ProgressEvent event);

        void completed(Completion completion, String rawJson);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicNames topics;
    private final Topic<String, Completion> completions;
    private final Topic<String, ProgressEvent> progress;

    public TaskEvents(String bootstrapServers, TopicNames topics, boolean withProgress, boolean fromBeginning) {
        this.topics = topics;
        BridgeTopics registry = new BridgeTopics(topics);
        this.completions = registry.completions();
        this.progress = registry.progress();
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bridge-cli-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> names = withProgress ? List.of(topics.completions(), topics.progress()) : List.of(topics.completions());
        for (String topic : names) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                consumer.close();
                throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrapServers
                        + "; is the bridge (or ./bridge kafka) running there?");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position); // fix the start now, before anything is submitted
    }

    /** Reads for up to {@code timeout}, handing every event to the listener. */
    public void poll(Duration timeout, Listener listener) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            try {
                if (record.topic().equals(topics.completions())) {
                    listener.completed(completions.valueDeserializer().deserialize(record.topic(), record.value()),
                            record.value() == null ? "null" : new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    listener.progress(progress.valueDeserializer().deserialize(record.topic(), record.value()));
                }
            } catch (SerializationException e) {
                System.err.println("skipping an unreadable record at " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        consumer.close(java.time.Duration.ofSeconds(5));
    }
}
