package io.asyncbridge.core.http;

/**
 * A request the management or webhook endpoint refuses, rendered as {@code {"error": {"status", "code", "message"}}}
 * by {@link ErrorResponder}. The message says what the sender should fix and never contains a secret, token or
 * signature. No stack trace: these are expected outcomes, not bugs.
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
    return unauthorized("unauthorized", message);
  }

  public static HttpError unauthorized(String code, String message) {
    return new HttpError(401, code, message);
  }

  public static HttpError unavailable(String message) {
    return new HttpError(503, "unavailable", message);
  }
}
