package io.asyncbridge.benchmarks.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.benchmarks.upstream.NotificationServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The baseline the poller is measured against: it must really poll every task on its interval. */
class BarePollLoopTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyTaskIsPolledOnItsInterval() throws Exception {
    NotificationServer server = new NotificationServer(vertx, 1, 1_000, 10_000);
    int port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String base = "http://127.0.0.1:" + port;
    var config = BenchConfigs.poll("unused:9092", "smoke", base, 0, 8, 8, 1, 1);

    try (BarePollLoop loop = new BarePollLoop(config, "t-", base + "/notifications/", 20)) {
      loop.start();
      JsonNode stats = stats(base);
      long giveUp = System.currentTimeMillis() + 10_000;
      while (stats.get("overshootCount").asLong() < 40 && System.currentTimeMillis() < giveUp) {
        Thread.sleep(50);
        stats = stats(base);
      }

      assertThat(stats.get("tasks").asLong()).as("every task polled").isEqualTo(20);
      assertThat(stats.get("overshootCount").asLong()).as("each polled again after its interval").isGreaterThanOrEqualTo(40);
      assertThat(stats.get("overshootP99").asDouble()).as("about 1 s apart (ms over)").isBetween(-50.0, 500.0);
    }
  }

  private static JsonNode stats(String base) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new ObjectMapper().readTree(body);
  }
}
