package io.asyncbridge.benchmarks.support;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-resolution histogram of long values (any unit), safe to record from several threads. Values outside
 * {@code [min, max)} are clamped into the first or last bucket, so a percentile there reads "at least max".
 */
public final class Histogram {

  private final long min;
  private final long bucketWidth;
  private final AtomicLongArray counts;

  public Histogram(long min, long max, long bucketWidth) {
    if (max <= min || bucketWidth <= 0) {
      throw new IllegalArgumentException("need min < max and a positive bucket width: " + min + ", " + max + ", "
          + bucketWidth);
    }
    this.min = min;
    this.bucketWidth = bucketWidth;
    this.counts = new AtomicLongArray((int) ((max - min + bucketWidth - 1) / bucketWidth));
  }

  public void record(long value) {
    long index = (value - min) / bucketWidth;
    counts.incrementAndGet((int) Math.max(0, Math.min(counts.length() - 1, index)));
  }

  public long count() {
    long total = 0;
    for (int i = 0; i < counts.length(); i++) {
      total += counts.get(i);
    }
    return total;
  }

  /** The upper edge of the bucket holding the given fraction (0..1) of the values; NaN when empty. */
  public double percentile(double fraction) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * total));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return min + (double) (i + 1) * bucketWidth;
      }
    }
    return min + (double) counts.length() * bucketWidth;
  }

  public void reset() {
    for (int i = 0; i < counts.length(); i++) {
      counts.set(i, 0);
    }
  }
}
