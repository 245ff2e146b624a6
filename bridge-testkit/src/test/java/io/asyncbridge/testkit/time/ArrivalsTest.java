package io.asyncbridge.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void noArrivalsMakeAnEmptySecond() {
    assertThat(Arrivals.busiestSecond(List.of())).isZero();
  }

  @Test
  void theWindowSlidesOverUnsortedArrivals() {
    // 0, 100 and 900 ms fall in one second; the second from 100 ms holds 100, 900, 1000 and 1050 ms.
    List<Long> arrivals = List.of(1050 * MS, 0L, 900 * MS, 100 * MS, 1000 * MS);
    assertThat(Arrivals.busiestSecond(arrivals)).isEqualTo(4);
  }

  @Test
  void arrivalsOneSecondApartAreInDifferentWindows() {
    assertThat(Arrivals.busiestSecond(List.of(0L, 1000 * MS, 2000 * MS))).isEqualTo(1);
  }
}
