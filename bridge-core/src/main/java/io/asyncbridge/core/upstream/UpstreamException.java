package io.asyncbridge.core.upstream;

import io.asyncbridge.schemas.ErrorCode;

/** A call that got no usable HTTP answer. The message names the provider and host, never credentials. */
public final class UpstreamException extends RuntimeException {

  /** Why the call failed; decides whether it is retried. */
  public enum Kind {
    TIMEOUT(true, ErrorCode.UPSTREAM_TIMEOUT),
    CONNECTION(true, ErrorCode.UPSTREAM_CONNECTION),
    RESPONSE_TOO_LARGE(false, ErrorCode.UPSTREAM_RESPONSE_TOO_LARGE),
    HOST_NOT_ALLOWED(false, ErrorCode.HOST_NOT_ALLOWED),
    /** The token endpoint refused our credentials: retrying cannot help. */
    AUTH_REJECTED(false, ErrorCode.UPSTREAM_AUTH_REJECTED),
    /** The token endpoint could not be reached or failed: worth another try. */
    AUTH_UNAVAILABLE(true, ErrorCode.UPSTREAM_AUTH_UNAVAILABLE);

    private final boolean retriable;
    private final ErrorCode code;

    Kind(boolean retriable, ErrorCode code) {
      this.retriable = retriable;
      this.code = code;
    }

    public boolean retriable() {
      return retriable;
    }

    /**
     * The error code used in completions, e.g. {@code upstream_timeout}. Ingest and the poller name a refused host
     * by what was refused ({@code host_not_allowed}, {@code notification_host_not_allowed}); they never emit this
     * kind's code as such.
     */
    public String code() {
      return code.code();
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
