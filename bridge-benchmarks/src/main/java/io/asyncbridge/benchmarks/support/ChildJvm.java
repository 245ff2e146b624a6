package io.asyncbridge.benchmarks.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM on this JVM's class path (the benchmarks jar, whose manifest names the libraries), so that a load
 * generator, an upstream server or Kafka's tools do not share heap, GC or CPU accounting with the code measured.
 * Each output line goes to a listener; {@link #close()} kills the process.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private ChildJvm(Process process, Consumer<String> listener) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
          listener.accept(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "child-jvm-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  public static ChildJvm start(String maxHeap, String mainClass, List<String> args, Consumer<String> listener) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    try {
      return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start(), listener);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass + " in a child JVM", e);
    }
  }

  /** Waits for the first output line starting with the prefix and returns the rest of it. */
  public String awaitLine(String prefix, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      synchronized (lines) {
        for (String line : lines) {
          if (line.startsWith(prefix)) {
            return line.substring(prefix.length()).trim();
          }
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("child JVM exited with " + process.exitValue() + ": " + output());
      }
      ProcessMetrics.sleep(20);
    }
    throw new IllegalStateException("child JVM printed no '" + prefix + "' line within " + timeoutMillis + " ms: "
        + output());
  }

  /** Waits for the process to exit on its own; false when it did not in time. */
  public boolean awaitExit(long timeoutMillis) {
    try {
      return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    CompletableFuture<Process> exit = process.onExit();
    try {
      exit.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      awaitExit(5_000);
    }
  }
}
