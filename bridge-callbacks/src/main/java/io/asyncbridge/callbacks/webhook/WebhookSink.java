package io.asyncbridge.callbacks.webhook;

import io.asyncbridge.callbacks.correlation.WebhookReceived;
import java.util.concurrent.CompletionStage;

/**
 * Where accepted webhooks go. The stage completes only once the webhook is durable (for Kafka: acknowledged by all
 * in-sync replicas), and fails when it cannot be; the endpoint answers 2xx only on completion. Must not block the
 * caller, which is an event loop.
 */
public interface WebhookSink extends AutoCloseable {

  CompletionStage<Void> send(WebhookReceived webhook);

  @Override
  void close();
}
