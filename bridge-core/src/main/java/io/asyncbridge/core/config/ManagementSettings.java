package io.asyncbridge.core.config;

/**
 * The management endpoint of a bridge process: Prometheus metrics ({@code GET /metrics}) and health
 * ({@code GET /health/live}, {@code GET /health/ready}) for every service the process runs.
 *
 * @param port 0 picks a free port (tests); the actual one is logged and known to the process
 * @param enabled false starts no management endpoint (meters are still kept)
 */
public record ManagementSettings(String host, int port, boolean enabled) {

  public static final int DEFAULT_PORT = 9090;

  public static ManagementSettings defaults() {
    return new ManagementSettings("0.0.0.0", DEFAULT_PORT, true);
  }
}
