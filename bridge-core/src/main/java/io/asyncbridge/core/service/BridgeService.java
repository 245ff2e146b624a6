package io.asyncbridge.core.service;

import io.asyncbridge.core.observability.ServiceHealth;

/** A runnable part of the bridge (ingest, poller, callbacks): started once, stopped once. */
public interface BridgeService extends AutoCloseable {

  /** The service's name in logs and metrics: {@code ingest}, {@code poller}, {@code callbacks}. */
  String name();

  /** Starts the service; returns once it runs, or throws with a message a user can act on. */
  void start();

  /**
   * How the service is doing once started (the management endpoint asks on every health request: keep it cheap and
   * non-blocking). By default a started service is ready.
   */
  default ServiceHealth health() {
    return ServiceHealth.running();
  }

  /** Stops the service, finishing in-flight work where it can, within a bounded time. */
  @Override
  void close();
}
