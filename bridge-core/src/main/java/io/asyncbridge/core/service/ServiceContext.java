package io.asyncbridge.core.service;

import io.asyncbridge.core.config.BridgeConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every service is built from: the validated config, the directory for its local state (Kafka Streams
 * stores), the shared Vert.x instance and the clock.
 */
public record ServiceContext(BridgeConfig config, Path stateDir, Vertx vertx, Clock clock) {

  /** The state directory of one service, e.g. {@code <stateDir>/poller}. */
  public Path stateDirOf(String service) {
    return stateDir.resolve(service);
  }
}
