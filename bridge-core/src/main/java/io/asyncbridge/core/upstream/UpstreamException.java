package io.asyncbridge.core.upstream;

/** A call that got no usable HTTP answer. The message names the provider and host, never credentials. */
public final class UpstreamException extends RuntimeException {

  /** Why the call failed; decides whether it is retried. */
  public enum Kind {
    TIMEOUT(true),
    CONNECTION(true),
    RESPONSE_TOO_LARGE(false),
    HOST_NOT_ALLOWED(false),
    /** The token endpoint refused our credentials: retrying cannot help. */
    AUTH_REJECTED(false),
    /** The token endpoint could not be reached or failed: worth another try. */
    AUTH_UNAVAILABLE(true);

    private final boolean retriable;

    Kind(boolean retriable) {
      this.retriable = retriable;
    }

    public boolean retriable() {
      return retriable;
    }

    /** The error code used in completions, e.g. {@code upstream_timeout}. */
    public String code() {
      return "upstream_" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Kind kind;

  public UpstreamException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
