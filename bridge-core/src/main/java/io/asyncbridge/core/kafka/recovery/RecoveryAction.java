package io.asyncbridge.core.kafka.recovery;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.common.TopicPartition;

/** What to do about one stalled partition, as {@link StallDiagnosis} decides it. */
interface RecoveryAction {

  /** The stalled partition this action is about. */
  TopicPartition partition();

  /** A one-line account for the operator's log: what pins the partition, and what is done about it. */
  String describe();

  /**
   * The coordinator still holds the transaction open although its timeout passed: fence the transactional id, so
   * the coordinator bumps the epoch and aborts it, writing the markers that free the partition.
   */
  record Fence(TopicPartition partition, String transactionalId, AbortTransactionSpec spec, String found)
      implements RecoveryAction {
    @Override
    public String describe() {
      return found + "; fenced " + transactionalId + " so that its coordinator aborts the transaction";
    }

    /**
     * What to do when fencing did not free the partition: the coordinator is stuck in the middle of a transition
     * and answers every request with CONCURRENT_TRANSACTIONS. It never decided to commit (the transaction is
     * ONGOING), and its producer has been silent for longer than any transaction timeout, so the partition's
     * part is aborted directly.
     */
    Abort escalate() {
      return new Abort(partition, transactionalId, spec, found + "; fencing " + transactionalId
          + " did not free it (its coordinator did not end the transaction)");
    }
  }

  /**
   * The partition holds a transaction its coordinator no longer has open (a hanging transaction): write the abort
   * marker to the partition directly.
   */
  record Abort(TopicPartition partition, String transactionalId, AbortTransactionSpec spec, String found)
      implements RecoveryAction {
    @Override
    public String describe() {
      return found + "; wrote an abort marker for producer " + spec.producerId() + " epoch "
          + spec.producerEpoch() + " to " + partition;
    }
  }

  /** Nothing this service may or should do: the coordinator is finishing, or the producer is not ours. */
  record Leave(TopicPartition partition, String found) implements RecoveryAction {
    @Override
    public String describe() {
      return found + "; left alone";
    }
  }
}
