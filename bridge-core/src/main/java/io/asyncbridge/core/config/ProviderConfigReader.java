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
 * Reads one entry of {@code providers} through its declarations ({@link ProviderOptions}): the built-in types supply
 * defaults for every rule ({@link ProviderPreset}), and a {@code generic} provider must declare them. Any rule of a
 * built-in type can still be overridden key by key.
 */
final class ProviderConfigReader {

  /** An HTTP header name: a token (RFC 9110). */
  private static final java.util.regex.Pattern HEADER_NAME =
      java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

  private final ConfigNode node;
  private final String name;

  ProviderConfigReader(ConfigNode node, String name) {
    this.node = node;
    this.name = name;
  }

  Optional<ProviderConfig> read() {
    ProviderType type = node.requiredEnum(ProviderOptions.TYPE,
        "one of acquia, cloud-elements, generic, http-lro, google-lro").orElse(null);
    Optional<URI> baseUrl = node.requiredHttpUrl(ProviderOptions.BASE_URL, "the upstream API's base URL");
    if (type == null) {
      return Optional.empty(); // the problem is reported; reading further would only add noise
    }
    ProviderPreset preset = ProviderPreset.of(type);
    TaskMode mode = node.enumValue(ProviderOptions.MODE, preset.mode().orElse(TaskMode.POLL));
    if (preset.mode().isEmpty() && !node.has(ProviderOptions.MODE)) {
      node.problem(ProviderOptions.MODE, "is required for a generic provider (poll or callback)");
    }
    if (type.isLongRunningOperation() && mode != TaskMode.POLL) {
      node.problem(ProviderOptions.MODE, "a " + typeName(type) + " provider is polled; mode must be poll (or left out)");
      mode = TaskMode.POLL;
    }
    UpstreamAuth auth = auth(preset);
    List<String> allowedHosts = allowedHosts(baseUrl);
    boolean allowPrivate = node.bool(ProviderOptions.ALLOW_PRIVATE_NETWORKS);
    Map<String, String> headers = node.stringMap(ProviderOptions.REQUEST_HEADERS);
    rejectAuthHeaders(headers);
    Duration defaultTimeout = preset.defaultTimeout()
        .map(presetDefault -> node.duration(ProviderOptions.DEFAULT_TIMEOUT, presetDefault))
        .orElseGet(() -> node.duration(ProviderOptions.DEFAULT_TIMEOUT));
    Duration maxTimeout = node.duration(ProviderOptions.MAX_TIMEOUT);
    if (defaultTimeout.compareTo(maxTimeout) > 0) {
      node.problem(ProviderOptions.DEFAULT_TIMEOUT, "is longer than maxTimeout (" + maxTimeout + ")");
    }
    DispatchPolicy dispatch = dispatch(node.child("dispatch"));
    NotificationLinks links = mode == TaskMode.POLL
        ? new NotificationLinkReader(node, preset, baseUrl).read()
        : NotificationLinks.NONE;
    StatusRules status = status(node.child("status"), preset, mode);
    PollPolicy poll = poll(node.child("poll"));
    Optional<CallbackRules> callback = mode == TaskMode.CALLBACK ? Optional.of(callback(preset)) : Optional.empty();
    Optional<CancelCall> cancel = node.has("cancel") ? cancel(node.child("cancel"), preset, mode) : Optional.empty();
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
  private Optional<CancelCall> cancel(ConfigNode cancel, ProviderPreset preset, TaskMode mode) {
    String method = cancel.string(ProviderOptions.CANCEL_METHOD).trim().toUpperCase(Locale.ROOT);
    Optional<String> path = cancel.requiredString(ProviderOptions.CANCEL_PATH,
        "'{notificationUrl}:cancel', or a path relative to baseUrl");
    cancel.rejectUnknownKeys();
    if (!preset.cancelTemplate()) {
      node.problem("cancel", "only a generic provider takes a cancel template (google-lro's is built in; acquia and"
          + " cloud-elements have none)");
      return Optional.empty();
    }
    if (mode != TaskMode.POLL) {
      node.problem("cancel", "cancel calls are made for poll-mode providers only");
      return Optional.empty();
    }
    if (!CANCEL_METHODS.contains(method)) {
      cancel.problem(ProviderOptions.CANCEL_METHOD, "'" + method + "' is not one of [POST, PUT, PATCH, DELETE]");
    }
    if (path.isEmpty()) {
      return Optional.empty();
    }
    String template = path.get().trim();
    java.util.regex.Matcher placeholder = java.util.regex.Pattern.compile("\\{([^}]*)}").matcher(template);
    while (placeholder.find()) {
      if (!("{" + placeholder.group(1) + "}").equals(CancelCall.NOTIFICATION_URL)) {
        cancel.problem(ProviderOptions.CANCEL_PATH, "'{" + placeholder.group(1) + "}' is not a placeholder of a"
            + " poll-mode cancel (use {notificationUrl})");
        return Optional.empty();
      }
    }
    if (template.contains(CancelCall.NOTIFICATION_URL) && !template.startsWith(CancelCall.NOTIFICATION_URL)) {
      cancel.problem(ProviderOptions.CANCEL_PATH, "'" + template
          + "': {notificationUrl} is a whole URL; it can only start the path");
      return Optional.empty();
    }
    if (template.contains("..") || template.startsWith("//") || template.matches("(?i)^[a-z][a-z0-9+.-]*:.*")) {
      cancel.problem(ProviderOptions.CANCEL_PATH, "'" + template
          + "' must be relative to baseUrl or start with {notificationUrl}");
      return Optional.empty();
    }
    return Optional.of(new CancelCall(method, template));
  }

  static String typeName(ProviderType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private UpstreamAuth auth(ProviderPreset preset) {
    switch (preset.auth()) {
      case ACQUIA_CLIENT_CREDENTIALS: {
        URI tokenUrl = node.httpUrl(ProviderOptions.TOKEN_URL).orElseThrow();
        Optional<String> clientId = node.requiredString(ProviderOptions.CLIENT_ID, "the Acquia API key");
        Optional<Secret> clientSecret = node.requiredSecret(ProviderOptions.CLIENT_SECRET, "the Acquia API secret");
        String scope = node.string(ProviderOptions.SCOPE);
        Duration refreshBefore = node.duration(ProviderOptions.TOKEN_REFRESH_BEFORE);
        return new UpstreamAuth.OAuth2ClientCredentials(tokenUrl, clientId.orElse(""),
            clientSecret.orElse(Secret.of("")), scope, refreshBefore);
      }
      case CLOUD_ELEMENTS_AUTHORIZATION: {
        Optional<Secret> authorization = node.requiredSecret(ProviderOptions.AUTHORIZATION,
            "\"User <secret>, Element <secret>\"");
        return new UpstreamAuth.StaticHeader("Authorization", authorization.orElse(Secret.of("")));
      }
      default:
        return configuredAuth(node.child("auth"));
    }
  }

  private UpstreamAuth configuredAuth(ConfigNode auth) {
    String kind = auth.string(ProviderOptions.AUTH_TYPE).toLowerCase(Locale.ROOT);
    UpstreamAuth result;
    switch (kind) {
      case "none":
        result = new UpstreamAuth.None();
        break;
      case "header":
        result = new UpstreamAuth.StaticHeader(auth.string(ProviderOptions.AUTH_HEADER),
            auth.requiredSecret(ProviderOptions.AUTH_VALUE, "the header's value").orElse(Secret.of("")));
        break;
      case "oauth2-client-credentials":
        result = new UpstreamAuth.OAuth2ClientCredentials(
            // The placeholder URL is never called: a missing tokenUrl is a problem and the configuration is refused.
            auth.requiredHttpUrl(ProviderOptions.AUTH_TOKEN_URL, "the OAuth2 token endpoint")
                .orElse(ProviderOptions.TOKEN_URL.defaultValue().orElseThrow()),
            auth.requiredString(ProviderOptions.AUTH_CLIENT_ID, "").orElse(""),
            auth.requiredSecret(ProviderOptions.AUTH_CLIENT_SECRET, "").orElse(Secret.of("")),
            auth.string(ProviderOptions.AUTH_SCOPE),
            auth.duration(ProviderOptions.AUTH_REFRESH_BEFORE));
        break;
      default:
        auth.problem(ProviderOptions.AUTH_TYPE, "'" + kind + "' is not one of [none, header, oauth2-client-credentials]");
        result = new UpstreamAuth.None();
    }
    auth.rejectUnknownKeys();
    return result;
  }

  private List<String> allowedHosts(Optional<URI> baseUrl) {
    Set<String> hosts = new LinkedHashSet<>();
    baseUrl.map(URI::getHost).map(host -> host.toLowerCase(Locale.ROOT)).ifPresent(hosts::add);
    for (String host : node.stringList(ProviderOptions.ALLOWED_HOSTS)) {
      String normalized = host.trim().toLowerCase(Locale.ROOT);
      if (!normalized.equals("*") && (!normalized.matches("(\\*\\.)?[a-z0-9.:\\[\\]_-]+") || normalized.contains("/"))) {
        node.problem(ProviderOptions.ALLOWED_HOSTS, "'" + host
            + "' is not a host name (write cloud.acquia.com or *.acquia.com, no scheme or path)");
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
        node.problem(ProviderOptions.REQUEST_HEADERS, "'" + header
            + "' is set by the bridge and cannot be configured here");
      }
    }
  }

  private static DispatchPolicy dispatch(ConfigNode node) {
    DispatchPolicy policy = new DispatchPolicy(
        node.integer(ProviderOptions.DISPATCH_CONCURRENCY),
        node.duration(ProviderOptions.DISPATCH_REQUEST_TIMEOUT),
        node.integer(ProviderOptions.DISPATCH_MAX_ATTEMPTS),
        node.duration(ProviderOptions.DISPATCH_INITIAL_BACKOFF),
        node.duration(ProviderOptions.DISPATCH_MAX_BACKOFF),
        node.enumValue(ProviderOptions.DISPATCH_ON_UNKNOWN_OUTCOME),
        node.optionalString(ProviderOptions.DISPATCH_IDEMPOTENCY_KEY),
        node.positiveDecimal(ProviderOptions.DISPATCH_RATE_LIMIT));
    policy.idempotencyKey().ifPresent(header -> {
      String lower = header.toLowerCase(Locale.ROOT);
      if (!HEADER_NAME.matcher(header).matches()) {
        node.problem(ProviderOptions.DISPATCH_IDEMPOTENCY_KEY, "'" + header + "' is not an HTTP header name");
      } else if (lower.equals("authorization") || lower.equals("host") || lower.equals("content-type")
          || lower.equals("content-length") || lower.startsWith("elements-async")) {
        node.problem(ProviderOptions.DISPATCH_IDEMPOTENCY_KEY, "'" + header + "' is set by the bridge for another purpose");
      }
    });
    node.rejectUnknownKeys();
    return policy;
  }

  private static PollPolicy poll(ConfigNode node) {
    PollPolicy policy = new PollPolicy(
        node.duration(ProviderOptions.POLL_INITIAL_DELAY),
        node.duration(ProviderOptions.POLL_INITIAL_INTERVAL),
        node.decimal(ProviderOptions.POLL_MULTIPLIER),
        node.duration(ProviderOptions.POLL_MAX_INTERVAL),
        node.decimal(ProviderOptions.POLL_JITTER),
        node.bool(ProviderOptions.POLL_HONOUR_RETRY_AFTER),
        node.duration(ProviderOptions.POLL_NOT_FOUND_GRACE),
        node.duration(ProviderOptions.POLL_REQUEST_TIMEOUT),
        node.integer(ProviderOptions.POLL_CONCURRENCY),
        node.positiveDecimal(ProviderOptions.POLL_RATE_LIMIT));
    if (policy.initialInterval().compareTo(policy.maxInterval()) > 0) {
      node.problem(ProviderOptions.POLL_INITIAL_INTERVAL, "is longer than maxInterval (" + policy.maxInterval() + ")");
    }
    node.rejectUnknownKeys();
    return policy;
  }

  private static StatusRules status(ConfigNode node, ProviderPreset preset, TaskMode mode) {
    StatusRules defaults = preset.status();
    List<String> failedWhenPresent = node.stringList(ProviderOptions.STATUS_FAILED_WHEN_PRESENT,
        defaults.failedWhenPresent());
    for (String pointer : failedWhenPresent) {
      if (!pointer.startsWith("/")) {
        node.problem(ProviderOptions.STATUS_FAILED_WHEN_PRESENT, "'" + pointer
            + "' is not a JSON pointer (it starts with '/')");
      }
    }
    StatusRules words = new StatusRules(
        node.pointer(ProviderOptions.STATUS_POINTER, defaults.statusPointer()).orElse(""),
        node.pointer(ProviderOptions.STATUS_PROGRESS_POINTER, defaults.progressPointer()).orElse(""),
        Set.copyOf(node.stringList(ProviderOptions.STATUS_SUCCEEDED, List.copyOf(defaults.succeeded()))),
        Set.copyOf(node.stringList(ProviderOptions.STATUS_FAILED, List.copyOf(defaults.failed()))),
        Set.copyOf(node.stringList(ProviderOptions.STATUS_RUNNING, List.copyOf(defaults.running()))),
        failedWhenPresent);
    StatusRules rules = mode == TaskMode.POLL ? withOperationRules(node, words, defaults) : words;
    if (mode == TaskMode.CALLBACK) {
      for (ConfigOption<?> option : ProviderOptions.POLL_ONLY_STATUS) {
        if (node.has(option)) {
          node.known(option); // known, only misplaced: one problem, not also "unknown key"
          node.problem(option, "is used by poll providers only");
        }
      }
    }
    if (preset.type() == ProviderType.GENERIC && rules.succeeded().isEmpty() && rules.failed().isEmpty()
        && rules.failedWhenPresent().isEmpty() && !rules.decidesByDoneFlag()) {
      node.problem(ProviderOptions.STATUS_SUCCEEDED, "is required for a generic provider: the status words that mean"
          + " success (or donePointer, for operations that say done: true)");
    }
    node.rejectUnknownKeys();
    return rules;
  }

  /** The keys of long-running operations: canceled words, the error object, the done flag and the result. */
  private static StatusRules withOperationRules(ConfigNode node, StatusRules words, StatusRules defaults) {
    return new StatusRules(words.statusPointer(), words.progressPointer(), words.succeeded(), words.failed(),
        words.running(), words.failedWhenPresent(),
        Set.copyOf(node.stringList(ProviderOptions.STATUS_CANCELED, List.copyOf(defaults.canceled()))),
        node.pointer(ProviderOptions.STATUS_ERROR_POINTER, defaults.errorPointer()).orElse(""),
        node.pointer(ProviderOptions.STATUS_DONE_POINTER, defaults.donePointer()).orElse(""),
        node.pointer(ProviderOptions.STATUS_RESULT_POINTER, defaults.resultPointer()).orElse(""),
        defaults.finalWithoutStatus());
  }

  private CallbackRules callback(ProviderPreset preset) {
    ConfigNode callback = node.child("callback");
    Map<String, String> headers = new LinkedHashMap<>(callback.stringMap(ProviderOptions.CALLBACK_REQUEST_HEADERS));
    if (headers.isEmpty()) {
      headers.putAll(preset.callbackHeaders());
    }
    if (!headers.containsValue(CallbackRules.CALLBACK_URL_PLACEHOLDER)) {
      callback.problem(ProviderOptions.CALLBACK_REQUEST_HEADERS, "no header carries "
          + CallbackRules.CALLBACK_URL_PLACEHOLDER + ": the upstream would not know where to call back");
    }
    String correlation = callback.pointer(ProviderOptions.CALLBACK_CORRELATION_ID_POINTER,
        preset.correlationIdPointer()).orElse("");
    SignatureRules signature = signature(preset, callback);
    callback.rejectUnknownKeys();
    return new CallbackRules(headers, correlation, signature);
  }

  private SignatureRules signature(ProviderPreset preset, ConfigNode callback) {
    if (preset.signature().isPresent()) {
      SignatureRules fixed = preset.signature().get();
      List<Secret> keys = node.secretList(ProviderOptions.SIGNATURE_KEY);
      return keys.isEmpty()
          ? SignatureRules.none()
          : new SignatureRules(fixed.scheme(), fixed.header(), fixed.prefix(), keys, fixed.tolerance());
    }
    ConfigNode signature = callback.child("signature");
    SignatureRules.Scheme scheme = signature.enumValue(ProviderOptions.SIGNATURE_SCHEME);
    List<Secret> keys = signature.secretList(ProviderOptions.SIGNATURE_SECRET);
    if (scheme != SignatureRules.Scheme.NONE && keys.isEmpty() && !signature.hasProblemAt("secret")) {
      signature.problem(ProviderOptions.SIGNATURE_SECRET, "is required (the key webhooks are signed with)");
    }
    for (int i = 0; i < keys.size(); i++) {
      if (scheme == SignatureRules.Scheme.STANDARD_WEBHOOKS && !isUsableWebhookSecret(keys.get(i))) {
        // Never quote the value: it is a secret, whatever is wrong with it.
        signature.problem(keys.size() == 1 ? "secret" : "secret[" + i + "]",
            "a whsec_ secret must be the prefix followed by a non-empty base64 key");
      }
    }
    SignatureRules rules = new SignatureRules(scheme,
        scheme == SignatureRules.Scheme.HMAC_SHA256
            ? signature.string(ProviderOptions.SIGNATURE_HEADER)
            : signature.string(ProviderOptions.SIGNATURE_HEADER, ""),
        signature.string(ProviderOptions.SIGNATURE_PREFIX),
        keys,
        signature.duration(ProviderOptions.SIGNATURE_TOLERANCE));
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
}
