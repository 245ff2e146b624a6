package io.asyncbridge.ingest.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.ProviderType;
import io.asyncbridge.core.security.OutboundHostPolicy;
import io.asyncbridge.core.status.StatusReader;
import io.asyncbridge.core.status.StatusReading;
import io.asyncbridge.core.upstream.RelativeLinks;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.asyncbridge.schemas.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a poll provider's 2xx answer to the starting call comes to: where the task is followed (a link from a header,
 * resolved against the request URL; a link in the body; or an operation name put into the provider's poll URL
 * template), every link checked by the host policy; or, for the long-running-operation types, the end of the task
 * when the first answer already is one (a final resource without a status URL, an operation that is done).
 */
final class PollAcceptance {

  /** AIP-151: the operation's name, relative to the API's base URL. */
  static final String OPERATION_NAME_POINTER = "/name";
  static final int MAX_OPERATION_NAME_CHARS = 1024;
  /** Path segments of a resource name: unreserved characters plus a few that need no escaping in a path. */
  private static final Pattern NAME_SEGMENT = Pattern.compile("[A-Za-z0-9._~:@+=-]+");

  private final ProviderConfig provider;
  private final StatusReader status;

  PollAcceptance(ProviderConfig provider) {
    this.provider = provider;
    this.status = new StatusReader(provider.status());
  }

  /**
   * @param body the parsed answer: empty when it is not JSON, a {@code MissingNode} when it is empty
   */
  DispatchEvent interpret(DispatchJob job, URI requestUrl, UpstreamResponse response, Optional<JsonNode> body,
      Instant now) {
    Long firstPoll = response.retryAfter(now).map(Duration::toMillis).orElse(null);
    for (String header : provider.notificationLinkHeaders()) {
      Optional<String> value = response.header(header).map(String::trim).filter(text -> !text.isEmpty());
      if (value.isPresent()) {
        return fromHeader(job, requestUrl, response, header, value.get(), firstPoll);
      }
    }
    if (provider.type().isLongRunningOperation()) {
      Optional<DispatchEvent> ended = endedAtOnce(job, response, body);
      if (ended.isPresent()) {
        return ended.get();
      }
    }
    if (provider.pollUrlTemplate().isPresent()) {
      return fromOperationName(job, response, body, provider.pollUrlTemplate().get(), firstPoll);
    }
    if (provider.notificationLinkPointer().isPresent()) {
      return fromBody(job, response, body, provider.notificationLinkPointer().get(), firstPoll);
    }
    return missingLink(job, response, body, "its answer carries no " + String.join(", ",
        provider.notificationLinkHeaders()) + " header");
  }

  private DispatchEvent fromHeader(DispatchJob job, URI requestUrl, UpstreamResponse response, String header,
      String value, Long firstPoll) {
    URI link;
    try {
      // RFC 9110: a relative reference is resolved against the target URI (RFC 3986, query-only references too)
      link = RelativeLinks.resolve(requestUrl, value);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return notFollowed(job, response, "the " + header + " header is not a valid URL");
    }
    Optional<String> refusal = OutboundHostPolicy.forProvider(provider).refusal(link);
    if (refusal.isPresent()) {
      return notFollowed(job, response, "the " + header + " header: " + refusal.get());
    }
    return DispatchEvent.accepted(job, response.status(), link.toString(), null, firstPoll);
  }

  private DispatchEvent fromBody(DispatchJob job, UpstreamResponse response, Optional<JsonNode> body, String pointer,
      Long firstPoll) {
    if (body.isEmpty() || body.get().isMissingNode()) {
      return notJson(job, response);
    }
    JsonNode link = body.get().at(pointer);
    if (!link.isTextual() || link.asText().isBlank()) {
      return missingLink(job, response, body, "its answer has no notification link at " + pointer);
    }
    Optional<String> refusal = absoluteLinkRefusal(link.asText());
    if (refusal.isPresent()) {
      return notFollowed(job, response, refusal.get());
    }
    return DispatchEvent.accepted(job, response.status(), link.asText(), null, firstPoll);
  }

  private DispatchEvent fromOperationName(DispatchJob job, UpstreamResponse response, Optional<JsonNode> body,
      String template, Long firstPoll) {
    if (body.isEmpty() || body.get().isMissingNode()) {
      return notJson(job, response);
    }
    JsonNode name = body.get().at(OPERATION_NAME_POINTER);
    if (!name.isTextual() || name.asText().isBlank()) {
      return missingLink(job, response, body, "its answer is no operation: it has no name at " + OPERATION_NAME_POINTER);
    }
    Optional<String> invalid = invalidName(name.asText());
    if (invalid.isPresent()) {
      return AnswerInterpreter.failed(job, response, ErrorCode.INVALID_OPERATION_NAME.code(), "provider " + provider.name()
          + " accepted the request (HTTP " + response.status() + ") but its operation name " + invalid.get(), body.get());
    }
    String base = provider.baseUrl().toString();
    String url = template.replace("{baseUrl}", base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
        .replace("{name}", name.asText());
    Optional<String> refusal = absoluteLinkRefusal(url);
    if (refusal.isPresent()) {
      return notFollowed(job, response, "the poll URL made from the operation's name: " + refusal.get());
    }
    return DispatchEvent.accepted(job, response.status(), url, null, firstPoll);
  }

  /** A final resource without a status URL, or an operation that is already done: the task ends here. */
  private Optional<DispatchEvent> endedAtOnce(DispatchJob job, UpstreamResponse response, Optional<JsonNode> body) {
    boolean hasLocation = response.header("Location").isPresent();
    StatusReading reading = status.read(response.status(), hasLocation, body.orElse(null));
    if (reading.state() == StatusReading.State.SUCCEEDED) {
      return Optional.of(DispatchEvent.succeeded(job, response.status(), reading.result()));
    }
    if (reading.state() == StatusReading.State.FAILED) {
      return Optional.of(AnswerInterpreter.failed(job, response, reading.errorCode(), reading.message(),
          reading.result()));
    }
    return Optional.empty();
  }

  /** Why an operation name cannot go into a URL, quoted safely; empty when it can. */
  static Optional<String> invalidName(String name) {
    String quoted = "'" + printable(name) + "'";
    if (name.length() > MAX_OPERATION_NAME_CHARS) {
      return Optional.of("has " + name.length() + " characters; at most " + MAX_OPERATION_NAME_CHARS + " are accepted");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !NAME_SEGMENT.matcher(segment).matches()) {
        return Optional.of(quoted + " is not a relative resource name (segments of letters, digits and - . _ ~ : @ + ="
            + " separated by single slashes, no . or .. segments)");
      }
    }
    return Optional.empty();
  }

  private Optional<String> absoluteLinkRefusal(String link) {
    try {
      URI uri = new URI(link);
      if (!uri.isAbsolute()) {
        return Optional.of("the link is not an absolute URL");
      }
      return OutboundHostPolicy.forProvider(provider).refusal(uri);
    } catch (URISyntaxException e) {
      return Optional.of("the link is not a valid URL");
    }
  }

  private DispatchEvent notFollowed(DispatchJob job, UpstreamResponse response, String why) {
    return AnswerInterpreter.failed(job, response, ErrorCode.NOTIFICATION_HOST_NOT_ALLOWED.code(),
        "provider " + provider.name() + " returned a notification link the bridge will not follow: " + why, null);
  }

  private DispatchEvent missingLink(DispatchJob job, UpstreamResponse response, Optional<JsonNode> body, String why) {
    return AnswerInterpreter.failed(job, response, ErrorCode.MISSING_NOTIFICATION_LINK.code(),
        "provider " + provider.name() + " accepted the request (HTTP " + response.status() + ") but " + why,
        body.filter(tree -> !tree.isMissingNode()).orElse(null));
  }

  private DispatchEvent notJson(DispatchJob job, UpstreamResponse response) {
    String what = provider.type() == ProviderType.GOOGLE_LRO ? "no operation to follow" : "no notification link to follow";
    return AnswerInterpreter.failed(job, response, ErrorCode.UPSTREAM_ANSWER_NOT_JSON.code(), "provider " + provider.name()
        + " accepted the request (HTTP " + response.status() + ") but its answer is not JSON, so there is " + what,
        null);
  }

  private static String printable(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
  }

  static Optional<JsonNode> emptyBody() {
    return Optional.of(MissingNode.getInstance());
  }
}
