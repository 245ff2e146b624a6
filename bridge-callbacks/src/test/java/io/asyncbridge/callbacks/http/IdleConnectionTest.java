package io.asyncbridge.callbacks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connections that go quiet (before, between or inside requests) are closed after the server's idle timeout. */
class IdleConnectionTest {

  private static final Duration IDLE = Duration.ofMillis(300);

  private Vertx vertx;
  private WebhookServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(ctx -> ctx.response().setStatusCode(202).end());
    server = new WebhookServer(vertx, router, "127.0.0.1", 0, IDLE);
    server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"says nothing", "half a request line", "headers without their end", "one request, then quiet"})
  void aQuietConnectionIsClosed(String kind) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(20_000); // far above the idle timeout: reaching it fails the test
      String sent = switch (kind) {
        case "half a request line" -> "POST /callbacks/doc";
        case "headers without their end" -> "POST /callbacks/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        case "one request, then quiet" -> "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        default -> "";
      };
      socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      long start = System.nanoTime();

      String answer = new String(socket.getInputStream().readAllBytes(), // until the server closes
          StandardCharsets.US_ASCII);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(IDLE.minusMillis(50));
      if (kind.startsWith("one request")) {
        assertThat(answer).startsWith("HTTP/1.1 202"); // answered, then closed once idle
      }
    }
  }

  @Test
  void theIdleTimeoutNeverCutsAnAnswerWaitingForKafkaOrABodyStillAllowedToArrive() {
    assertThat(WebhookServer.idleTimeout(Duration.ofSeconds(10), Duration.ofSeconds(10)))
        .isEqualTo(WebhookServer.IDLE_TIMEOUT);
    assertThat(WebhookServer.idleTimeout(Duration.ofMinutes(5), Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofMinutes(5).plusSeconds(10));
    assertThat(WebhookServer.idleTimeout(Duration.ofSeconds(1), Duration.ofMinutes(3)))
        .isEqualTo(Duration.ofMinutes(3).plusSeconds(10));
  }
}
