package io.asyncbridge.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How ingest sends the original request upstream.
 *
 * @param concurrency calls in flight at once for this provider
 * @param requestTimeout a call without an answer after this long counts as a timeout (retriable)
 * @param maxAttempts attempts for retriable failures (5xx, 429, timeouts, connection errors) before {@code failed}
 * @param initialBackoff first retry delay; doubles per attempt with jitter, or follows Retry-After
 * @param maxBackoff upper bound of a retry delay
 * @param onUnknownOutcome what to do after a crash left a call without a recorded answer
 * @param idempotencyKey the header that carries a key derived from the taskId (the same on every attempt), for an
 *     upstream that answers a repeated key with the first call's result; with it, {@code auto} resends every method
 * @param rateLimit starting calls per second across all instances (each takes the share of its partitions); empty:
 *     no limit beyond {@code concurrency}
 */
public record DispatchPolicy(
    int concurrency,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    UnknownOutcome onUnknownOutcome,
    Optional<String> idempotencyKey,
    OptionalDouble rateLimit) {

  public DispatchPolicy {
    idempotencyKey = idempotencyKey == null ? Optional.empty() : idempotencyKey;
    rateLimit = rateLimit == null ? OptionalDouble.empty() : rateLimit;
  }

  /** A policy without a rate limit. */
  public DispatchPolicy(int concurrency, Duration requestTimeout, int maxAttempts, Duration initialBackoff,
      Duration maxBackoff, UnknownOutcome onUnknownOutcome, Optional<String> idempotencyKey) {
    this(concurrency, requestTimeout, maxAttempts, initialBackoff, maxBackoff, onUnknownOutcome, idempotencyKey,
        OptionalDouble.empty());
  }

  /** A policy without an idempotency key. */
  public DispatchPolicy(int concurrency, Duration requestTimeout, int maxAttempts, Duration initialBackoff,
      Duration maxBackoff, UnknownOutcome onUnknownOutcome) {
    this(concurrency, requestTimeout, maxAttempts, initialBackoff, maxBackoff, onUnknownOutcome, Optional.empty());
  }

  /** The one decision exactly-once cannot make for the upstream call. */
  public enum UnknownOutcome {
    /**
     * Send again when the method is idempotent (GET, PUT, DELETE, HEAD, OPTIONS) or the call carries an idempotency
     * key, fail otherwise.
     */
    AUTO,
    /** Always send again (the upstream deduplicates, or duplicates are harmless). */
    RESEND,
    /** End the task as {@code failed} with code {@code dispatch_outcome_unknown}. */
    FAIL
  }

  /** Whether a call of this method whose outcome is unknown is sent again. */
  public boolean resendsAfterUnknownOutcome(String method) {
    return switch (onUnknownOutcome) {
      case RESEND -> true;
      case FAIL -> false;
      case AUTO -> switch (method) {
        case "GET", "PUT", "DELETE", "HEAD", "OPTIONS" -> true;
        default -> idempotencyKey.isPresent();
      };
    };
  }
}
