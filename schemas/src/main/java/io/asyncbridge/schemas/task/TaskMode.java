package io.asyncbridge.schemas.task;

/** How the bridge learns that an upstream task ended. */
public enum TaskMode {
  /** Poll the notification resource the upstream returned. */
  POLL,
  /** Wait for the webhook the upstream sends to the bridge's callback URL. */
  CALLBACK
}
