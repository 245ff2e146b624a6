package io.asyncbridge.benchmarks.webhooks;

import io.asyncbridge.benchmarks.support.Histogram;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load generator like wrk: {@code connections} keep-alive connections, each with one signed 1 KiB
 * webhook in flight at a time, for a warm-up then a measured window. The n-th webhook sent has the eventId
 * {@code <runId>-<n>}, n from 1. Only requests sent and answered inside the
 * window count; latency is from just before the request is written to the end of the response body.
 */
public final class LoadGenerator {

  /**
   * Figures of the measured window, and how many webhooks were sent in all (warm-up included): their eventIds are
   * {@code <runId>-1} to {@code <runId>-<sent>}, so a caller can hand over their tasks first.
   */
  public record Result(long accepted, long otherStatus, long errors, double seconds, double p50Micros,
      double p99Micros, long sent) {

    public double perSecond() {
      return accepted / seconds;
    }
  }

  private final Vertx vertx;

  public LoadGenerator(Vertx vertx) {
    this.vertx = vertx;
  }

  public Result run(int port, String path, int connections, long warmupMillis, long windowMillis, String runId)
      throws InterruptedException {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost("127.0.0.1").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(connections));
    Histogram latency = new Histogram(0, 10_000_000, 10);
    AtomicLong accepted = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    long start = System.nanoTime();
    long windowStart = start + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
    long end = windowStart + TimeUnit.MILLISECONDS.toNanos(windowMillis);
    CountDownLatch done = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      vertx.runOnContext(ignored -> next(client, path, runId, sequence, windowStart, end, latency, accepted, other,
          errors, done));
    }
    done.await(warmupMillis + windowMillis + 30_000, TimeUnit.MILLISECONDS);
    client.close().toCompletionStage().toCompletableFuture().join();
    double seconds = (end - windowStart) / 1e9;
    return new Result(accepted.get(), other.get(), errors.get(), seconds, latency.percentile(0.5),
        latency.percentile(0.99), sequence.get());
  }

  private void next(HttpClient client, String path, String runId, AtomicLong sequence, long windowStart, long end,
      Histogram latency, AtomicLong accepted, AtomicLong other, AtomicLong errors, CountDownLatch done) {
    long sentAt = System.nanoTime();
    if (sentAt >= end) {
      done.countDown();
      return;
    }
    byte[] body = WebhookBodies.body(runId + "-" + sequence.incrementAndGet());
    String signature = WebhookBodies.signature(body);
    Future<Integer> status = client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path))
        .compose(request -> request.putHeader("Content-Type", "application/json")
            .putHeader("Elements-Webhook-Signature", signature).send(Buffer.buffer(body)))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
    status.onComplete(result -> {
      long now = System.nanoTime();
      if (sentAt >= windowStart && now <= end) {
        if (result.failed()) {
          errors.incrementAndGet();
        } else if (result.result() == 202) {
          accepted.incrementAndGet();
          latency.record((now - sentAt) / 1_000);
        } else {
          other.incrementAndGet();
        }
      }
      next(client, path, runId, sequence, windowStart, end, latency, accepted, other, errors, done);
    });
  }
}
