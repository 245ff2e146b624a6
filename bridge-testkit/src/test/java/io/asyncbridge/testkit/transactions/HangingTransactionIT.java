package io.asyncbridge.testkit.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import io.asyncbridge.testkit.kafka.TopicAdmin;
import io.asyncbridge.testkit.kafka.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The smallest form of a stall after a broker restart: a producer leaves a transaction with records and group
 * offsets open (its JVM halts in the middle), the broker goes down and comes back, and a read_committed reader must
 * then get its group's offsets and see the last stable offset move within a bound, because the coordinator aborts
 * the abandoned transaction once its timeout has passed.
 */
class HangingTransactionIT {

    private static final int PARTITIONS = 3;
    private static final int TRANSACTION_TIMEOUT_MS = 10_000;

    enum Outage { RESTART, KILL }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void anAbandonedTransactionEndsWithinItsTimeoutAfterTheBrokerComesBack(Outage outage) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
            broker.start();
            String topic = "hang-" + outage.name().toLowerCase(java.util.Locale.ROOT);
            String group = topic + "-group";
            broker.createTopics(List.of(TopicSpec.of(topic, PARTITIONS)));
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();

            // Given a transaction left open by a producer that died in the middle of it, with offsets of a group that
            // exists (as a running application's does)
            try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
                Map<TopicPartition, OffsetAndMetadata> start = new java.util.HashMap<>();
                partitions.forEach(partition -> start.put(partition, new OffsetAndMetadata(0)));
                admin.alterConsumerGroupOffsets(group, start).all().get();
            }
            HaltMidTransaction.leaveOpen(broker.bootstrapServers(), topic + "-tx", topic, PARTITIONS, group,
                    TRANSACTION_TIMEOUT_MS);
            try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
                TransactionProbe probe = new TransactionProbe(admin);
                assertThat(probe.unfinishedTransactions().values()).singleElement()
                        .satisfies(tx -> assertThat(tx.state()).isEqualTo(TransactionState.ONGOING));
                assertThat(probe.lastStableOffsets(partitions)).allSatisfy((p, lso) -> assertThat(lso).isZero());
                assertThat(probe.stableOffsetFetchAnswers(group, partitions)).as("stable offset fetch before").isFalse();
            }

            // When the broker goes down and comes back
            long down = System.nanoTime();
            if (outage == Outage.KILL) {
                broker.kill();
            } else {
                broker.stop();
            }
            broker.start();
            long back = System.nanoTime();

            // Then the transaction is aborted: offsets are answered and the last stable offset reaches the end
            try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
                TransactionProbe probe = new TransactionProbe(admin);
                Duration bound = Duration.ofSeconds(60); // the 10 s timeout, the abort sweep, the coordinator's reload
                await().atMost(bound).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
                    assertThat(probe.stableOffsetFetchAnswers(group, partitions)).as("stable offset fetch").isTrue();
                    Map<TopicPartition, Long> end = probe.highWatermarks(partitions);
                    assertThat(probe.lastStableOffsets(partitions)).as("last stable offsets").isEqualTo(end);
                });
                System.out.printf("hanging transaction (%s): ended %d ms after the broker went down, %d ms after it"
                        + " was back%n", outage, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
                assertThat(probe.unfinishedTransactions()).isEmpty();
            }
        }
    }
}
