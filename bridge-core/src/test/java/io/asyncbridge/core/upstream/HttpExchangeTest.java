package io.asyncbridge.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exchange against a real HTTP server on loopback, called the way Kafka Streams threads call it. */
class HttpExchangeTest {

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(request -> {
          if (request.path().startsWith("/drip")) {
            drip(request);
            return;
          }
          request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
              .end("{\"path\":\"" + request.path() + "\"}");
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * One call after another on an idle keep-alive connection: the connection is handed over at once and the answer
   * follows quickly, so a body handler attached from the calling thread would often come after the body had gone by.
   * Every answer must still carry its own body.
   */
  @Test
  void everyAnswerKeepsItsBodyWhenTheCallerIsNotAVertxThread() throws Exception {
    HttpExchange exchange = new HttpExchange(vertx,
        vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1)), 1024);

    for (int i = 0; i < 3_000; i++) {
      UpstreamResponse answer = exchange.send(UpstreamRequest.get(
              URI.create("http://127.0.0.1:" + server.actualPort() + "/n/" + i), Duration.ofSeconds(20)))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(answer.status()).as("answer %d", i).isEqualTo(202);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as("answer %d", i)
          .isEqualTo("{\"path\":\"/n/" + i + "\"}");
    }
  }

  @Test
  void aRequestVertxRefusesToBuildFailsInsteadOfHanging() {
    HttpExchange exchange = new HttpExchange(vertx, vertx.createHttpClient(), 1024);
    UpstreamRequest withNul = new UpstreamRequest("GET", URI.create("http://127.0.0.1:" + server.actualPort() + "/x"),
        java.util.Map.of("X-Trace", "a\u0000b"), null, Duration.ofSeconds(20));

    assertThat(exchange.send(withNul).toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5)); // from a plain thread: the call hops onto a Vert.x context
  }

  /** Answers the head, then one byte every 20 ms for as long as the connection lives: never idle, never done. */
  private void drip(io.vertx.core.http.HttpServerRequest request) {
    var response = request.response().setChunked(true).putHeader("Content-Type", "application/json");
    response.write("{\"padding\":\"");
    vertx.setPeriodic(20, id -> {
      if (response.closed() || response.ended()) {
        vertx.cancelTimer(id);
      } else {
        response.write("x");
      }
    });
  }

  /**
   * An answer that trickles in forever times out, and its connection is given back: with a pool of one connection,
   * the next call still gets through. Before, the trickling answer kept the only connection and every later call
   * timed out waiting for it.
   */
  @Test
  void aTricklingAnswerTimesOutAndFreesItsConnection() throws Exception {
    HttpExchange exchange = new HttpExchange(vertx,
        vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1)), 1024 * 1024);
    String base = "http://127.0.0.1:" + server.actualPort();

    for (int i = 0; i < 3; i++) {
      var trickle = exchange.send(UpstreamRequest.get(URI.create(base + "/drip/" + i), Duration.ofMillis(300)))
          .toCompletionStage().toCompletableFuture();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> trickle.get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(UpstreamException.class).hasMessageContaining("no complete answer within 300 ms");
    }
    UpstreamResponse answer = exchange.send(UpstreamRequest.get(URI.create(base + "/after"), Duration.ofSeconds(5)))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat(answer.status()).isEqualTo(202);
  }
}
