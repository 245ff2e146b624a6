package io.asyncbridge.core.kafka.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.observability.ServiceHealth;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.asyncbridge.testkit.kafka.TopicAdmin;
import io.asyncbridge.testkit.kafka.TopicSpec;
import io.asyncbridge.testkit.transactions.HaltMidTransaction;
import io.asyncbridge.testkit.transactions.TransactionProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A transaction that Kafka will not end for a long time (its producer died, and its timeout is the broker's maximum
 * of 15 minutes) pins a partition of this service's topics: the recovery notices it, reports it in the health, ends
 * it, and leaves alone the same kind of transaction of another application.
 */
@WithKafka
class TransactionRecoveryIT {

  private static final int PARTITIONS = 2;
  private static final int FIFTEEN_MINUTES_MS = 900_000;

  @Test
  void aStalledTransactionOfOurOwnIsEndedAndAnotherApplicationsIsLeftAlone(KafkaCluster kafka) throws Exception {
    // Given our application's transaction and another's, both left open by producers that died
    String ours = kafka.uniqueTopic("ours");
    String theirs = kafka.uniqueTopic("theirs");
    kafka.createTopics(TopicSpec.of(ours, PARTITIONS), TopicSpec.of(theirs, PARTITIONS));
    String applicationId = ours + "-app";
    // another application whose id starts with ours, as a second version of a service might be named
    String foreignId = applicationId + "-v2";
    String foreignTransactionalId = foreignId + "-" + UUID.randomUUID() + "-1";
    try (Admin admin = TopicAdmin.admin(kafka.bootstrapServers())) {
      // the group exists, as a running application's does (the coordinator answers nothing stable for it then)
      Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
      partitions(ours).forEach(partition -> start.put(partition, new OffsetAndMetadata(0)));
      admin.alterConsumerGroupOffsets(applicationId, start).all().get();
    }
    HaltMidTransaction.leaveOpen(kafka.bootstrapServers(), applicationId + "-" + UUID.randomUUID() + "-1", ours,
        PARTITIONS,
        applicationId, FIFTEEN_MINUTES_MS);
    HaltMidTransaction.leaveOpen(kafka.bootstrapServers(), foreignTransactionalId, theirs, PARTITIONS, foreignId,
        FIFTEEN_MINUTES_MS);
    List<TopicPartition> ourPartitions = partitions(ours);
    List<TopicPartition> theirPartitions = partitions(theirs);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TransactionRecovery.Settings settings = new TransactionRecovery.Settings(Duration.ofMillis(500),
        Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(5));
    try (Admin admin = TopicAdmin.admin(kafka.bootstrapServers());
        TransactionRecovery recovery = new TransactionRecovery(
            new RecoveryScope("test", applicationId, Set.of(ours, theirs)),
            TopicAdmin.admin(kafka.bootstrapServers()), settings, registry, Clock.systemUTC())) {
      TransactionProbe probe = new TransactionProbe(admin);
      assertThat(probe.stableOffsetFetchAnswers(applicationId, ourPartitions)).as("stable fetch before").isFalse();
      assertThat(probe.lastStableOffsets(ourPartitions)).as("pinned before").allSatisfy((p, lso) ->
          assertThat(lso).isZero());
      assertThat(probe.highWatermarks(ourPartitions)).as("written before").allSatisfy((p, end) ->
          assertThat(end).isPositive());

      // When the recovery watches
      recovery.start();

      // Then the stall shows in the health, and our transaction is fenced and aborted by its coordinator
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(recovery.health(ServiceHealth.running()).detail().get("transactions"))
              .startsWith("stalled:").contains(ours));
      assertThat(recovery.health(ServiceHealth.running()).ready()).isFalse();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(probe.lastStableOffsets(ourPartitions)).isEqualTo(probe.highWatermarks(ourPartitions));
        assertThat(probe.stableOffsetFetchAnswers(applicationId, ourPartitions)).as("stable fetch").isTrue();
      });
      // (the fence call returns once the coordinator has finished the abort, a moment after the markers)
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
          registry.get(TransactionRecovery.RECOVERED_METER).tag("service", "test").tag("action", "fenced")
              .counter().count()).isEqualTo(1.0));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(recovery.stalled().keySet()).doesNotContainAnyElementsOf(ourPartitions));

      // and the other application's transaction still holds its partitions, reported but untouched
      assertThat(probe.lastStableOffsets(theirPartitions)).allSatisfy((p, lso) -> assertThat(lso).isZero());
      assertThat(probe.unfinishedTransactions().values()).anySatisfy(tx -> {
        assertThat(tx.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(tx.topicPartitions()).containsAll(theirPartitions);
      });
      assertThat(recovery.stalled().keySet()).containsAll(theirPartitions);
      assertThat(registry.get(TransactionRecovery.RECOVERED_METER).tag("action", "aborted").counter().count())
          .isZero();
    } finally {
      try (Admin admin = TopicAdmin.admin(kafka.bootstrapServers())) {
        admin.fenceProducers(List.of(foreignTransactionalId)).all().get(); // leave the shared broker clean
      }
    }
  }

  private static List<TopicPartition> partitions(String topic) {
    return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
  }
}
