package io.asyncbridge.core.kafka.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StallDiagnosisTest {

  private static final TopicPartition PARTITION = new TopicPartition("bridge.tasks", 0);
  private static final String OURS = "bridge-poller-6f1c-1";
  private static final long NOW = 1_000_000_000L;
  private static final long PRODUCER = 42;

  @Test
  void anOpenTransactionPastItsTimeoutIsFenced() {
    RecoveryAction action = diagnose(open(7, 100), Map.of(PRODUCER, own(TransactionState.ONGOING, 7, 60_000)));
    assertThat(action).isInstanceOfSatisfying(RecoveryAction.Fence.class, fence -> {
      assertThat(fence.transactionalId()).isEqualTo(OURS);
      assertThat(fence.describe()).contains("bridge.tasks-0", "offset 100", OURS, "Ongoing", "fenced");
      // and when fencing does not free the partition, its part of the transaction is aborted there
      RecoveryAction.Abort abort = fence.escalate();
      assertThat(abort.spec().producerId()).isEqualTo(PRODUCER);
      assertThat(abort.spec().producerEpoch()).isEqualTo((short) 7);
      assertThat(abort.describe()).contains("did not free it", "abort marker");
    });
  }

  @Test
  void aLaterTransactionAtTheSameEpochIsLeftToEndTheEarlierOne() {
    // transaction version 1 keeps the epoch: the coordinator's open transaction began after the partition was pinned
    RecoveryAction action = diagnose(open(7, 100), Map.of(PRODUCER, own(TransactionState.ONGOING, 7, 5_000)));
    assertThat(action).isInstanceOf(RecoveryAction.Leave.class);
    assertThat(action.describe()).contains("a later transaction is open");
  }

  @Test
  void aTransactionTheCoordinatorFinishedOrLeftBehindIsAbortedOnThePartition() {
    for (TransactionState state : List.of(TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT,
        TransactionState.EMPTY)) {
      RecoveryAction action = diagnose(open(7, 100), Map.of(PRODUCER, own(state, 8, 60_000)));
      assertThat(action).as(state.toString()).isInstanceOfSatisfying(RecoveryAction.Abort.class, abort -> {
        assertThat(abort.spec().topicPartition()).isEqualTo(PARTITION);
        assertThat(abort.spec().producerId()).isEqualTo(PRODUCER);
        assertThat(abort.spec().producerEpoch()).isEqualTo((short) 7);
        assertThat(abort.spec().coordinatorEpoch()).isEqualTo(3);
      });
    }
    // a later transaction of the same producer is open: the one on the partition is an earlier, hanging one
    assertThat(diagnose(open(7, 100), Map.of(PRODUCER, own(TransactionState.ONGOING, 9, 1_000))))
        .isInstanceOf(RecoveryAction.Abort.class);
  }

  @Test
  void aCoordinatorWritingItsMarkersIsLeftToFinish() {
    for (TransactionState state : List.of(TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT)) {
      RecoveryAction action = diagnose(open(7, 100), Map.of(PRODUCER, own(state, 8, 60_000)));
      assertThat(action).as(state.toString()).isInstanceOf(RecoveryAction.Leave.class);
    }
  }

  @Test
  void aProducerOfAnotherApplicationIsNeverTouched() {
    RecoveryAction action = diagnose(open(7, 100), Map.of(99L, own(TransactionState.ONGOING, 7, 60_000)));
    assertThat(action).isInstanceOf(RecoveryAction.Leave.class);
    assertThat(action.describe()).contains("not one of this service's transactional ids");
  }

  @Test
  void theEarliestOpenTransactionIsTheOneThatPins() {
    ProducerState later = new ProducerState(77, 1, 0, NOW, OptionalInt.of(3), OptionalLong.of(150));
    RecoveryAction action = StallDiagnosis.diagnose(PARTITION, 100, Duration.ofSeconds(31),
        List.of(later, open(7, 100)), Map.of(PRODUCER, own(TransactionState.ONGOING, 7, 60_000)), NOW)
        .orElseThrow();
    assertThat(action).isInstanceOf(RecoveryAction.Fence.class);
  }

  @Test
  void nothingOpenAnyMoreMeansNothingToDo() {
    assertThat(StallDiagnosis.diagnose(PARTITION, 100, Duration.ofSeconds(31),
        List.of(new ProducerState(PRODUCER, 7, 0, NOW, OptionalInt.empty(), OptionalLong.empty())),
        Map.of(), NOW)).isEmpty();
  }

  private static RecoveryAction diagnose(ProducerState producer, Map<Long, StallDiagnosis.OwnTransaction> own) {
    return StallDiagnosis.diagnose(PARTITION, 100, Duration.ofSeconds(31), List.of(producer), own, NOW)
        .orElseThrow();
  }

  private static ProducerState open(int epoch, long startOffset) {
    return new ProducerState(PRODUCER, epoch, 0, NOW, OptionalInt.of(3), OptionalLong.of(startOffset));
  }

  private static StallDiagnosis.OwnTransaction own(TransactionState state, int epoch, long ageMs) {
    return new StallDiagnosis.OwnTransaction(OURS, new TransactionDescription(1, state, PRODUCER, epoch, 10_000,
        OptionalLong.of(NOW - ageMs), Set.of(PARTITION)));
  }
}
