package io.asyncbridge.launcher.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces request records at a steady rate, as an application would: acks=all, idempotent, and a record whose send
 * failed (the broker was down longer than the delivery timeout) is sent again, which the bridge deduplicates by
 * taskId.
 */
final class LoadDriver implements AutoCloseable {

    private static final int MAX_RESENDS = 5;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final ConcurrentLinkedQueue<PlannedTask> failed = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private long startNanos;
    private long paced;

    LoadDriver(String bootstrapServers, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-load");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** Starts the clock of {@link #sendPaced}. */
    void startPacing() {
        startNanos = System.nanoTime();
        paced = 0;
    }

    /** Sends {@code task} no earlier than its slot: the n-th paced record goes out at n / rate seconds. */
    void sendPaced(PlannedTask task, double perSecond) {
        long due = startNanos + (long) (paced++ * 1_000_000_000L / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait); // pacing the load: the rate is the point, there is no condition to await
        }
        send(task);
    }

    void send(PlannedTask task) {
        sent.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, task.recordKey(), task.value()), (metadata, failure) -> {
            if (failure != null) {
                failed.add(task);
            }
        });
    }

    /** Waits until every record was acknowledged, sending failed ones again; returns how many were sent again. */
    long flush() {
        for (int round = 0; round < MAX_RESENDS; round++) {
            producer.flush();
            List<PlannedTask> again = drainFailed();
            if (again.isEmpty()) {
                return resent.get();
            }
            again.forEach(task -> {
                resent.incrementAndGet();
                send(task);
            });
        }
        producer.flush();
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " requests could not be produced after " + MAX_RESENDS
                    + " rounds, e.g. " + failed.peek().recordKey());
        }
        return resent.get();
    }

    private List<PlannedTask> drainFailed() {
        List<PlannedTask> drained = new java.util.ArrayList<>();
        for (PlannedTask task = failed.poll(); task != null; task = failed.poll()) {
            drained.add(task);
        }
        return drained;
    }

    long sent() {
        return sent.get();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
