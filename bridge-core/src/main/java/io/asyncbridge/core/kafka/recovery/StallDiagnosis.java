package io.asyncbridge.core.kafka.recovery;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides what pins a stalled partition and what may be done about it, from what the partition leader and the
 * transaction coordinators say. Only transactions of this service's own transactional ids are ever ended:
 * <ul>
 *   <li>the coordinator has the transaction open at the partition's epoch, and it has pinned the partition for
 *       longer than the bound (longer than Kafka Streams' transaction timeout and the broker's abort sweep
 *       together): fence the transactional id, and the coordinator aborts it, as its own timeout should have;</li>
 *   <li>the coordinator finished that transaction, moved to a later epoch, or never had the partition in it: the
 *       partition holds a hanging transaction that no marker will ever end, so write the abort marker to it;</li>
 *   <li>the coordinator is writing markers (a prepare state): leave it, it is finishing;</li>
 *   <li>the producer is not one of ours: leave it, and say so.</li>
 * </ul>
 */
final class StallDiagnosis {

  /** A transaction of one of this service's transactional ids, as its coordinator describes it. */
  record OwnTransaction(String transactionalId, TransactionDescription description) {
  }

  /** Clock skew and observation delay allowed between the partition's pin and its transaction's start. */
  private static final long SAME_TRANSACTION_SLACK_MS = 10_000;

  private StallDiagnosis() {
  }

  /**
   * @param partition     the stalled partition
   * @param lastStable    its last stable offset
   * @param stalledFor    how long it has been pinned there
   * @param openProducers producers with a transaction open on the partition, from its leader
   * @param own           this service's transactions, by producer id
   * @param nowMs         the current time, for the transactions' ages
   */
  static Optional<RecoveryAction> diagnose(TopicPartition partition, long lastStable, Duration stalledFor,
      List<ProducerState> openProducers, Map<Long, OwnTransaction> own, long nowMs) {
    Optional<ProducerState> pinning = openProducers.stream()
        .filter(state -> state.currentTransactionStartOffset().isPresent())
        .min(Comparator.comparingLong(state -> state.currentTransactionStartOffset().getAsLong()));
    if (pinning.isEmpty()) {
      return Optional.empty(); // it ended between the two questions
    }
    ProducerState producer = pinning.get();
    String found = partition + " has been stuck for " + stalledFor.toSeconds() + " s at offset " + lastStable
        + " behind a transaction of producer " + producer.producerId() + " (epoch " + producer.producerEpoch()
        + ") opened at offset " + producer.currentTransactionStartOffset().getAsLong();
    OwnTransaction transaction = own.get(producer.producerId());
    if (transaction == null) {
      return Optional.of(new RecoveryAction.Leave(partition,
          found + ", a producer that is not one of this service's transactional ids"));
    }
    TransactionDescription coordinator = transaction.description();
    String id = transaction.transactionalId();
    String state = coordinator.state() + " at epoch " + coordinator.producerEpoch()
        + coordinator.transactionStartTimeMs().stream()
            .mapToObj(start -> " for " + Math.max(0, (nowMs - start) / 1000) + " s").findFirst().orElse("")
        + ", timeout " + coordinator.transactionTimeoutMs() / 1000 + " s";
    found = found + ", transactional id " + id + "; its coordinator says " + state;
    if (finishing(coordinator.state())) {
      return Optional.of(new RecoveryAction.Leave(partition, found + " (writing its markers)"));
    }
    boolean sameTransaction = coordinator.state() == TransactionState.ONGOING
        && coordinator.producerEpoch() == producer.producerEpoch()
        && coordinator.topicPartitions().contains(partition);
    if (sameTransaction) {
      // The partition has been pinned since its transaction began; a coordinator transaction that began after
      // that is a later one (transaction version 1 keeps the epoch), whose end will also end this one.
      long pinnedSince = nowMs - stalledFor.toMillis() + SAME_TRANSACTION_SLACK_MS;
      boolean began = coordinator.transactionStartTimeMs().stream().allMatch(start -> start <= pinnedSince);
      if (!began) {
        return Optional.of(new RecoveryAction.Leave(partition, found + " (a later transaction is open)"));
      }
      return Optional.of(new RecoveryAction.Fence(partition, id, abortSpec(partition, producer), found));
    }
    return Optional.of(new RecoveryAction.Abort(partition, id, abortSpec(partition, producer),
        found + " (the partition holds a transaction its coordinator no longer has open)"));
  }

  private static AbortTransactionSpec abortSpec(TopicPartition partition, ProducerState producer) {
    return new AbortTransactionSpec(partition, producer.producerId(), (short) producer.producerEpoch(),
        producer.coordinatorEpoch().orElse(-1));
  }

  private static boolean finishing(TransactionState state) {
    return state == TransactionState.PREPARE_COMMIT || state == TransactionState.PREPARE_ABORT
        || state == TransactionState.PREPARE_EPOCH_FENCE;
  }
}
