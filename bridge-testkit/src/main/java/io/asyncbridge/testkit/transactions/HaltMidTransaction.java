package io.asyncbridge.testkit.transactions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Main class of a child JVM that leaves a transaction open the way a crashed exactly-once application does: it
 * writes records to every partition of a topic and commits the group's offsets into the same transaction (KIP-447),
 * then halts without ending it. No shutdown hook runs, so neither a commit nor an abort reaches the broker.
 *
 * <p>Usage: {@code HaltMidTransaction <bootstrap> <transactional.id> <topic> <partitions> <group> <timeout ms>}.
 * It prints {@value #OPEN} once the transaction holds records and offsets, then halts with exit code 0.
 * {@link #leaveOpen} runs it and returns once it is gone.
 */
public final class HaltMidTransaction {

    static final String OPEN = "TRANSACTION OPEN";
    private static final long CHILD_SECONDS = 60;

    private HaltMidTransaction() {
    }

    /**
     * Leaves a transaction open: a child JVM (on this JVM's class path) writes one record to each partition of
     * {@code topic}, commits offset 1 of each for {@code group} in the same transaction, and halts.
     *
     * @param transactionTimeoutMs the transaction's timeout: the coordinator aborts it by itself once it has passed
     * @throws IllegalStateException when the child did not get that far within a minute (its output is included)
     */
    public static void leaveOpen(String bootstrap, String transactionalId, String topic, int partitions, String group,
            int transactionTimeoutMs) {
        try {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), HaltMidTransaction.class.getName(),
                    bootstrap, transactionalId, topic, Integer.toString(partitions), group,
                    Integer.toString(transactionTimeoutMs))
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException("the producer JVM leaving " + transactionalId + " open on " + topic
                        + " did not halt within " + CHILD_SECONDS + " s");
            }
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!output.contains(OPEN)) {
                throw new IllegalStateException("the producer JVM for " + transactionalId + " on " + topic
                        + " exited with " + child.exitValue() + " before its transaction was open:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the producer JVM for " + transactionalId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while leaving a transaction open", e);
        }
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String transactionalId = args[1];
        String topic = args[2];
        int partitions = Integer.parseInt(args[3]);
        String group = args[4];
        int timeoutMs = Integer.parseInt(args[5]);
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs,
                ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            producer.send(new ProducerRecord<>(topic, p, "k" + p, "uncommitted"));
            offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(1));
        }
        producer.flush();
        producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(group));
        System.out.println(OPEN);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
