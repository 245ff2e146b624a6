package io.asyncbridge.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The webhook listener.
 *
 * @param publicBaseUrl what upstreams are told to call back; per-task URLs live under it
 * @param tokenSecret key of the per-task callback tokens (HMAC of provider and taskId); every callbacks and ingest
 *     instance must share it
 * @param maxBodyBytes larger webhooks are answered 413
 * @param ackTimeout how long a webhook may wait for Kafka's acknowledgement before the answer is 503
 * @param retryAfter the Retry-After sent with a 503
 * @param earlyWebhookRetention how long a webhook that arrived before its task was recorded is kept waiting
 * @param bodyReadTimeout how long a webhook's body may take to arrive once its headers did; a slower sender gets 408
 *     and its connection is closed, so a client dripping bytes cannot hold a request open for long
 */
public record CallbackSettings(
    String host,
    int port,
    Optional<URI> publicBaseUrl,
    Optional<Secret> tokenSecret,
    int maxBodyBytes,
    Duration ackTimeout,
    Duration retryAfter,
    Duration earlyWebhookRetention,
    Duration bodyReadTimeout) {
}
