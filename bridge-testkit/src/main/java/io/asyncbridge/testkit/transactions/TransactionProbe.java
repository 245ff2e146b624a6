package io.asyncbridge.testkit.transactions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * What a read_committed reader of some partitions is waiting for, asked through the Admin API: the last stable
 * offset (LSO) beside the high watermark, whether the group coordinator answers a stable offset fetch, and which
 * transactions are still open (for the record of a stall).
 */
public final class TransactionProbe {

    private static final long CALL_SECONDS = 5;

    private final Admin admin;

    public TransactionProbe(Admin admin) {
        this.admin = admin;
    }

    public Map<TopicPartition, Long> lastStableOffsets(Collection<TopicPartition> partitions) throws Exception {
        return offsets(partitions, IsolationLevel.READ_COMMITTED);
    }

    public Map<TopicPartition, Long> highWatermarks(Collection<TopicPartition> partitions) throws Exception {
        return offsets(partitions, IsolationLevel.READ_UNCOMMITTED);
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, IsolationLevel isolation)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all())
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * A stable offset fetch (what a read_committed consumer does before it reads): answered only once no
     * transactional offset commit of the group is pending on these partitions. The Admin client leaves a partition
     * the coordinator answered with an error (UNSTABLE_OFFSET_COMMIT) out of its result, so every partition asked for
     * must be in it.
     */
    public boolean stableOffsetFetchAnswers(String group, Collection<TopicPartition> partitions) {
        try {
            Map<TopicPartition, ?> answered = get(admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(List.copyOf(partitions))),
                    new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata(group));
            return answered.keySet().containsAll(partitions);
        } catch (Exception e) {
            return false;
        }
    }

    /** Transactions the coordinator does not consider ended, by transactional id, with their partitions. */
    public Map<String, TransactionDescription> unfinishedTransactions() throws Exception {
        List<String> ids = new ArrayList<>();
        for (TransactionListing listing : get(admin.listTransactions().all())) {
            if (!ended(listing.state())) {
                ids.add(listing.transactionalId());
            }
        }
        Map<String, TransactionDescription> open = new java.util.TreeMap<>();
        if (!ids.isEmpty()) {
            get(admin.describeTransactions(ids).all()).forEach((id, description) -> {
                if (!ended(description.state())) {
                    open.put(id, description);
                }
            });
        }
        return open;
    }

    /** Producers with a transaction open on a partition, as the partition leader sees them. */
    public Map<TopicPartition, List<ProducerState>> openOnPartitions(Collection<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, List<ProducerState>> open = new HashMap<>();
        get(admin.describeProducers(partitions).all()).forEach((partition, description) -> {
            List<ProducerState> states = description.activeProducers().stream()
                    .filter(state -> state.currentTransactionStartOffset().isPresent()).toList();
            if (!states.isEmpty()) {
                open.put(partition, states);
            }
        });
        return open;
    }

    private static boolean ended(TransactionState state) {
        return state == TransactionState.EMPTY || state == TransactionState.COMPLETE_ABORT
                || state == TransactionState.COMPLETE_COMMIT;
    }

    private static <T> T get(KafkaFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(CALL_SECONDS, TimeUnit.SECONDS);
    }
}
