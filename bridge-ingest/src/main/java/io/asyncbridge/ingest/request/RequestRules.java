package io.asyncbridge.ingest.request;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.CallbackRules;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.UpstreamAuth;
import io.asyncbridge.schemas.ErrorCode;
import io.asyncbridge.schemas.TaskError;
import io.asyncbridge.schemas.TaskRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a request must satisfy beyond its JSON Schema, because it depends on the configuration or on safety:
 * a known provider, a path that stays under the provider's base URL, headers that cannot override the bridge's
 * own (credentials, callback URL, framing), a timeout within the provider's bounds.
 */
public final class RequestRules {


  /** Metadata is repeated on every event of the task; keep it small so events stay far below Kafka's limits. */
  public static final int MAX_METADATA_CHARS = 16 * 1024;

  /** Headers that only the bridge or the HTTP client may set. */
  private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "proxy-authorization", "host",
      "content-length", "transfer-encoding", "connection", "te", "upgrade", "expect", "keep-alive", "cookie",
      "forwarded", "x-forwarded-for", "x-forwarded-host");

  /** Escapes that could turn into a traversal or another host once decoded by the upstream. */
  private static final Pattern DANGEROUS_ESCAPES = Pattern.compile("(?i)%(2e|2f|5c|00|0a|0d|25)");

  private final BridgeConfig config;

  public RequestRules(BridgeConfig config) {
    this.config = config;
  }

  /** The first rule the request breaks, or empty when it may be sent. */
  public Optional<TaskError> check(TaskRequest request) {
    Optional<ProviderConfig> provider = config.provider(request.provider());
    if (provider.isEmpty()) {
      return Optional.of(new TaskError(ErrorCode.UNKNOWN_PROVIDER, "provider '" + request.provider()
          + "' is not configured; known providers: " + config.providers().keySet().stream().sorted().toList()));
    }
    return checkPath(request.path())
        .or(() -> checkMetadata(request))
        .or(() -> checkHeaders(request, provider.get()))
        .or(() -> checkTimeout(request.timeout(), provider.get()));
  }

  static Optional<TaskError> checkPath(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    String why = null;
    if (!path.startsWith("/") || path.startsWith("//")) {
      why = "must be relative to the provider's base URL and start with a single '/'";
    } else if (path.contains("://")) {
      why = "must not contain an absolute URL";
    } else if (path.contains("\\")) {
      why = "must not contain backslashes";
    } else if (path.contains("?") || path.contains("#")) {
      why = "must not contain '?' or '#'; put query parameters in 'query'";
    } else if (DANGEROUS_ESCAPES.matcher(path).find()) {
      why = "must not contain encoded '.', '/', '\\\\', '%' or control characters";
    } else if (hasDotSegment(path)) {
      why = "must not contain '.' or '..' segments";
    } else if (path.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      why = "must not contain spaces or control characters";
    } else if (path.chars().anyMatch(c -> "{}|^<>\"[]`".indexOf(c) >= 0)) {
      why = "must not contain any of { } | ^ < > \" [ ] ` (percent-encode them)";
    }
    return why == null ? Optional.empty() : Optional.of(new TaskError(ErrorCode.INVALID_PATH, "/path " + why));
  }

  private static boolean hasDotSegment(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static Optional<TaskError> checkMetadata(TaskRequest request) {
    int chars = request.metadata().entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
    return chars <= MAX_METADATA_CHARS ? Optional.empty() : Optional.of(new TaskError(ErrorCode.METADATA_TOO_LARGE,
        "/metadata has " + chars + " characters; at most " + MAX_METADATA_CHARS + " (it is repeated on every event)"));
  }

  private static Optional<TaskError> checkHeaders(TaskRequest request, ProviderConfig provider) {
    for (Map.Entry<String, String> entry : request.headers().entrySet()) {
      String value = entry.getValue();
      if (value != null && value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        return Optional.of(new TaskError(ErrorCode.INVALID_REQUEST, "/headers/" + entry.getKey() + " must not contain control"
            + " characters (line breaks, NUL): they would split or corrupt the upstream request"));
      }
    }
    for (String header : request.headers().keySet()) {
      String lower = header.toLowerCase(Locale.ROOT);
      boolean reserved = RESERVED_HEADERS.contains(lower)
          || (provider.auth() instanceof UpstreamAuth.StaticHeader auth && auth.header().equalsIgnoreCase(header))
          || provider.callback().map(CallbackRules::requestHeaders).map(headers -> headers.keySet().stream()
              .anyMatch(name -> name.equalsIgnoreCase(header))).orElse(false);
      if (reserved) {
        return Optional.of(new TaskError(ErrorCode.FORBIDDEN_HEADER, "/headers/" + header
            + " is set by the bridge for provider " + provider.name() + " and cannot be sent by a request"));
      }
    }
    return Optional.empty();
  }

  private static Optional<TaskError> checkTimeout(Duration timeout, ProviderConfig provider) {
    if (timeout == null) {
      return Optional.empty();
    }
    if (timeout.isZero() || timeout.isNegative()) {
      return Optional.of(new TaskError(ErrorCode.INVALID_TIMEOUT, "/timeout must be positive"));
    }
    if (timeout.compareTo(provider.maxTimeout()) > 0) {
      return Optional.of(new TaskError(ErrorCode.INVALID_TIMEOUT, "/timeout " + timeout + " is longer than the maximum "
          + provider.maxTimeout() + " of provider " + provider.name()));
    }
    return Optional.empty();
  }

  /** The task's deadline: its timeout, or the provider's default, from when it was submitted. */
  public java.time.Instant deadline(TaskRequest request, java.time.Instant submittedAt) {
    Duration timeout = request.timeout() != null ? request.timeout()
        : config.provider(request.provider()).map(ProviderConfig::defaultTimeout).orElse(Duration.ofHours(1));
    return submittedAt.plus(timeout);
  }
}
