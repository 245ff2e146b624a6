package io.asyncbridge.testkit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Idempotent topic creation against any cluster (embedded, container or external), shared by
 * {@link EmbeddedKafkaBroker} and the JUnit extension so both behave the same.
 */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /** An admin client with short timeouts, suited to a local broker. */
    public static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.CLIENT_ID_CONFIG, "testkit-admin"));
    }

    /**
     * Creates the topics that do not exist yet and waits until all of them are visible in the
     * cluster metadata. Existing topics are left as they are (their partition count is not checked).
     */
    public static void createTopics(String bootstrapServers, Collection<TopicSpec> specs, Duration timeout) {
        if (specs.isEmpty()) {
            return;
        }
        try (Admin admin = admin(bootstrapServers)) {
            createTopics(admin, specs, timeout);
        }
    }

    static void createTopics(Admin admin, Collection<TopicSpec> specs, Duration timeout) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (TopicSpec spec : specs) {
            NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) -1);
            if (spec.compacted()) {
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            newTopics.add(topic);
        }
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(newTopics).values().entrySet()) {
                awaitIgnoringExisting(result.getKey(), result.getValue(), timeout);
            }
            awaitServed(admin, names, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + names, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + names + ": " + e, e);
        }
    }

    /**
     * createTopics returns when the controller accepted the topics; the broker serves them once it has applied the
     * metadata record, a moment later (longer on a loaded machine). Until then a describe answers
     * UNKNOWN_TOPIC_OR_PARTITION, so describe again until all are served or the deadline passes.
     */
    private static void awaitServed(Admin admin, List<String> names, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                admin.describeTopics(names).allTopicNames().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || left <= 0) {
                    throw e;
                }
                Thread.sleep(50); // metadata propagation has no event to wait on from a client
            }
        }
    }

    private static void awaitIgnoringExisting(String topic, KafkaFuture<Void> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new ExecutionException("topic " + topic + ": " + e.getCause(), e.getCause());
            }
        }
    }
}
