package io.asyncbridge.core.config;

import io.asyncbridge.schemas.task.TaskMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one entry of {@code providers}: the built-in types supply defaults for every rule, and a {@code generic}
 * provider must declare them. Any rule of a built-in type can still be overridden key by key.
 */
final class ProviderConfigReader {

  /** An HTTP header name: a token (RFC 9110). */
  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

  /** The largest {@code rateLimit} accepted, calls per second: beyond it a limit would not be one. */
  static final double MAX_RATE_LIMIT = 1_000_000;

  static final URI ACQUIA_TOKEN_URL = URI.create("https://accounts.acquia.com/api/auth/oauth/token");

  private final ConfigNode node;
  private final String name;

  ProviderConfigReader(ConfigNode node, String name) {
    this.node = node;
    this.name = name;
  }

  Optional<ProviderConfig> read() {
    Optional<String> typeWord = node.requiredString("type",
        "one of acquia, cloud-elements, generic, http-lro, google-lro");
    ProviderType type = typeWord.isEmpty() ? null : node.enumValue("type", ProviderType.class, null);
    Optional<URI> baseUrl = node.requiredHttpUrl("baseUrl", "the upstream API's base URL");
    if (type == null) {
      return Optional.empty(); // the problem is reported; reading further would only add noise
    }
    TaskMode mode = node.enumValue("mode", TaskMode.class, defaultMode(type));
    if (type == ProviderType.GENERIC && !node.has("mode")) {
      node.problem("mode", "is required for a generic provider (poll or callback)");
    }
    if (type.isLongRunningOperation() && mode != TaskMode.POLL) {
      node.problem("mode", "a " + typeName(type) + " provider is polled; mode must be poll (or left out)");
      mode = TaskMode.POLL;
    }
    UpstreamAuth auth = auth(type);
    List<String> allowedHosts = allowedHosts(baseUrl);
    boolean allowPrivate = node.bool("allowPrivateNetworks", false);
    Map<String, String> headers = node.stringMap("requestHeaders", false);
    rejectAuthHeaders(headers);
    Duration defaultTimeout = node.duration("defaultTimeout", type == ProviderType.CLOUD_ELEMENTS
        ? Duration.ofHours(24) : Duration.ofHours(1), Duration.ofSeconds(1));
    Duration maxTimeout = node.duration("maxTimeout", Duration.ofDays(7), Duration.ofSeconds(1));
    if (defaultTimeout.compareTo(maxTimeout) > 0) {
      node.problem("defaultTimeout", "is longer than maxTimeout (" + maxTimeout + ")");
    }
    DispatchPolicy dispatch = dispatch(node.child("dispatch"));
    NotificationLinks links = mode == TaskMode.POLL
        ? new NotificationLinkReader(node, type, baseUrl).read()
        : NotificationLinks.NONE;
    StatusRules status = status(node.child("status"), type, mode);
    PollPolicy poll = poll(node.child("poll"));
    Optional<CallbackRules> callback = mode == TaskMode.CALLBACK ? Optional.of(callback(type)) : Optional.empty();
    Optional<CancelCall> cancel = node.has("cancel") ? cancel(node.child("cancel"), type, mode) : Optional.empty();
    node.rejectUnknownKeys();
    if (baseUrl.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ProviderConfig(name, type, mode, baseUrl.get(), allowedHosts, allowPrivate, auth, headers,
        defaultTimeout, maxTimeout, dispatch, links.bodyPointer(), links.headers(), links.pollUrlTemplate(), status,
        poll, callback, cancel));
  }

  private static final Set<String> CANCEL_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** {@code cancel: {method, path}}: a generic poll-mode provider's cancel call. */
  private Optional<CancelCall> cancel(ConfigNode cancel, ProviderType type, TaskMode mode) {
    String method = cancel.string("method", "POST").trim().toUpperCase(Locale.ROOT);
    Optional<String> path = cancel.requiredString("path", "'{notificationUrl}:cancel', or a path relative to baseUrl");
    cancel.rejectUnknownKeys();
    if (type != ProviderType.GENERIC) {
      node.problem("cancel", "only a generic provider takes a cancel template (google-lro's is built in; acquia and"
          + " cloud-elements have none)");
      return Optional.empty();
    }
    if (mode != TaskMode.POLL) {
      node.problem("cancel", "cancel calls are made for poll-mode providers only");
      return Optional.empty();
    }
    if (!CANCEL_METHODS.contains(method)) {
      cancel.problem("method", "'" + method + "' is not one of [POST, PUT, PATCH, DELETE]");
    }
    if (path.isEmpty()) {
      return Optional.empty();
    }
    String template = path.get().trim();
    java.util.regex.Matcher placeholder = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(template);
    while (placeholder.find()) {
      if (!("{" + placeholder.group(1) + "}").equals(CancelCall.NOTIFICATION_URL)) {
        cancel.problem("path", "'{" + placeholder.group(1) + "}' is not a placeholder of a poll-mode cancel"
            + " (use {notificationUrl})");
        return Optional.empty();
      }
    }
    if (template.contains(CancelCall.NOTIFICATION_URL) && !template.startsWith(CancelCall.NOTIFICATION_URL)) {
      cancel.problem("path", "'" + template + "': {notificationUrl} is a whole URL; it can only start the path");
      return Optional.empty();
    }
    if (template.contains("..") || template.startsWith("//") || template.matches("(?i)^[a-z][a-z0-9+.-]*:.*")) {
      cancel.problem("path", "'" + template + "' must be relative to baseUrl or start with {notificationUrl}");
      return Optional.empty();
    }
    return Optional.of(new CancelCall(method, template));
  }

  static String typeName(ProviderType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static TaskMode defaultMode(ProviderType type) {
    return type == ProviderType.CLOUD_ELEMENTS ? TaskMode.CALLBACK : TaskMode.POLL;
  }

  private UpstreamAuth auth(ProviderType type) {
    switch (type) {
      case ACQUIA: {
        URI tokenUrl = node.optionalHttpUrl("tokenUrl").orElse(ACQUIA_TOKEN_URL);
        Optional<String> clientId = node.requiredString("clientId", "the Acquia API key");
        Optional<Secret> clientSecret = node.requiredSecret("clientSecret", "the Acquia API secret");
        String scope = node.string("scope", "");
        Duration refreshBefore = node.duration("tokenRefreshBefore", Duration.ofSeconds(30), Duration.ZERO);
        return new UpstreamAuth.OAuth2ClientCredentials(tokenUrl, clientId.orElse(""),
            clientSecret.orElse(Secret.of("")), scope, refreshBefore);
      }
      case CLOUD_ELEMENTS: {
        Optional<Secret> authorization = node.requiredSecret("authorization", "\"User <secret>, Element <secret>\"");
        return new UpstreamAuth.StaticHeader("Authorization", authorization.orElse(Secret.of("")));
      }
      default:
        return genericAuth(node.child("auth"));
    }
  }

  private UpstreamAuth genericAuth(ConfigNode auth) {
    String kind = auth.string("type", "none").toLowerCase(Locale.ROOT);
    UpstreamAuth result;
    switch (kind) {
      case "none":
        result = new UpstreamAuth.None();
        break;
      case "header":
        result = new UpstreamAuth.StaticHeader(auth.string("header", "Authorization"),
            auth.requiredSecret("value", "the header's value").orElse(Secret.of("")));
        break;
      case "oauth2-client-credentials":
        result = new UpstreamAuth.OAuth2ClientCredentials(
            auth.requiredHttpUrl("tokenUrl", "the OAuth2 token endpoint").orElse(ACQUIA_TOKEN_URL),
            auth.requiredString("clientId", "").orElse(""),
            auth.requiredSecret("clientSecret", "").orElse(Secret.of("")),
            auth.string("scope", ""),
            auth.duration("refreshBefore", Duration.ofSeconds(30), Duration.ZERO));
        break;
      default:
        auth.problem("type", "'" + kind + "' is not one of [none, header, oauth2-client-credentials]");
        result = new UpstreamAuth.None();
    }
    auth.rejectUnknownKeys();
    return result;
  }

  private List<String> allowedHosts(Optional<URI> baseUrl) {
    Set<String> hosts = new LinkedHashSet<>();
    baseUrl.map(URI::getHost).map(host -> host.toLowerCase(Locale.ROOT)).ifPresent(hosts::add);
    for (String host : node.stringList("allowedHosts", List.of())) {
      String normalized = host.trim().toLowerCase(Locale.ROOT);
      if (!normalized.equals("*") && (!normalized.matches("(\\*\\.)?[a-z0-9.:\\[\\]_-]+") || normalized.contains("/"))) {
        node.problem("allowedHosts", "'" + host + "' is not a host name (write cloud.acquia.com or *.acquia.com, no scheme or path)");
      } else {
        hosts.add(normalized);
      }
    }
    return new ArrayList<>(hosts);
  }

  private void rejectAuthHeaders(Map<String, String> headers) {
    for (String header : headers.keySet()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization") || lower.equals("host") || lower.startsWith("elements-async")) {
        node.problem("requestHeaders", "'" + header + "' is set by the bridge and cannot be configured here");
      }
    }
  }

  private static DispatchPolicy dispatch(ConfigNode node) {
    DispatchPolicy policy = new DispatchPolicy(
        node.integer("concurrency", 256, 1, 100_000),
        node.duration("requestTimeout", Duration.ofSeconds(30), Duration.ofMillis(10)),
        node.integer("maxAttempts", 6, 1, 1_000),
        node.duration("initialBackoff", Duration.ofSeconds(1), Duration.ZERO),
        node.duration("maxBackoff", Duration.ofSeconds(60), Duration.ZERO),
        node.enumValue("onUnknownOutcome", DispatchPolicy.UnknownOutcome.class, DispatchPolicy.UnknownOutcome.AUTO),
        node.optionalString("idempotencyKey"),
        node.positiveDecimal("rateLimit", MAX_RATE_LIMIT));
    policy.idempotencyKey().ifPresent(header -> {
      String lower = header.toLowerCase(Locale.ROOT);
      if (!HEADER_NAME.matcher(header).matches()) {
        node.problem("idempotencyKey", "'" + header + "' is not an HTTP header name");
      } else if (lower.equals("authorization") || lower.equals("host") || lower.equals("content-type")
          || lower.equals("content-length") || lower.startsWith("elements-async")) {
        node.problem("idempotencyKey", "'" + header + "' is set by the bridge for another purpose");
      }
    });
    node.rejectUnknownKeys();
    return policy;
  }

  private static PollPolicy poll(ConfigNode node) {
    PollPolicy policy = new PollPolicy(
        node.duration("initialDelay", Duration.ofSeconds(2), Duration.ZERO),
        node.duration("initialInterval", Duration.ofSeconds(5), Duration.ofMillis(10)),
        node.decimal("multiplier", 1.5, 1.0, 10.0),
        node.duration("maxInterval", Duration.ofSeconds(60), Duration.ofMillis(10)),
        node.decimal("jitter", 0.2, 0.0, 1.0),
        node.bool("honourRetryAfter", true),
        node.duration("notFoundGrace", Duration.ofMinutes(10), Duration.ZERO),
        node.duration("requestTimeout", Duration.ofSeconds(30), Duration.ofMillis(10)),
        node.integer("concurrency", 512, 1, 100_000),
        node.positiveDecimal("rateLimit", MAX_RATE_LIMIT));
    if (policy.initialInterval().compareTo(policy.maxInterval()) > 0) {
      node.problem("initialInterval", "is longer than maxInterval (" + policy.maxInterval() + ")");
    }
    node.rejectUnknownKeys();
    return policy;
  }

  private static StatusRules status(ConfigNode node, ProviderType type, TaskMode mode) {
    StatusRules defaults = StatusDefaults.of(type);
    List<String> failedWhenPresent = node.stringList("failedWhenPresent", defaults.failedWhenPresent());
    for (String pointer : failedWhenPresent) {
      if (!pointer.startsWith("/")) {
        node.problem("failedWhenPresent", "'" + pointer + "' is not a JSON pointer (it starts with '/')");
      }
    }
    StatusRules words = new StatusRules(
        pointer(node, "pointer", defaults.statusPointer()).orElse(""),
        pointer(node, "progressPointer", defaults.progressPointer()).orElse(""),
        Set.copyOf(node.stringList("succeeded", List.copyOf(defaults.succeeded()))),
        Set.copyOf(node.stringList("failed", List.copyOf(defaults.failed()))),
        Set.copyOf(node.stringList("running", List.copyOf(defaults.running()))),
        failedWhenPresent);
    StatusRules rules = mode == TaskMode.POLL ? withOperationRules(node, words, defaults) : words;
    if (mode == TaskMode.CALLBACK) {
      for (String key : StatusDefaults.POLL_ONLY_KEYS) {
        if (node.has(key)) {
          node.stringList(key, List.of()); // known, only misplaced: one problem, not also "unknown key"
          node.problem(key, "is used by poll providers only");
        }
      }
    }
    if (type == ProviderType.GENERIC && rules.succeeded().isEmpty() && rules.failed().isEmpty()
        && rules.failedWhenPresent().isEmpty() && !rules.decidesByDoneFlag()) {
      node.problem("succeeded", "is required for a generic provider: the status words that mean success"
          + " (or donePointer, for operations that say done: true)");
    }
    node.rejectUnknownKeys();
    return rules;
  }

  /** The keys of long-running operations: canceled words, the error object, the done flag and the result. */
  private static StatusRules withOperationRules(ConfigNode node, StatusRules words, StatusRules defaults) {
    return new StatusRules(words.statusPointer(), words.progressPointer(), words.succeeded(), words.failed(),
        words.running(), words.failedWhenPresent(),
        Set.copyOf(node.stringList("canceled", List.copyOf(defaults.canceled()))),
        pointer(node, "errorPointer", defaults.errorPointer()).orElse(""),
        pointer(node, "donePointer", defaults.donePointer()).orElse(""),
        pointer(node, "resultPointer", defaults.resultPointer()).orElse(""),
        defaults.finalWithoutStatus());
  }

  private CallbackRules callback(ProviderType type) {
    ConfigNode callback = node.child("callback");
    Map<String, String> defaultHeaders = type == ProviderType.CLOUD_ELEMENTS
        ? Map.of("Elements-Async-Request", "True", "Elements-Async-Callback-Url", CallbackRules.CALLBACK_URL_PLACEHOLDER)
        : Map.of();
    Map<String, String> headers = new LinkedHashMap<>(callback.stringMap("requestHeaders", false));
    if (headers.isEmpty()) {
      headers.putAll(defaultHeaders);
    }
    if (!headers.containsValue(CallbackRules.CALLBACK_URL_PLACEHOLDER)) {
      callback.problem("requestHeaders", "no header carries " + CallbackRules.CALLBACK_URL_PLACEHOLDER
          + ": the upstream would not know where to call back");
    }
    String correlation = pointer(callback, "correlationIdPointer",
        type == ProviderType.CLOUD_ELEMENTS ? "/eventId" : "").orElse("");
    SignatureRules signature = signature(type, callback);
    callback.rejectUnknownKeys();
    return new CallbackRules(headers, correlation, signature);
  }

  private SignatureRules signature(ProviderType type, ConfigNode callback) {
    if (type == ProviderType.CLOUD_ELEMENTS) {
      // The seed's hash verification: Elements-Webhook-Signature: sha256=<base64 HMAC-SHA256 of the raw body>.
      List<Secret> keys = node.secretList("signatureKey");
      return keys.isEmpty()
          ? SignatureRules.none()
          : new SignatureRules(SignatureRules.Scheme.HMAC_SHA256, "Elements-Webhook-Signature", "sha256=", keys,
              Duration.ofMinutes(5));
    }
    ConfigNode signature = callback.child("signature");
    SignatureRules.Scheme scheme = signature.enumValue("scheme", SignatureRules.Scheme.class, SignatureRules.Scheme.NONE);
    List<Secret> keys = signature.secretList("secret");
    if (scheme != SignatureRules.Scheme.NONE && keys.isEmpty() && !signature.hasProblemAt("secret")) {
      signature.problem("secret", "is required (the key webhooks are signed with)");
    }
    for (int i = 0; i < keys.size(); i++) {
      if (scheme == SignatureRules.Scheme.STANDARD_WEBHOOKS && !isUsableWebhookSecret(keys.get(i))) {
        // Never quote the value: it is a secret, whatever is wrong with it.
        signature.problem(keys.size() == 1 ? "secret" : "secret[" + i + "]",
            "a whsec_ secret must be the prefix followed by a non-empty base64 key");
      }
    }
    SignatureRules rules = new SignatureRules(scheme,
        signature.string("header", scheme == SignatureRules.Scheme.HMAC_SHA256 ? "X-Signature" : ""),
        signature.string("prefix", ""),
        keys,
        signature.duration("tolerance", Duration.ofMinutes(5), Duration.ofSeconds(1)));
    signature.rejectUnknownKeys();
    return rules;
  }

  private static boolean isUsableWebhookSecret(Secret secret) {
    String value = secret.reveal();
    if (!value.startsWith("whsec_")) {
      return true; // a raw key, used as its bytes
    }
    try {
      return java.util.Base64.getDecoder().decode(value.substring("whsec_".length())).length > 0;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  /** A JSON pointer option; the empty string means "not used". */
  static Optional<String> pointer(ConfigNode node, String key, String defaultPointer) {
    String value = node.string(key, defaultPointer);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.startsWith("/")) {
      node.problem(key, "'" + value + "' is not a JSON pointer (it starts with '/', e.g. /_links/notification/href)");
      return Optional.empty();
    }
    return Optional.of(value);
  }
}
