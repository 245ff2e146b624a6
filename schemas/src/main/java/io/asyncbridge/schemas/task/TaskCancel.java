package io.asyncbridge.schemas.task;

import java.time.Instant;
import java.util.Objects;

/**
 * The cancel marker of a hand-off record: ingest read a cancel for a task it had handed over, and passes it to the
 * service that follows the task. The record that carries it has no {@code mode} of its own, so readers from before
 * cancels existed skip it (see {@link TaskAccepted#cancelOf}).
 *
 * @param mode which service follows the task: the poller ({@code POLL}) or the callbacks service ({@code CALLBACK})
 * @param reason the cancel's reason, or null
 * @param requestedAt when ingest read the cancel
 */
public record TaskCancel(TaskMode mode, String reason, Instant requestedAt) {

  public TaskCancel {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(requestedAt, "requestedAt");
  }

  /** The reason as a completion's message ends with it. */
  public String reasonOrDefault() {
    return reason == null || reason.isBlank() ? "cancelled by request" : reason;
  }
}
