package io.asyncbridge.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.core.config.StatusRules;
import io.asyncbridge.schemas.ErrorCode;
import java.util.Locale;

/**
 * Reads an upstream answer with a provider's {@link StatusRules}: status words (the seeds, Azure's status monitor),
 * the HTTP status of an RFC 9110 status URL (202 still running; another 2xx without a status word is the final
 * resource), or AIP-151's {@code done} flag with {@code error | response}. Ingest reads the answer to the starting
 * call with it (an operation may be over at once), the poller every poll answer, so both agree. Pure.
 *
 * <p>Never reads success into what it does not understand: an unknown word, or a {@code done} that is not a boolean,
 * is {@link StatusReading.State#UNKNOWN} and the task keeps running until its deadline.
 */
public final class StatusReader {

  /** {@code google.rpc.Code.CANCELLED}: the code of an AIP-151 operation that was canceled. */
  static final int GOOGLE_RPC_CANCELLED = 1;
  private static final int MAX_DETAIL_CHARS = 300;

  private final StatusRules rules;

  public StatusReader(StatusRules rules) {
    this.rules = rules;
  }

  /**
   * @param httpStatus the answer's HTTP status (2xx)
   * @param hasLocation whether the answer carries a {@code Location} header (RFC 9110 polling: not final yet)
   * @param body the parsed body; a {@code MissingNode} for an empty body, null for a body that is not JSON
   */
  public StatusReading read(int httpStatus, boolean hasLocation, JsonNode body) {
    JsonNode resource = body != null && body.isObject() ? body : null;
    if (rules.decidesByDoneFlag()) {
      return resource == null ? StatusReading.notAResource() : byDoneFlag(resource);
    }
    String word = resource == null ? null : word(resource);
    Integer progress = resource == null ? null : progress(resource);
    if (resource != null) {
      for (String pointer : rules.failedWhenPresent()) {
        JsonNode marker = resource.at(pointer);
        if (!marker.isMissingNode() && !marker.isNull()) {
          return failedByWord(word, progress, resource);
        }
      }
    }
    if (word != null) {
      switch (rules.classify(word)) {
        case SUCCEEDED:
          return StatusReading.succeeded(word, progress, result(resource));
        case FAILED:
          return failedByWord(word, progress, resource);
        case RUNNING:
          return StatusReading.running(word, progress);
        default:
          return StatusReading.unknown(word, progress, "unknown status word '" + abbreviate(word) + "'");
      }
    }
    if (rules.finalWithoutStatus()) {
      if (httpStatus == 202 || hasLocation) {
        return StatusReading.running(null, progress); // RFC 9110: accepted, not done; the status URL still answers
      }
      if (body == null) {
        return StatusReading.notAResource(); // not JSON: a proxy's page is no final resource
      }
      return StatusReading.succeeded(null, progress, body.isMissingNode() ? null : body);
    }
    return resource == null ? StatusReading.notAResource()
        : StatusReading.unknown(null, progress, "no status word at " + rules.statusPointer());
  }

  private StatusReading byDoneFlag(JsonNode operation) {
    Integer progress = progress(operation);
    JsonNode done = operation.at(rules.donePointer());
    // proto3 JSON leaves out a false boolean: an operation without done is not done yet
    if (done.isMissingNode() || done.isNull() || (done.isBoolean() && !done.booleanValue())) {
      return StatusReading.running(null, progress);
    }
    if (!done.isBoolean()) {
      return StatusReading.unknown(null, progress, "'done' at " + rules.donePointer() + " is not a boolean ("
          + abbreviate(done.toString()) + ")");
    }
    JsonNode error = rules.errorPointer().isEmpty() ? null : operation.at(rules.errorPointer());
    if (error != null && !error.isMissingNode() && !error.isNull()) {
      boolean canceled = isCanceledStatus(error);
      return StatusReading.failed(null, progress, operation,
          (canceled ? ErrorCode.UPSTREAM_CANCELED : ErrorCode.UPSTREAM_FAILED).code(),
          (canceled ? "the operation was canceled: " : "the operation ended with an error: ") + describe(error));
    }
    return StatusReading.succeeded(null, progress, result(operation));
  }

  private StatusReading failedByWord(String word, Integer progress, JsonNode resource) {
    String detail = errorDetail(resource);
    if (rules.isCanceled(word)) {
      return StatusReading.failed(word, progress, resource, ErrorCode.UPSTREAM_CANCELED.code(),
          "the upstream canceled the task (status '" + abbreviate(word) + "')" + detail);
    }
    return StatusReading.failed(word, progress, resource, ErrorCode.UPSTREAM_FAILED.code(),
        "the upstream reported the task as " + (word == null ? "failed" : "'" + abbreviate(word) + "'") + detail);
  }

  private String errorDetail(JsonNode resource) {
    if (rules.errorPointer().isEmpty()) {
      return "";
    }
    JsonNode error = resource.at(rules.errorPointer());
    return error.isMissingNode() || error.isNull() ? "" : ": " + describe(error);
  }

  /** {@code code: message} of an error object, bounded and printable; says so when the error is no object. */
  static String describe(JsonNode error) {
    if (!error.isObject()) {
      return error.isValueNode() ? "an error that is not an object ('" + printable(error.asText()) + "')"
          : "an error that is not an object";
    }
    String code = text(error.get("code"));
    String message = text(error.get("message"));
    if (code == null && message == null) {
      return "an error object without code or message";
    }
    return code == null ? message : message == null ? code : code + ": " + message;
  }

  private static boolean isCanceledStatus(JsonNode error) {
    if (!error.isObject()) {
      return false;
    }
    JsonNode code = error.path("code");
    if (code.isIntegralNumber() && code.asInt() == GOOGLE_RPC_CANCELLED) {
      return true;
    }
    String word = code.isTextual() ? code.asText() : error.path("status").asText("");
    String normalized = word.trim().toUpperCase(Locale.ROOT);
    return normalized.equals("CANCELLED") || normalized.equals("CANCELED");
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    String text = node.isValueNode() ? node.asText() : node.toString();
    return text.isBlank() ? null : printable(text);
  }

  private JsonNode result(JsonNode resource) {
    if (rules.resultPointer().isEmpty()) {
      return resource;
    }
    JsonNode result = resource.at(rules.resultPointer());
    return result.isMissingNode() ? resource : result;
  }

  private String word(JsonNode resource) {
    if (rules.statusPointer().isEmpty()) {
      return null; // the empty pointer would be the whole resource
    }
    JsonNode node = resource.at(rules.statusPointer());
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  private Integer progress(JsonNode resource) {
    if (rules.progressPointer() == null || rules.progressPointer().isEmpty()) {
      return null;
    }
    JsonNode node = resource.at(rules.progressPointer());
    double value;
    if (node.isNumber()) {
      value = node.asDouble();
    } else if (node.isTextual()) {
      try {
        value = Double.parseDouble(node.asText().trim());
      } catch (NumberFormatException garbage) {
        return null;
      }
    } else {
      return null;
    }
    if (Double.isNaN(value) || value < 0 || value > 100) {
      return null;
    }
    return (int) Math.floor(value);
  }

  /** Upstream text fit for an error message: no control characters, bounded. */
  static String printable(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", " ").strip();
    return clean.length() > MAX_DETAIL_CHARS ? clean.substring(0, MAX_DETAIL_CHARS) + "..." : clean;
  }

  private static String abbreviate(String word) {
    String clean = word.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
  }
}
