package io.asyncbridge.core.config;

/**
 * The operations endpoint of each service: health (live/ready) and Prometheus metrics.
 *
 * @param port 0 picks a free port; -1 disables the endpoint
 */
public record HttpSettings(String host, int port) {
}
