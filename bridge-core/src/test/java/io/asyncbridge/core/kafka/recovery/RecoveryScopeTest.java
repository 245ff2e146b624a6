package io.asyncbridge.core.kafka.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoveryScopeTest {

  private final RecoveryScope poller = new RecoveryScope("poller", "bridge-poller", Set.of("bridge.tasks"));

  @Test
  void ownsOnlyTheTransactionalIdsKafkaStreamsGivesThisApplication() {
    assertThat(poller.ownsTransactionalId("bridge-poller-5c0f3a4e-8f1d-4c52-9a57-0e1b2c3d4e5f-1")).isTrue();
    assertThat(poller.ownsTransactionalId("bridge-poller-5c0f3a4e-8f1d-4c52-9a57-0e1b2c3d4e5f-12")).isTrue();
    // another application whose id starts with ours, and look-alikes
    assertThat(poller.ownsTransactionalId("bridge-poller-v2-5c0f3a4e-8f1d-4c52-9a57-0e1b2c3d4e5f-1")).isFalse();
    assertThat(poller.ownsTransactionalId("bridge-ingest-5c0f3a4e-8f1d-4c52-9a57-0e1b2c3d4e5f-1")).isFalse();
    assertThat(poller.ownsTransactionalId("bridge-poller-anything")).isFalse();
    assertThat(poller.ownsTransactionalId("xbridge-poller-5c0f3a4e-8f1d-4c52-9a57-0e1b2c3d4e5f-1")).isFalse();
    assertThat(poller.ownsTransactionalId(null)).isFalse();
  }

  @Test
  void internalTopicsAreThisApplicationsChangelogsAndRepartitionTopics() {
    assertThat(poller.isInternalTopic("bridge-poller-poll-tasks-changelog")).isTrue();
    assertThat(poller.isInternalTopic("bridge-poller-KSTREAM-REPARTITION-0000000003-repartition")).isTrue();
    assertThat(poller.isInternalTopic("bridge-ingest-requests-changelog")).isFalse();
    assertThat(poller.isInternalTopic("bridge.tasks")).isFalse();
  }
}
