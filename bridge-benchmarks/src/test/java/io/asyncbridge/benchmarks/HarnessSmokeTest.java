package io.asyncbridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.support.Histogram;
import io.asyncbridge.benchmarks.support.MarkdownTable;
import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.upstream.NotificationServer;
import io.asyncbridge.benchmarks.webhooks.CeilingServer;
import io.asyncbridge.benchmarks.webhooks.LoadGenerator;
import io.asyncbridge.benchmarks.webhooks.WebhookBodies;
import io.asyncbridge.simulator.elements.ElementsSignature;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The harness's moving parts, in a few seconds and without a broker: the benchmarks themselves are programs. */
class HarnessSmokeTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theLoadGeneratorDrivesTheCeilingServerAndMeasuresLatency() throws Exception {
    int port = new CeilingServer(vertx).start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    LoadGenerator.Result result = new LoadGenerator(vertx).run(port, "/callbacks/documents", 4, 200, 1_000, "smoke");

    assertThat(result.accepted()).isPositive();
    assertThat(result.errors()).isZero();
    assertThat(result.otherStatus()).isZero();
    assertThat(result.p50Micros()).isPositive().isLessThanOrEqualTo(result.p99Micros());
  }

  @Test
  void theUpstreamCountsPollsAndMeasuresTheGapBetweenThem() throws Exception {
    NotificationServer server = new NotificationServer(vertx, 1, 0, 10_000);
    int port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    HttpClient http = HttpClient.newHttpClient();
    URI task = URI.create("http://127.0.0.1:" + port + "/notifications/t-1");

    HttpResponse<String> first = http.send(HttpRequest.newBuilder(task).build(), HttpResponse.BodyHandlers.ofString());
    http.send(HttpRequest.newBuilder(task).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tasks"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    String stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body();

    assertThat(first.body()).startsWith("{\"status\":\"in-progress\",\"progress\":");
    assertThat(created.statusCode()).isEqualTo(202);
    assertThat(created.body()).contains("\"href\":\"http://127.0.0.1:" + port + "/notifications/n-1\"");
    assertThat(stats).contains("\"polls\":2", "\"creates\":1", "\"tasks\":1", "\"overshootCount\":1");
    String forgotten = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats/forget"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(forgotten).contains("\"polls\":2", "\"tasks\":0", "\"overshootCount\":0");
  }

  @Test
  void webhookBodiesAreOneKibibyteAndCarryTheSeedSignature() {
    byte[] body = WebhookBodies.body("event-42");

    assertThat(body).hasSize(WebhookBodies.TARGET_BYTES);
    assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"eventId\":\"event-42\"");
    assertThat(ElementsSignature.verify(BenchConfigs.CE_KEY, body, WebhookBodies.signature(body))).isTrue();
  }

  @Test
  void percentilesAndTablesReadAsExpected() {
    Histogram histogram = new Histogram(-10, 100, 1);
    for (int i = 1; i <= 100; i++) {
      histogram.record(i - 1);
    }
    histogram.record(-50); // clamped into the first bucket

    assertThat(histogram.count()).isEqualTo(101);
    assertThat(histogram.percentile(0.5)).isEqualTo(50);
    assertThat(histogram.percentile(1.0)).isEqualTo(100);
    assertThat(new MarkdownTable("a", "b").row(1, MarkdownTable.ratio(50, 10)).render())
        .isEqualTo("| a   | b     |\n| --- | ----- |\n| 1   | 5.00x |\n");
  }

  @Test
  void theBenchmarkConfigurationsLoad() {
    assertThat(BenchConfigs.poll("localhost:9092", "t", "http://127.0.0.1:1234", 0.2, 512, 2048, 1)
        .provider(BenchConfigs.PROVIDER)).hasValueSatisfying(provider -> {
          assertThat(provider.poll().maxInterval()).hasSeconds(5);
          assertThat(provider.dispatch().concurrency()).isEqualTo(2048);
        });
    assertThat(BenchConfigs.callbacks("localhost:9092", "t", "http://127.0.0.1:9", 1)
        .provider(BenchConfigs.CE_PROVIDER)).isPresent();
  }

  @Test
  void heapAfterGcCountsWhatIsStillReferencedAndNotWhatWasDropped() {
    long before = ProcessMetrics.heapAfterGc();
    byte[][] held = new byte[256][];
    for (int i = 0; i < held.length; i++) {
      held[i] = new byte[256 * 1024]; // 64 MiB in small arrays (not humongous in G1)
    }
    long holding = ProcessMetrics.heapAfterGc();
    assertThat(held[held.length - 1]).hasSize(256 * 1024); // still referenced when measured
    assertThat(holding - before).isGreaterThan(48L << 20);
    held = null;
    assertThat(ProcessMetrics.heapAfterGc()).isLessThan(holding - (48L << 20));
  }
}
