package io.asyncbridge.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PartitionShareTest {

  @Test
  void anInstanceTakesTheShareOfThePartitionsItOwns() {
    assertThat(PartitionShare.of(3, 6)).isEqualTo(0.5);
    assertThat(PartitionShare.rate(10, 2, 6)).isCloseTo(3.333, within(0.001));
    assertThat(PartitionShare.rate(10, 6, 6)).isEqualTo(10.0);
  }

  @Test
  void instancesOwningDisjointPartitionsTogetherHoldTheLimit() {
    int total = 7;
    double sum = PartitionShare.rate(12, 3, total) + PartitionShare.rate(12, 2, total) + PartitionShare.rate(12, 2, total);
    assertThat(sum).isCloseTo(12.0, within(1e-9));
  }

  @Test
  void owningNothingOrNotKnowingTheTopicYetMeansNoShare() {
    assertThat(PartitionShare.of(0, 6)).isZero();
    assertThat(PartitionShare.of(2, 0)).isZero();
  }

  @Test
  void neverMoreThanTheWholeLimit() {
    assertThat(PartitionShare.of(8, 6)).isEqualTo(1.0);
    assertThatThrownBy(() -> PartitionShare.of(-1, 6)).isInstanceOf(IllegalArgumentException.class);
  }
}
