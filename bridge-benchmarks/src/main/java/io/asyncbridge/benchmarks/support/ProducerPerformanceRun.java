package io.asyncbridge.benchmarks.support;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code org.apache.kafka.tools.ProducerPerformance} in a child JVM (so it is measured like a separate
 * client, as in STACK.md): the broker ceiling for one record size with acks=all.
 */
public final class ProducerPerformanceRun {

  private static final Pattern SUMMARY = Pattern.compile(
      "(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency, ([0-9.]+) ms max"
          + " latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

  /** The summary line's figures. */
  public record Result(long records, double recordsPerSecond, double megabytesPerSecond, double p50Millis,
      double p99Millis, String summary) {
  }

  private ProducerPerformanceRun() {
  }

  public static Result run(String bootstrap, String topic, int records, int recordSize) {
    try (ChildJvm child = ChildJvm.start("512m", "org.apache.kafka.tools.ProducerPerformance", List.of(
        "--topic", topic, "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordSize),
        "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
        "enable.idempotence=true"), line -> { })) {
      if (!child.awaitExit(300_000)) {
        throw new IllegalStateException("ProducerPerformance did not finish in 5 minutes: " + child.output());
      }
      String summary = null;
      for (String line : child.output().split("\n")) {
        if (SUMMARY.matcher(line).find()) {
          summary = line; // the last matching line is the final summary
        }
      }
      if (summary == null) {
        throw new IllegalStateException("ProducerPerformance printed no summary: " + child.output());
      }
      Matcher m = SUMMARY.matcher(summary);
      m.find();
      return new Result(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
          Double.parseDouble(m.group(6)), Double.parseDouble(m.group(8)), summary.trim());
    }
  }

  public static String describe(Result result) {
    return String.format(Locale.ROOT, "%,.0f records/s (%.1f MB/s), p50 %.0f ms, p99 %.0f ms",
        result.recordsPerSecond(), result.megabytesPerSecond(), result.p50Millis(), result.p99Millis());
  }
}
