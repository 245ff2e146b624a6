package io.asyncbridge.callbacks.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Slow-drip webhooks: a client that sends its headers, then one byte of body every 50 ms (or nothing at all). The
 * endpoint must answer 408 and close the connection once {@code callbacks.bodyReadTimeout} (500 ms here) has passed,
 * long before the drip would end (50 s), and must keep serving everyone else meanwhile.
 */
class SlowDripTest {

  private WebhookBench bench;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    bench = new WebhookBench();
  }

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    bench.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"content-length drip", "chunked drip", "headers, then nothing"})
  void aDrippingBodyIsCutOffAndOthersAreServedMeanwhile(String kind) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bench.port())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      String framing = kind.startsWith("chunked") ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 1000\r\n";
      out.write(("POST " + bench.perTask("documents", "drip-1") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nElements-Webhook-Signature: sha256=AAAA\r\n" + framing + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      AtomicBoolean writing = new AtomicBoolean(true);
      if (!kind.startsWith("headers")) {
        threads.submit(() -> drip(out, kind.startsWith("chunked"), writing));
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      AtomicBoolean closed = new AtomicBoolean();
      InputStream in = socket.getInputStream();
      threads.submit(() -> readUntilClosed(in, answer, closed));

      for (int i = 0; i < 10; i++) {
        bench.assertAValidWebhookIsStillAccepted();
      }

      await().atMost(Duration.ofSeconds(10)).untilTrue(closed);
      writing.set(false);
      String text = answer.toString(StandardCharsets.US_ASCII);
      assertThat(text).startsWith("HTTP/1.1 408");
      assertThat(text).contains("\"code\":\"body_timeout\"");
      assertThat(bench.received).extracting(webhook -> webhook.routeTaskId()).doesNotContain("drip-1");
    }
  }

  private static void drip(OutputStream out, boolean chunked, AtomicBoolean writing) {
    try {
      for (int i = 0; i < 1000 && writing.get(); i++) {
        out.write((chunked ? "1\r\nx\r\n" : "x").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(50); // the drip itself: one byte every 50 ms is the behaviour under test
      }
    } catch (IOException | InterruptedException closedByServer) {
      // expected once the endpoint gave up on this request
    }
  }

  private static void readUntilClosed(InputStream in, ByteArrayOutputStream answer, AtomicBoolean closed) {
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (answer) {
          answer.write(buffer, 0, n);
        }
      }
    } catch (IOException reset) {
      // a reset after the answer counts as closed too
    }
    closed.set(true);
  }
}
