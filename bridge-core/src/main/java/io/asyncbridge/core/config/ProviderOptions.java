package io.asyncbridge.core.config;

import static io.asyncbridge.core.config.ConfigOption.bool;
import static io.asyncbridge.core.config.ConfigOption.decimal;
import static io.asyncbridge.core.config.ConfigOption.duration;
import static io.asyncbridge.core.config.ConfigOption.enumeration;
import static io.asyncbridge.core.config.ConfigOption.httpUrl;
import static io.asyncbridge.core.config.ConfigOption.integer;
import static io.asyncbridge.core.config.ConfigOption.optionalString;
import static io.asyncbridge.core.config.ConfigOption.pointer;
import static io.asyncbridge.core.config.ConfigOption.positiveDecimal;
import static io.asyncbridge.core.config.ConfigOption.secret;
import static io.asyncbridge.core.config.ConfigOption.secretList;
import static io.asyncbridge.core.config.ConfigOption.string;
import static io.asyncbridge.core.config.ConfigOption.stringList;
import static io.asyncbridge.core.config.ConfigOption.stringMap;

import io.asyncbridge.schemas.task.TaskMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options of one entry of {@code providers} ({@code providers.<name>....}). Where a provider type starts from
 * another default than the one declared here, {@link ProviderPreset} says so.
 */
public final class ProviderOptions {

  private static final String P = "providers." + ConfigOption.PROVIDER_NAME + ".";

  /** The largest rate limit accepted, calls per second: beyond it a limit would not be one. */
  public static final double MAX_RATE_LIMIT = 1_000_000;

  public static final ConfigOption<ProviderType> TYPE = enumeration(P + "type", ProviderType.class, Optional.empty(),
      "acquia, cloud-elements, generic, http-lro or google-lro");
  public static final ConfigOption<URI> BASE_URL = httpUrl(P + "baseUrl", "the upstream API's base URL");
  public static final ConfigOption<TaskMode> MODE = enumeration(P + "mode", TaskMode.class, Optional.empty(),
      "poll or callback; the type's by default, required for generic");
  public static final ConfigOption<List<String>> ALLOWED_HOSTS =
      stringList(P + "allowedHosts", "more hosts the bridge may call besides the host of baseUrl");
  public static final ConfigOption<Boolean> ALLOW_PRIVATE_NETWORKS = bool(P + "allowPrivateNetworks", false,
      "let wildcard entries reach loopback, link-local and private addresses");
  public static final ConfigOption<Map<String, String>> REQUEST_HEADERS =
      stringMap(P + "requestHeaders", "headers sent on every call");
  public static final ConfigOption<Duration> DEFAULT_TIMEOUT = duration(P + "defaultTimeout", Duration.ofHours(1),
      Duration.ofSeconds(1), "a task's deadline when the request names none");
  public static final ConfigOption<Duration> MAX_TIMEOUT = duration(P + "maxTimeout", Duration.ofDays(7),
      Duration.ofSeconds(1), "the largest timeout a request may ask for");

  // acquia
  public static final ConfigOption<URI> TOKEN_URL = httpUrl(P + "tokenUrl",
      URI.create("https://accounts.acquia.com/api/auth/oauth/token"), "acquia: the OAuth2 token endpoint");
  public static final ConfigOption<String> CLIENT_ID = optionalString(P + "clientId", "acquia: the API key");
  public static final ConfigOption<Secret> CLIENT_SECRET = secret(P + "clientSecret", "acquia: the API secret");
  public static final ConfigOption<String> SCOPE = string(P + "scope", "", "acquia: the OAuth2 scope");
  public static final ConfigOption<Duration> TOKEN_REFRESH_BEFORE = duration(P + "tokenRefreshBefore",
      Duration.ofSeconds(30), Duration.ZERO, "acquia: how long before its expiry a token is refreshed");

  // cloud-elements
  public static final ConfigOption<Secret> AUTHORIZATION = secret(P + "authorization",
      "cloud-elements: the Authorization header, \"User <secret>, Element <secret>\"");
  public static final ConfigOption<List<Secret>> SIGNATURE_KEY = secretList(P + "signatureKey",
      "cloud-elements: the HMAC key of Elements-Webhook-Signature; a list rotates it");

  // generic, http-lro, google-lro
  public static final ConfigOption<String> AUTH_TYPE =
      string(P + "auth.type", "none", "none, header or oauth2-client-credentials");
  public static final ConfigOption<String> AUTH_HEADER =
      string(P + "auth.header", "Authorization", "header auth: the header's name");
  public static final ConfigOption<Secret> AUTH_VALUE = secret(P + "auth.value", "header auth: the header's value");
  public static final ConfigOption<URI> AUTH_TOKEN_URL = httpUrl(P + "auth.tokenUrl", "OAuth2: the token endpoint");
  public static final ConfigOption<String> AUTH_CLIENT_ID = optionalString(P + "auth.clientId", "OAuth2: the client id");
  public static final ConfigOption<Secret> AUTH_CLIENT_SECRET =
      secret(P + "auth.clientSecret", "OAuth2: the client secret");
  public static final ConfigOption<String> AUTH_SCOPE = string(P + "auth.scope", "", "OAuth2: the scope");
  public static final ConfigOption<Duration> AUTH_REFRESH_BEFORE = duration(P + "auth.refreshBefore",
      Duration.ofSeconds(30), Duration.ZERO, "OAuth2: how long before its expiry a token is refreshed");

  // where the accept answer of a poll provider carries the notification URL
  public static final ConfigOption<String> NOTIFICATION_LINK_POINTER = pointer(P + "notificationLinkPointer",
      "JSON pointer to the notification URL in the accept answer");
  public static final ConfigOption<List<String>> NOTIFICATION_LINK_HEADER = stringList(P + "notificationLinkHeader",
      "response headers that carry the notification URL, in order of preference");
  public static final ConfigOption<String> POLL_URL_TEMPLATE = string(P + "pollUrlTemplate", "{baseUrl}/{name}",
      "google-lro: the notification URL made from the operation's name");

  public static final ConfigOption<String> CANCEL_METHOD =
      string(P + "cancel.method", "POST", "generic poll: the cancel call's method");
  public static final ConfigOption<String> CANCEL_PATH = optionalString(P + "cancel.path",
      "generic poll: the cancel call's path, '{notificationUrl}...' or relative to baseUrl");

  public static final ConfigOption<String> STATUS_POINTER = pointer(P + "status.pointer", "where the status word is");
  public static final ConfigOption<String> STATUS_PROGRESS_POINTER =
      pointer(P + "status.progressPointer", "where a 0-100 progress estimate is");
  public static final ConfigOption<List<String>> STATUS_SUCCEEDED =
      stringList(P + "status.succeeded", "status words meaning success");
  public static final ConfigOption<List<String>> STATUS_FAILED =
      stringList(P + "status.failed", "status words meaning failure");
  public static final ConfigOption<List<String>> STATUS_RUNNING =
      stringList(P + "status.running", "status words meaning running");
  public static final ConfigOption<List<String>> STATUS_FAILED_WHEN_PRESENT =
      stringList(P + "status.failedWhenPresent", "pointers whose presence means the task failed");
  public static final ConfigOption<List<String>> STATUS_CANCELED =
      stringList(P + "status.canceled", "poll: status words meaning the upstream canceled the task");
  public static final ConfigOption<String> STATUS_ERROR_POINTER =
      pointer(P + "status.errorPointer", "poll: where the upstream's error object is");
  public static final ConfigOption<String> STATUS_DONE_POINTER =
      pointer(P + "status.donePointer", "poll: a boolean that decides instead of status words");
  public static final ConfigOption<String> STATUS_RESULT_POINTER =
      pointer(P + "status.resultPointer", "poll: what becomes the result on success");
  /** The {@code status} keys only the poller uses. */
  public static final List<ConfigOption<?>> POLL_ONLY_STATUS =
      List.of(STATUS_CANCELED, STATUS_ERROR_POINTER, STATUS_DONE_POINTER, STATUS_RESULT_POINTER);

  public static final ConfigOption<Duration> POLL_INITIAL_DELAY = duration(P + "poll.initialDelay",
      Duration.ofSeconds(2), Duration.ZERO, "the wait before the first poll");
  public static final ConfigOption<Duration> POLL_INITIAL_INTERVAL = duration(P + "poll.initialInterval",
      Duration.ofSeconds(5), Duration.ofMillis(10), "the first interval between polls");
  public static final ConfigOption<Double> POLL_MULTIPLIER =
      decimal(P + "poll.multiplier", 1.5, 1.0, 10.0, "the growth of the interval after each poll");
  public static final ConfigOption<Duration> POLL_MAX_INTERVAL = duration(P + "poll.maxInterval",
      Duration.ofSeconds(60), Duration.ofMillis(10), "the longest interval between polls");
  public static final ConfigOption<Double> POLL_JITTER =
      decimal(P + "poll.jitter", 0.2, 0.0, 1.0, "the random share of an interval");
  public static final ConfigOption<Boolean> POLL_HONOUR_RETRY_AFTER =
      bool(P + "poll.honourRetryAfter", true, "whether Retry-After sets the next poll's delay");
  public static final ConfigOption<Duration> POLL_NOT_FOUND_GRACE = duration(P + "poll.notFoundGrace",
      Duration.ofMinutes(10), Duration.ZERO, "how long a notification may answer 404 without a break");
  public static final ConfigOption<Duration> POLL_REQUEST_TIMEOUT = duration(P + "poll.requestTimeout",
      Duration.ofSeconds(30), Duration.ofMillis(10), "the timeout of one poll");
  public static final ConfigOption<Integer> POLL_CONCURRENCY =
      integer(P + "poll.concurrency", 512, 1, 100_000, "polls in flight per instance");
  public static final ConfigOption<Double> POLL_RATE_LIMIT = positiveDecimal(P + "poll.rateLimit", MAX_RATE_LIMIT,
      "polls per second of this provider, held by all poller instances together");

  public static final ConfigOption<Integer> DISPATCH_CONCURRENCY =
      integer(P + "dispatch.concurrency", 256, 1, 100_000, "starting calls in flight at once");
  public static final ConfigOption<Duration> DISPATCH_REQUEST_TIMEOUT = duration(P + "dispatch.requestTimeout",
      Duration.ofSeconds(30), Duration.ofMillis(10), "the timeout of one starting call");
  public static final ConfigOption<Integer> DISPATCH_MAX_ATTEMPTS =
      integer(P + "dispatch.maxAttempts", 6, 1, 1_000, "attempts of a starting call that fails retriably");
  public static final ConfigOption<Duration> DISPATCH_INITIAL_BACKOFF = duration(P + "dispatch.initialBackoff",
      Duration.ofSeconds(1), Duration.ZERO, "the first wait between attempts");
  public static final ConfigOption<Duration> DISPATCH_MAX_BACKOFF = duration(P + "dispatch.maxBackoff",
      Duration.ofSeconds(60), Duration.ZERO, "the longest wait between attempts");
  public static final ConfigOption<DispatchPolicy.UnknownOutcome> DISPATCH_ON_UNKNOWN_OUTCOME = enumeration(
      P + "dispatch.onUnknownOutcome", DispatchPolicy.UnknownOutcome.class,
      Optional.of(DispatchPolicy.UnknownOutcome.AUTO), "after a crash during a call: resend, fail or auto");
  public static final ConfigOption<String> DISPATCH_IDEMPOTENCY_KEY = optionalString(P + "dispatch.idempotencyKey",
      "a header carrying a key derived from the provider and the taskId");
  public static final ConfigOption<Double> DISPATCH_RATE_LIMIT = positiveDecimal(P + "dispatch.rateLimit",
      MAX_RATE_LIMIT, "starting calls per second to this provider, held by all ingest instances together");

  public static final ConfigOption<Map<String, String>> CALLBACK_REQUEST_HEADERS = stringMap(
      P + "callback.requestHeaders", "headers that tell the upstream where to call back ({callbackUrl})");
  public static final ConfigOption<String> CALLBACK_CORRELATION_ID_POINTER = pointer(
      P + "callback.correlationIdPointer", "the id shared by the accept answer and the webhook");
  public static final ConfigOption<SignatureRules.Scheme> SIGNATURE_SCHEME = enumeration(
      P + "callback.signature.scheme", SignatureRules.Scheme.class, Optional.of(SignatureRules.Scheme.NONE),
      "none, hmac-sha256 or standard-webhooks");
  /** The default when the scheme is hmac-sha256; the other schemes use no header of this name. */
  public static final ConfigOption<String> SIGNATURE_HEADER = string(P + "callback.signature.header", "X-Signature",
      "hmac-sha256: the signature header");
  public static final ConfigOption<String> SIGNATURE_PREFIX =
      string(P + "callback.signature.prefix", "", "hmac-sha256: text before the encoded digest");
  public static final ConfigOption<List<Secret>> SIGNATURE_SECRET = secretList(P + "callback.signature.secret",
      "the key webhooks are signed with; a list rotates it");
  public static final ConfigOption<Duration> SIGNATURE_TOLERANCE = duration(P + "callback.signature.tolerance",
      Duration.ofMinutes(5), Duration.ofSeconds(1), "standard-webhooks: the replay window");

  /** Every provider option. */
  public static final List<ConfigOption<?>> ALL = List.of(TYPE, BASE_URL, MODE, ALLOWED_HOSTS, ALLOW_PRIVATE_NETWORKS,
      REQUEST_HEADERS, DEFAULT_TIMEOUT, MAX_TIMEOUT, TOKEN_URL, CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_REFRESH_BEFORE,
      AUTHORIZATION, SIGNATURE_KEY, AUTH_TYPE, AUTH_HEADER, AUTH_VALUE, AUTH_TOKEN_URL, AUTH_CLIENT_ID,
      AUTH_CLIENT_SECRET, AUTH_SCOPE, AUTH_REFRESH_BEFORE, NOTIFICATION_LINK_POINTER, NOTIFICATION_LINK_HEADER,
      POLL_URL_TEMPLATE, CANCEL_METHOD, CANCEL_PATH, STATUS_POINTER, STATUS_PROGRESS_POINTER, STATUS_SUCCEEDED,
      STATUS_FAILED, STATUS_RUNNING, STATUS_FAILED_WHEN_PRESENT, STATUS_CANCELED, STATUS_ERROR_POINTER,
      STATUS_DONE_POINTER, STATUS_RESULT_POINTER, POLL_INITIAL_DELAY, POLL_INITIAL_INTERVAL, POLL_MULTIPLIER,
      POLL_MAX_INTERVAL, POLL_JITTER, POLL_HONOUR_RETRY_AFTER, POLL_NOT_FOUND_GRACE, POLL_REQUEST_TIMEOUT,
      POLL_CONCURRENCY, POLL_RATE_LIMIT, DISPATCH_CONCURRENCY, DISPATCH_REQUEST_TIMEOUT, DISPATCH_MAX_ATTEMPTS,
      DISPATCH_INITIAL_BACKOFF, DISPATCH_MAX_BACKOFF, DISPATCH_ON_UNKNOWN_OUTCOME, DISPATCH_IDEMPOTENCY_KEY,
      DISPATCH_RATE_LIMIT, CALLBACK_REQUEST_HEADERS, CALLBACK_CORRELATION_ID_POINTER, SIGNATURE_SCHEME,
      SIGNATURE_HEADER, SIGNATURE_PREFIX, SIGNATURE_SECRET, SIGNATURE_TOLERANCE);

  private ProviderOptions() {
  }
}
