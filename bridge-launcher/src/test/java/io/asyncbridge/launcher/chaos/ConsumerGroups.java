package io.asyncbridge.launcher.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * Who holds which partitions in a service's consumer group, as the group coordinator tells it (Admin {@code
 * describeConsumerGroups}): members by their static id ({@code group.instance.id}, {@code <kept id>-<thread>}).
 */
final class ConsumerGroups implements AutoCloseable {

    private final Admin admin;

    ConsumerGroups(String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        admin = Admin.create(props);
    }

    /** The instance id a service keeps in its state directory for {@code applicationId} (one cluster per run). */
    static String keptInstanceId(Path stateDir, String applicationId) {
        try (var clusters = Files.list(stateDir)) {
            List<Path> kept = clusters.map(cluster -> cluster.resolve(applicationId + ".instance-id"))
                    .filter(Files::isRegularFile).toList();
            if (kept.size() != 1) {
                throw new IllegalStateException("expected one kept instance id of " + applicationId + " under "
                        + stateDir + ", found " + kept);
            }
            return Files.readString(kept.get(0), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Partitions of {@code topic} by static member id, when the group is stable; empty otherwise. */
    Map<String, Integer> sharesOf(String group, String topic) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                .get(10, TimeUnit.SECONDS);
        Map<String, Integer> shares = new TreeMap<>();
        if (description.groupState() != GroupState.STABLE) {
            return shares;
        }
        for (MemberDescription member : description.members()) {
            long owned = member.assignment().topicPartitions().stream().filter(p -> p.topic().equals(topic)).count();
            shares.put(member.groupInstanceId().orElse(member.consumerId()), (int) owned);
        }
        return shares;
    }

    /** Waits until the group is stable with {@code member} its only member, holding all partitions of {@code topic}. */
    void awaitOwner(String group, String topic, int partitions, String member, Duration timeout) {
        await(member + " to hold all " + partitions + " partitions of " + topic + " in " + group).atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> sharesOf(group, topic).equals(Map.of(member, partitions)));
    }

    /** Waits until the group is stable with exactly {@code members}, each holding some of the partitions. */
    void awaitShared(String group, String topic, int partitions, Set<String> members, Duration timeout) {
        await(members + " to share the " + partitions + " partitions of " + topic).atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    Map<String, Integer> shares = sharesOf(group, topic);
                    return shares.keySet().equals(members) && shares.values().stream().allMatch(n -> n > 0)
                            && shares.values().stream().mapToInt(Integer::intValue).sum() == partitions;
                });
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
