package io.asyncbridge.core.service;

import io.asyncbridge.core.config.ManagementSettings;
import io.asyncbridge.core.observability.BridgeMeters;
import io.asyncbridge.core.observability.ManagementServer;
import io.asyncbridge.core.observability.ServiceHealth;
import io.asyncbridge.core.status.RecentCompletions;
import io.asyncbridge.core.status.StatusRoutes;
import io.asyncbridge.core.status.TaskStatusQueries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one process and their management endpoint. The endpoint starts first, so liveness answers while
 * Kafka Streams starts; readiness is 200 only once every service started and reports ready. Closing stops the
 * services in reverse order, then Vert.x (and with it the endpoint).
 */
public final class RunningServices implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunningServices.class);
  private static final long MANAGEMENT_START_SECONDS = 30;

  private final ServiceContext context;
  private final List<BridgeService> services;
  private final List<BridgeService> started = new ArrayList<>();
  private final ManagementServer management;
  private final RecentCompletions recentCompletions;
  private final TaskStatusQueries statusQueries;
  private volatile boolean stopping;
  private AutoCloseable jvmMeters;
  private int managementPort = -1;

  /** Created, not started: {@link #start()} starts them; {@link #close()} stops whatever started, at any point. */
  public RunningServices(ServiceContext context, List<BridgeService> services) {
    this.context = context;
    this.services = List.copyOf(services);
    ManagementSettings settings = context.config().management();
    this.recentCompletions = new RecentCompletions(context.config(), context.clock());
    this.statusQueries = new TaskStatusQueries(context.vertx(), context.config(), context.status(), recentCompletions);
    this.management = new ManagementServer(context.vertx(), settings, context.registry(), this::health,
        new StatusRoutes(statusQueries, settings.authToken()).router(context.vertx()));
  }

  /** Starts the endpoint, then each service in order; throws on the first failure (close to stop what started). */
  public void start() {
    synchronized (this) {
      jvmMeters = BridgeMeters.bindJvm(context.registry());
    }
    startManagement();
    for (BridgeService service : services) {
      if (stopping) {
        return;
      }
      LOG.info("starting {}", service.name());
      service.start();
      synchronized (started) {
        started.add(service);
      }
      LOG.info("{} running", service.name());
    }
  }

  private void startManagement() {
    try {
      int port = management.start().toCompletionStage().toCompletableFuture()
          .get(MANAGEMENT_START_SECONDS, TimeUnit.SECONDS);
      synchronized (this) {
        managementPort = port;
      }
      if (port > 0) {
        ManagementSettings settings = context.config().management();
        context.status().advertise(settings.hostToAdvertise() + ":" + port);
        if (settings.authToken().isEmpty() && !isLoopback(settings.host())) {
          LOG.warn("the task status API on {}:{} answers anyone who can reach it: set management.authToken, or"
              + " management.host to 127.0.0.1", settings.host(), port);
        }
        recentCompletions.start();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the management endpoint", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }

  /** The management endpoint's actual port; -1 when it is disabled or not started. */
  public synchronized int managementPort() {
    return managementPort;
  }

  /** The services, in start order (started or not). */
  public List<BridgeService> services() {
    return services;
  }

  /** Each service's health, by name: STARTING until it started, STOPPING once the process stops. */
  public Map<String, ServiceHealth> health() {
    Map<String, ServiceHealth> health = new LinkedHashMap<>();
    List<BridgeService> running;
    synchronized (started) {
      running = List.copyOf(started);
    }
    for (BridgeService service : services) {
      if (stopping) {
        health.put(service.name(), new ServiceHealth(true, false, Map.of("state", "STOPPING")));
      } else if (running.contains(service)) {
        health.put(service.name(), service.health());
      } else {
        health.put(service.name(), ServiceHealth.starting());
      }
    }
    return health;
  }

  /** Stops what started, in reverse order, then Vert.x; safe to call more than once and from a shutdown hook. */
  @Override
  public void close() {
    stopping = true;
    recentCompletions.close();
    statusQueries.close();
    ServiceLauncher.stopAll(started, context);
    AutoCloseable jvm;
    synchronized (this) {
      jvm = jvmMeters;
      jvmMeters = null;
    }
    if (jvm != null) {
      try {
        jvm.close();
      } catch (Exception e) {
        LOG.warn("JVM meters did not close: {}", e.toString());
      }
    }
  }
}
