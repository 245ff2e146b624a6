package io.asyncbridge.core.observability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one service is doing, as the management endpoint reports it.
 *
 * @param live false only when the service cannot recover by itself (its Kafka Streams application failed for good):
 *     a supervisor should restart the process
 * @param ready whether the service does its work now (Kafka Streams running or rebalancing, endpoint accepting)
 * @param detail what the answer is made of, e.g. {@code streams=RUNNING}; shown as is, so never a secret
 */
public record ServiceHealth(boolean live, boolean ready, Map<String, String> detail) {

  public ServiceHealth {
    detail = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detail));
  }

  /** A service that is created but not started yet (or failed to start). */
  public static ServiceHealth starting() {
    return new ServiceHealth(true, false, Map.of("state", "STARTING"));
  }

  /** A service that started and has nothing more specific to say. */
  public static ServiceHealth running() {
    return new ServiceHealth(true, true, Map.of("state", "RUNNING"));
  }

  /** This health, and also ready only if {@code ready}; the reason is added to the detail. */
  public ServiceHealth and(String what, boolean ok, String state) {
    Map<String, String> more = new LinkedHashMap<>(detail);
    more.put(what, state);
    return new ServiceHealth(live, ready && ok, more);
  }
}
