package io.asyncbridge.callbacks.health;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answered a recent {@code describeCluster}. Checked periodically with the admin client's
 * own futures, so the event loop never waits; the health endpoint only reads the last answer.
 */
public final class KafkaReadiness implements BooleanSupplier, AutoCloseable {

  private final Admin admin;
  private final Duration timeout;
  private final AtomicBoolean reachable = new AtomicBoolean(false);
  private Vertx vertx;
  private long timerId = -1;

  public KafkaReadiness(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  public synchronized void start(Vertx onVertx, Duration period) {
    this.vertx = onVertx;
    check();
    timerId = onVertx.setPeriodic(period.toMillis(), id -> check());
  }

  private void check() {
    admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
        .whenComplete((nodes, failure) -> reachable.set(failure == null && nodes != null && !nodes.isEmpty()));
  }

  @Override
  public boolean getAsBoolean() {
    return reachable.get();
  }

  @Override
  public synchronized void close() {
    if (vertx != null && timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    admin.close(Duration.ofSeconds(5));
  }
}
