package io.asyncbridge.launcher.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A main class of the shaded {@code bridge.jar} in a child JVM, its standard output and error in one log file: for
 * the integration tests that kill a service with SIGKILL or read everything a run logs. The jar is the one the
 * {@code bridge.jar} system property names (failsafe sets it), else {@code target/bridge.jar}.
 */
public final class BridgeJvm {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private BridgeJvm() {
  }

  /** The shaded jar the child JVMs run. */
  public static Path jar() {
    return Path.of(System.getProperty("bridge.jar", "target/bridge.jar")).toAbsolutePath();
  }

  /**
   * Starts {@code java <jvmOptions> -cp bridge.jar <mainClass> <args>} with both output streams to {@code log};
   * does not wait for it to be ready.
   */
  public static Process start(Path log, List<String> jvmOptions, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", jar().toString(), mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * Waits until {@code http://127.0.0.1:<port>/health/ready} answers 200 (the webhook endpoint of a JVM that runs the
   * callbacks service), polling it: the only way to learn that a child JVM is ready. Fails at once, with the log,
   * when the JVM exits first, and with the log when it is not ready within {@code timeout}.
   */
  public static void awaitReady(Process process, int port, Path log, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    try {
      await("the JVM logging to " + log.getFileName() + " to be ready on port " + port).atMost(timeout)
          .pollInterval(POLL_INTERVAL).until(() -> {
            if (!process.isAlive()) {
              throw new AssertionError("the JVM exited with code " + process.exitValue()
                  + " before it was ready; its log:\n" + read(log));
            }
            return status(http, ready) == 200;
          });
    } catch (ConditionTimeoutException notReady) {
      throw new AssertionError("the JVM logging to " + log.getFileName() + " was not ready within "
          + timeout.toSeconds() + " s; its log:\n" + read(log), notReady);
    }
  }

  private static int status(HttpClient http, URI url) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException notListeningYet) {
      return -1;
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }
}
