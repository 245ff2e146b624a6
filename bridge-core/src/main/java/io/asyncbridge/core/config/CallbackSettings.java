package io.asyncbridge.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The webhook listener.
 *
 * @param publicBaseUrl what upstreams are told to call back; per-task URLs live under it
 * @param tokenSecrets keys of the per-task callback tokens (HMAC of provider and taskId), newest first: ingest issues
 *     tokens under the first, the callbacks service accepts a token made under any of them, so URLs handed out before
 *     a rotation keep working until their key is removed; every callbacks and ingest instance must share them
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
    List<Secret> tokenSecrets,
    int maxBodyBytes,
    Duration ackTimeout,
    Duration retryAfter,
    Duration earlyWebhookRetention,
    Duration bodyReadTimeout) {

  public CallbackSettings {
    tokenSecrets = List.copyOf(tokenSecrets);
  }

  /** The key new callback tokens are issued under (the first of {@link #tokenSecrets()}). */
  public Optional<Secret> tokenSecret() {
    return tokenSecrets.stream().findFirst();
  }
}
