package io.asyncbridge.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The management endpoint of a bridge process: Prometheus metrics ({@code GET /metrics}), health
 * ({@code GET /health/live}, {@code GET /health/ready}), the task status API ({@code /api/tasks}) and the live web
 * view ({@code /ui/}) for every service the process runs.
 *
 * @param port 0 picks a free port (tests); the actual one is logged and known to the process
 * @param enabled false starts no management endpoint (meters are still kept)
 * @param authToken when set, {@code /api/} answers 401 without {@code Authorization: Bearer <token>}
 * @param advertisedHost how other instances reach this one (Kafka Streams' {@code application.server}); empty: the
 *     listening host, or the machine's host name when that is a wildcard address
 * @param peers management endpoints ({@code host:port}) of processes that run services this one does not; only
 *     needed when the services run in separate processes
 * @param recentCompletions how many recent completions each process keeps in memory for the status API and the view
 */
public record ManagementSettings(String host, int port, boolean enabled, Optional<Secret> authToken,
    Optional<String> advertisedHost, List<String> peers, int recentCompletions) {

  public static final int DEFAULT_PORT = 9090;
  public static final int DEFAULT_RECENT_COMPLETIONS = 2_000;

  public ManagementSettings {
    peers = List.copyOf(peers);
  }

  /** No token, advertised as the listening host, no peers. */
  public ManagementSettings(String host, int port, boolean enabled) {
    this(host, port, enabled, Optional.empty(), Optional.empty(), List.of(), DEFAULT_RECENT_COMPLETIONS);
  }

  public static ManagementSettings defaults() {
    return new ManagementSettings("0.0.0.0", DEFAULT_PORT, true);
  }

  /** The same settings with a bearer token required on the API. */
  public ManagementSettings withAuthToken(Secret token) {
    return new ManagementSettings(host, port, enabled, Optional.of(token), advertisedHost, peers, recentCompletions);
  }

  /** The host other instances use to reach this one: {@link #advertisedHost}, else a concrete listening host. */
  public String hostToAdvertise() {
    if (advertisedHost.isPresent()) {
      return advertisedHost.get();
    }
    if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
