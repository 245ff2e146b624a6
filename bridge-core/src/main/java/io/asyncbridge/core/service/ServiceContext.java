package io.asyncbridge.core.service;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.BridgeMeters;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.status.TaskStatusRegistry;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every service is built from: the validated config, the directory for its local state (Kafka Streams
 * stores, under {@code <stateDir>/<clusterId>/<application.id>}), the shared Vert.x instance, the clock, and the
 * process's one meter registry (served on {@code /metrics} by the management endpoint), the registry of the task
 * status API (the address other instances reach this process at, and each service's status source), and the
 * upstream credentials that a configuration reload replaces.
 */
public record ServiceContext(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock,
    PrometheusMeterRegistry registry, TaskStatusRegistry status, UpstreamCredentials credentials) {

  /** A context whose services' upstream credentials change only with a restart. */
  public ServiceContext(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock,
      PrometheusMeterRegistry registry, TaskStatusRegistry status) {
    this(config, stateDir, vertx, clock, registry, status, new UpstreamCredentials());
  }

  /** A context whose services register with a status registry of their own. */
  public ServiceContext(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock,
      PrometheusMeterRegistry registry) {
    this(config, stateDir, vertx, clock, registry, new TaskStatusRegistry());
  }

  /** A context with a registry of its own. */
  public ServiceContext(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock) {
    this(config, stateDir, vertx, clock, BridgeMeters.newRegistry());
  }

  /** The meters of one service, tagged {@code service=<name>}, in the process's registry. */
  public ServiceMeters meters(String service) {
    return new ServiceMeters(registry, service, config);
  }
}
