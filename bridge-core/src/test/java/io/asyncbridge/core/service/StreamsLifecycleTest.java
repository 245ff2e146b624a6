package io.asyncbridge.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class StreamsLifecycleTest {

  @Test
  void aCommitTheBrokerRefusedIsABrokerSideTransactionFailure() {
    // what a stream thread died of in a chaos run, right after a broker restart
    InvalidTxnStateException refused =
        new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state.");
    StreamsException failure = new StreamsException("Error encountered trying to commit a transaction", refused);

    assertThat(StreamsLifecycle.brokerSideTransactionFailure(failure)).isSameAs(refused);
    assertThat(StreamsLifecycle.brokerSideTransactionFailure(
        new StreamsException(new ProducerFencedException("fenced")))).isInstanceOf(ProducerFencedException.class);
  }

  @Test
  void anythingElseIsAnError() {
    assertThat(StreamsLifecycle.brokerSideTransactionFailure(
        new StreamsException("processing failed", new NullPointerException("bug")))).isNull();
    assertThat(StreamsLifecycle.brokerSideTransactionFailure(new IllegalStateException("no cause"))).isNull();
  }
}
