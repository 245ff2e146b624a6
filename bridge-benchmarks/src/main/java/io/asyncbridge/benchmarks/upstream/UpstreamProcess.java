package io.asyncbridge.benchmarks.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.benchmarks.support.ChildJvm;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The {@link NotificationServer} in a child JVM, and its counters as seen from the benchmark. */
public final class UpstreamProcess implements AutoCloseable {

  private final ChildJvm child;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  /** Counters at one moment; overshoot percentiles (ms) cover the polls since the last reset. */
  public record Stats(long polls, long creates, long tasks, long overshootCount, double overshootP50,
      double overshootP75, double overshootP99, double overshootP995) {
  }

  private UpstreamProcess(ChildJvm child, int port) {
    this.child = child;
    this.port = port;
  }

  /** An upstream whose progress moves every other poll. */
  public static UpstreamProcess start(long createDelayMs, long intervalMs) {
    return start(createDelayMs, intervalMs, 2 * intervalMs, "768m");
  }

  /**
   * @param progressPeriodMs how often the progress it answers moves (a poll that sees it move writes a progress event)
   * @param heap the child JVM's {@code -Xmx}: it remembers every task it has seen
   */
  public static UpstreamProcess start(long createDelayMs, long intervalMs, long progressPeriodMs, String heap) {
    ChildJvm child = ChildJvm.start(heap, UpstreamServerMain.class.getName(),
        List.of("--create-delay-ms", Long.toString(createDelayMs), "--interval-ms", Long.toString(intervalMs),
            "--progress-period-ms", Long.toString(progressPeriodMs)),
        line -> { });
    try {
      int port = Integer.parseInt(child.awaitLine(UpstreamServerMain.READY, 30_000));
      return new UpstreamProcess(child, port);
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long cpuNanos() {
    return ProcessMetrics.cpuNanosOf(child.pid());
  }

  public Stats stats() {
    return call("GET");
  }

  /** Clears the overshoot histogram (counters keep counting) and returns the counters. */
  public Stats resetOvershoot() {
    return call("POST", "/stats");
  }

  /** Forgets every task seen so far (the next level's tasks are counted from zero) and clears the histogram. */
  public Stats forgetTasks() {
    return call("POST", "/stats/forget");
  }

  private Stats call(String method) {
    return call(method, "/stats");
  }

  private Stats call(String method, String path) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
          .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode node = json.readTree(response.body());
      return new Stats(node.get("polls").asLong(), node.get("creates").asLong(), node.get("tasks").asLong(),
          node.get("overshootCount").asLong(), number(node.get("overshootP50")), number(node.get("overshootP75")),
          number(node.get("overshootP99")), number(node.get("overshootP995")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the upstream server's stats: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static double number(JsonNode node) {
    return node == null || node.isNull() ? Double.NaN : node.asDouble();
  }

  @Override
  public void close() {
    child.close();
  }
}
