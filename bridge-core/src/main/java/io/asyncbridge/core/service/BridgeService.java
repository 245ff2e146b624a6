package io.asyncbridge.core.service;

/** A runnable part of the bridge (ingest, poller, callbacks): started once, stopped once. */
public interface BridgeService extends AutoCloseable {

  /** The service's name in logs and metrics: {@code ingest}, {@code poller}, {@code callbacks}. */
  String name();

  /** Starts the service; returns once it runs, or throws with a message a user can act on. */
  void start();

  /** Stops the service, finishing in-flight work where it can, within a bounded time. */
  @Override
  void close();
}
