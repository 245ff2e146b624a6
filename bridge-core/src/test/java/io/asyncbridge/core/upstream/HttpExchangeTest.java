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
        .requestHandler(request -> request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .end("{\"path\":\"" + request.path() + "\"}"))
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
}
