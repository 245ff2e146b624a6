package io.asyncbridge.callbacks.webhook;

/** The sink cannot take a webhook right now (queue full, closing); the sender should retry later. */
public final class SinkUnavailableException extends RuntimeException {

  public SinkUnavailableException(String message) {
    super(message, null, false, false);
  }
}
