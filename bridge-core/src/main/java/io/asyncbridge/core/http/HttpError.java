package io.asyncbridge.core.http;

/**
 * A request the management endpoint refuses, rendered as {@code {"error": {"status", "code", "message"}}} by
 * {@link ErrorResponder}: the same shape as the webhook endpoint's errors. The message says what to fix and never
 * contains a secret or token. No stack trace: these are expected outcomes, not bugs.
 */
public final class HttpError extends RuntimeException {

  private final int status;
  private final String code;

  public HttpError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static HttpError badRequest(String code, String message) {
    return new HttpError(400, code, message);
  }

  public static HttpError notFound(String code, String message) {
    return new HttpError(404, code, message);
  }

  public static HttpError unauthorized(String message) {
    return new HttpError(401, "unauthorized", message);
  }

  public static HttpError unavailable(String message) {
    return new HttpError(503, "unavailable", message);
  }
}
