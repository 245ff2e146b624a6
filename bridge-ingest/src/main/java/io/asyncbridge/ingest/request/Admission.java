package io.asyncbridge.ingest.request;

import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.request.ParsedRequest;
import io.asyncbridge.schemas.request.RequestParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a record on the requests topic becomes a task: a pure function of the record (key, value, timestamp, whether
 * it is a re-driven dead letter) and of what ingest already knows of its taskId. It writes nothing and calls nothing;
 * the processor acts on the {@link Verdict}.
 */
public final class Admission {

  /** What ingest knows of a taskId it has seen: enough to tell a duplicate from a re-drive of a rejected request. */
  public record Known(String state, boolean endedRejected) {
  }

  /** Looks up what ingest knows of a taskId; null when nothing. Reads only. */
  @FunctionalInterface
  public interface Lookup {
    Known find(String taskId);
  }

  /** The outcome of admitting one record. */
  public sealed interface Verdict permits Accepted, Rejected, Duplicate, Cancel, CancelRejected {
  }

  /**
   * A request to send upstream.
   *
   * @param redrive whether it re-drives a request that was rejected before any upstream call (its taskId is known)
   */
  public record Accepted(TaskRequest request, Instant submittedAt, Instant deadline, boolean redrive)
      implements Verdict {
  }

  /**
   * A request that goes to the dead-letter topic with {@code error}.
   *
   * @param origin the task it names, when its taskId can be read
   * @param completes whether it also earns a {@code rejected} completion: its taskId is readable and not known yet
   *     (a known taskId already has a life of its own, and a second completion would break exactly-once)
   */
  public record Rejected(Optional<TaskOrigin> origin, TaskError error, boolean completes) implements Verdict {
  }

  /** A request whose taskId is known: it is not sent again. */
  public record Duplicate(String taskId, String provider, String state) implements Verdict {
  }

  /** A well-formed cancel of the task its key names. */
  public record Cancel(String taskId, Optional<String> reason) implements Verdict {
  }

  /** A cancel that cannot be acted on: dead-lettered with {@code error}; no task is affected. */
  public record CancelRejected(String taskId, TaskError error) implements Verdict {
  }

  private final RequestParser parser;
  private final RequestRules rules;
  private final int maxRequestBytes;

  public Admission(RequestParser parser, RequestRules rules, int maxRequestBytes) {
    this.parser = parser;
    this.rules = rules;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * @param timestamp the record's timestamp; outside 0..now it is replaced by {@code now} as the submission time
   * @param redriven whether the record is a dead letter sent back to the requests topic
   */
  public Verdict admit(byte[] key, byte[] value, long timestamp, Instant now, boolean redriven, Lookup known) {
    Instant submittedAt = timestamp < 0 || timestamp > now.toEpochMilli() ? now : Instant.ofEpochMilli(timestamp);
    if (value != null && value.length > maxRequestBytes) {
      return rejected(parser.readableTaskId(value).map(id -> new TaskOrigin(id, null, submittedAt, null, null, null)),
          new TaskError(ErrorCode.REQUEST_TOO_LARGE, "the request has " + value.length + " bytes; at most "
              + maxRequestBytes + " are accepted"), known);
    }
    String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
    ParsedRequest parsed = parser.parse(value);
    if (parsed instanceof ParsedRequest.Cancel cancel) {
      if (!cancel.taskId().equals(keyText)) {
        return new CancelRejected(cancel.taskId(), new TaskError(ErrorCode.INVALID_KEY, "the record key must be the"
            + " taskId of the task to cancel ('" + cancel.taskId() + "'), found " + describeKey(keyText)));
      }
      return new Cancel(cancel.taskId(), cancel.reason());
    }
    if (parsed instanceof ParsedRequest.Invalid invalid && invalid.cancel()) {
      return new CancelRejected(invalid.taskId().orElse("?"), TaskError.invalidRequest(invalid.violations()));
    }
    if (parsed instanceof ParsedRequest.Invalid invalid) {
      return rejected(invalid.origin(submittedAt), TaskError.invalidRequest(invalid.violations()), known);
    }
    TaskRequest request = ((ParsedRequest.Valid) parsed).request();
    TaskOrigin origin = TaskOrigin.of(request, submittedAt);
    if (!request.taskId().equals(keyText)) {
      return rejected(Optional.of(origin), new TaskError(ErrorCode.INVALID_KEY, "the record key must be the taskId ('"
          + request.taskId() + "'), found " + describeKey(keyText) + "; the bridge relies on it to deduplicate and"
          + " order a task's events"), known);
    }
    Known existing = known.find(request.taskId());
    if (existing != null && !(existing.endedRejected() && redriven)) {
      return new Duplicate(request.taskId(), request.provider(), existing.state());
    }
    Optional<TaskError> broken = rules.check(request);
    if (broken.isPresent()) {
      return rejected(Optional.of(origin), broken.get(), known);
    }
    return new Accepted(request, submittedAt, rules.deadline(request, submittedAt), existing != null);
  }

  private static Rejected rejected(Optional<TaskOrigin> origin, TaskError error, Lookup known) {
    return new Rejected(origin, error, origin.isPresent() && known.find(origin.get().taskId()) == null);
  }

  private static String describeKey(String keyText) {
    return keyText == null ? "no key" : "'" + abbreviate(keyText) + "'";
  }

  /** Bounded for logs and error messages. */
  public static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
