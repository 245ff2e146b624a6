package io.asyncbridge.testkit.time;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What rate-limit tests read from the moments calls arrived at an upstream. */
public final class Arrivals {

  private Arrivals() {
  }

  /** The most arrivals in any window of one second, sliding over every arrival ({@code System.nanoTime()} values). */
  public static int busiestSecond(List<Long> arrivalNanos) {
    List<Long> sorted = new ArrayList<>(arrivalNanos);
    sorted.sort(Long::compare);
    int most = 0;
    int start = 0;
    for (int end = 0; end < sorted.size(); end++) {
      while (sorted.get(end) - sorted.get(start) >= TimeUnit.SECONDS.toNanos(1)) {
        start++;
      }
      most = Math.max(most, end - start + 1);
    }
    return most;
  }
}
