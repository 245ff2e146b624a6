package io.asyncbridge.benchmarks.poller;

import io.asyncbridge.benchmarks.support.ProcessMetrics;
import io.asyncbridge.benchmarks.upstream.UpstreamProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loop the seed's PHP script embodies, one blocking thread per task: sleep 5 s, blocking GET (HttpURLConnection,
 * keep-alive), repeat. Started at one count of tasks, measured at the upstream like the poller, then stopped.
 */
final class NaiveLoopBaseline {

  /** One level's figures; {@code failure} says why it could not even start all its threads, or null. */
  record Level(int tasks, double pollsPerSecond, double overshootP50, double overshootP99, long heapBytes,
      long rssBytes, double cpuCores, long errors, String failure) {

    double target() {
      return tasks / 5.0;
    }

    boolean keptUp() {
      return failure == null && pollsPerSecond >= 0.95 * target() && overshootP99 < 1_000 && errors == 0;
    }
  }

  private final UpstreamProcess upstream;
  private final long warmupMillis;
  private final long windowMillis;

  NaiveLoopBaseline(UpstreamProcess upstream, long warmupMillis, long windowMillis) {
    this.upstream = upstream;
    this.warmupMillis = warmupMillis;
    this.windowMillis = windowMillis;
  }

  Level run(int tasks) {
    // HttpURLConnection keeps at most http.maxConnections idle connections per host (default 5); the loop would
    // otherwise open a new TCP connection for most polls and run out of ports, not of threads.
    System.setProperty("http.maxConnections", Integer.toString(Math.max(5, tasks)));
    long heapBefore = ProcessMetrics.heapAfterGc();
    long rssBefore = ProcessMetrics.ownRssBytes();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    String failure = null;
    long start = System.currentTimeMillis();
    try {
      for (int i = 0; i < tasks; i++) {
        String url = upstream.baseUrl() + "/notifications/naive-" + tasks + "-" + i;
        long firstPollAt = start + (long) i * 5_000 / tasks; // spread like the poller's tasks
        Thread thread = new Thread(() -> loop(url, firstPollAt, errors, firstError), "naive-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
    } catch (OutOfMemoryError | RuntimeException e) {
      failure = "started " + threads.size() + " of " + tasks + " threads: " + e;
    }
    try {
      ProcessMetrics.sleep(warmupMillis);
      UpstreamProcess.Stats before = upstream.resetOvershoot();
      long cpuBefore = ProcessMetrics.ownCpuNanos();
      long t0 = System.nanoTime();
      ProcessMetrics.sleep(windowMillis);
      UpstreamProcess.Stats after = upstream.stats();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cores = (ProcessMetrics.ownCpuNanos() - cpuBefore) / 1e9 / seconds;
      long heap = ProcessMetrics.heapAfterGc() - heapBefore;
      long rss = ProcessMetrics.ownRssBytes() - rssBefore;
      if (failure == null && firstError.get() != null) {
        failure = errors.get() + " failed polls, first: " + firstError.get();
      }
      return new Level(tasks, (after.polls() - before.polls()) / seconds, after.overshootP50(), after.overshootP99(),
          heap, rss, cores, errors.get(), failure);
    } finally {
      threads.forEach(Thread::interrupt);
      for (Thread thread : threads) {
        try {
          thread.join(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
  }

  private static void loop(String url, long firstPollAt, AtomicLong errors, AtomicReference<String> firstError) {
    try {
      Thread.sleep(Math.max(0, firstPollAt - System.currentTimeMillis()));
      while (!Thread.currentThread().isInterrupted()) {
        try {
          HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
          connection.setConnectTimeout(10_000);
          connection.setReadTimeout(10_000);
          try (InputStream in = connection.getInputStream()) {
            in.readAllBytes(); // read to the end so the connection goes back to the keep-alive cache
          }
        } catch (IOException e) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.toString());
        }
        Thread.sleep(5_000);
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }
}
