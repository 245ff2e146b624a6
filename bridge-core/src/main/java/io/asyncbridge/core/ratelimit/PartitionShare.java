package io.asyncbridge.core.ratelimit;

/**
 * The share of a provider's limit that one instance takes: the share of the partitions of the topic it reads that it
 * owns. Instances own disjoint partitions, so their shares add up to at most 1 and together they hold the limit with
 * no coordinator; a rebalance changes the counts and each instance adjusts its own share.
 */
public final class PartitionShare {

  private PartitionShare() {
  }

  /**
   * @param owned partitions this instance owns now
   * @param total partitions of the topic
   * @return owned / total, 0 when the instance owns none (or the topic's size is not known yet)
   */
  public static double of(int owned, int total) {
    if (owned < 0 || total < 0) {
      throw new IllegalArgumentException("partition counts cannot be negative: " + owned + " of " + total);
    }
    if (total == 0 || owned == 0) {
      return 0.0;
    }
    return Math.min(1.0, (double) owned / total);
  }

  /** The calls per second this instance may start: its share of the limit across all instances. */
  public static double rate(double limit, int owned, int total) {
    return limit * of(owned, total);
  }

  static double clamp(double share) {
    if (Double.isNaN(share) || share < 0) {
      return 0.0;
    }
    return Math.min(1.0, share);
  }
}
