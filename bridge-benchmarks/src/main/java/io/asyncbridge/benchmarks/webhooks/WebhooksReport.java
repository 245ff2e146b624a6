package io.asyncbridge.benchmarks.webhooks;

import static io.asyncbridge.benchmarks.support.MarkdownTable.millis;
import static io.asyncbridge.benchmarks.support.MarkdownTable.number;
import static io.asyncbridge.benchmarks.support.MarkdownTable.ratio;

import io.asyncbridge.benchmarks.support.MarkdownTable;
import io.asyncbridge.benchmarks.support.ProducerPerformanceRun;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The webhooks benchmark's tables: every run, then the median ratio per level and path, the goals, the latency. */
final class WebhooksReport {

  /** The goals at 64 connections, as median ratios to the Kafka-only server. */
  static final double COMMON_GOAL = 0.75;
  static final double EARLY_GOAL = 0.65;
  static final int GOAL_CONNECTIONS = 64;
  static final double LATENCY_P99_GOAL_MS = 100;

  private final PrintStream out;

  WebhooksReport(PrintStream out) {
    this.out = out;
  }

  void print(List<WebhooksBenchmark.Run> runs, List<WebhooksBenchmark.Context> contexts,
      ProducerPerformanceRun.Result kafka, CallbackLatency.Result latency, int warmup, int seconds, int rounds) {
    out.println();
    out.printf("### Webhooks: signed 1 KiB Cloud Elements webhooks, %d s warm-up + %d s measured per run, %d rounds"
        + " (Kafka-only server, then the callbacks service per path)%n%n", warmup, seconds, rounds);
    MarkdownTable each = new MarkdownTable("conns", "round", "path", "Kafka-only 202/s", "callbacks 202/s",
        "ratio", "callbacks p50 / p99", "Kafka-only p50 / p99", "non-202 / errors", "tasks handed over (s)",
        "CPU cores: bench JVM / broker");
    for (WebhooksBenchmark.Run run : runs) {
      LoadGenerator.Result ours = run.ours();
      LoadGenerator.Result ref = run.kafkaOnly();
      each.row(run.connections(), run.round(), run.path(), number(ref.perSecond()), number(ours.perSecond()),
          ratio(ours.perSecond(), ref.perSecond()),
          millis(ours.p50Micros() / 1000) + " / " + millis(ours.p99Micros() / 1000),
          millis(ref.p50Micros() / 1000) + " / " + millis(ref.p99Micros() / 1000),
          ours.otherStatus() + " / " + ours.errors(),
          run.path().equals(WebhooksBenchmark.COMMON) ? String.format(Locale.ROOT, "%,d (%.1f s), %s of webhooks",
              run.tasksHandedOver(), run.handOverSeconds(), percent(run.covered())) : "-",
          number(run.ourCores()) + " / " + number(run.brokerCores()));
    }
    out.println(each.render());

    out.println("Median ratio to the Kafka-only server (each run against its own round's reference), with the spread:");
    out.println();
    MarkdownTable summary = new MarkdownTable("conns", "path", "median ratio", "spread (min - max)",
        "median callbacks 202/s", "median Kafka-only 202/s", "median callbacks p99", "goal");
    for (int c : new TreeSet<>(runs.stream().map(WebhooksBenchmark.Run::connections).toList())) {
      for (String path : List.of(WebhooksBenchmark.COMMON, WebhooksBenchmark.EARLY)) {
        List<WebhooksBenchmark.Run> mine = runs.stream()
            .filter(run -> run.connections() == c && run.path().equals(path)).toList();
        if (mine.isEmpty()) {
          continue;
        }
        double median = median(mine.stream().map(WebhooksBenchmark.Run::ratio).toList());
        double goal = path.equals(WebhooksBenchmark.COMMON) ? COMMON_GOAL : EARLY_GOAL;
        summary.row(c, path, String.format(Locale.ROOT, "**%.2fx**", median),
            String.format(Locale.ROOT, "%.2f - %.2f", min(mine), max(mine)),
            number(median(mine.stream().map(run -> run.ours().perSecond()).toList())),
            number(median(mine.stream().map(run -> run.kafkaOnly().perSecond()).toList())),
            millis(median(mine.stream().map(run -> run.ours().p99Micros() / 1000).toList())),
            c == GOAL_CONNECTIONS ? String.format(Locale.ROOT, ">= %.2fx: %s", goal, median >= goal ? "met" : "NOT met")
                : "-");
      }
    }
    out.println(summary.render());

    if (!contexts.isEmpty()) {
      MarkdownTable context = new MarkdownTable("conns", "bare Vert.x 202/s (HTTP ceiling)", "bare p50 / p99",
          "Vert.x + KafkaWebhookSink 202/s", "sink p50 / p99");
      for (WebhooksBenchmark.Context level : contexts) {
        context.row(level.connections(), number(level.ceiling().perSecond()),
            millis(level.ceiling().p50Micros() / 1000) + " / " + millis(level.ceiling().p99Micros() / 1000),
            number(level.sinkOnly().perSecond()),
            millis(level.sinkOnly().p50Micros() / 1000) + " / " + millis(level.sinkOnly().p99Micros() / 1000));
      }
      out.println("Context, once per level:");
      out.println();
      out.println(context.render());
    }
    if (kafka != null) {
      out.printf("Kafka ceiling (ProducerPerformance, %d-byte records, acks=all, idempotent, 3 partitions): %s%n",
          WebhookBodies.TARGET_BYTES, ProducerPerformanceRun.describe(kafka));
    }
    if (latency != null) {
      out.printf("Callback-to-completion (webhook sent -> completion read, read_committed): p50 %s, p99 %s "
          + "(%,d of %,d tasks completed, %d webhooks not answered 202); goal p99 <= %.0f ms: %s%n",
          millis(latency.p50Millis()), millis(latency.p99Millis()), latency.completed(), latency.tasks(),
          latency.non202(), LATENCY_P99_GOAL_MS, latency.p99Millis() <= LATENCY_P99_GOAL_MS ? "met" : "NOT met");
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<WebhooksBenchmark.Run> runs) {
    return runs.stream().mapToDouble(WebhooksBenchmark.Run::ratio).min().orElse(0);
  }

  private static double max(List<WebhooksBenchmark.Run> runs) {
    return runs.stream().mapToDouble(WebhooksBenchmark.Run::ratio).max().orElse(0);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
  }
}
