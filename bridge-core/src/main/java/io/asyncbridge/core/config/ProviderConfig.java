package io.asyncbridge.core.config;

import io.asyncbridge.schemas.task.TaskMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One upstream API, with every rule the services need already normalized: the built-in types
 * ({@code acquia}, {@code cloud-elements}, {@code http-lro}, {@code google-lro}) fill the same fields that a {@code generic} provider declares.
 *
 * @param allowedHosts hosts the bridge may call for this provider (exact names or {@code *.suffix}); the host of
 *     {@code baseUrl} is always included
 * @param allowPrivateNetworks whether hosts matched only by a wildcard may be loopback, link-local or private
 *     addresses (hosts listed exactly, like a baseUrl pointing at a local simulator, are allowed either way)
 * @param requestHeaders extra headers sent on every call to this provider
 * @param notificationLinkPointer poll mode: JSON pointer to the notification URL in the upstream's answer
 * @param notificationLinkHeaders poll mode: response headers that carry the notification URL, in order of preference
 *     (the first one present wins, before the body pointer); a relative link is resolved against the request URL
 * @param pollUrlTemplate poll mode ({@code google-lro}): the notification URL made from the operation's name, with
 *     {@code {baseUrl}} and {@code {name}} replaced
 * @param defaultTimeout task deadline when the request has no {@code timeout}
 * @param maxTimeout the largest {@code timeout} a request may ask for
 * @param cancel poll mode ({@code generic}): the cancel call made before a cancelled task's completion, if any
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    TaskMode mode,
    URI baseUrl,
    List<String> allowedHosts,
    boolean allowPrivateNetworks,
    UpstreamAuth auth,
    Map<String, String> requestHeaders,
    Duration defaultTimeout,
    Duration maxTimeout,
    DispatchPolicy dispatch,
    Optional<String> notificationLinkPointer,
    List<String> notificationLinkHeaders,
    Optional<String> pollUrlTemplate,
    StatusRules status,
    PollPolicy poll,
    Optional<CallbackRules> callback,
    Optional<CancelCall> cancel) {

  public ProviderConfig {
    allowedHosts = List.copyOf(allowedHosts);
    requestHeaders = Map.copyOf(requestHeaders);
    notificationLinkHeaders = List.copyOf(notificationLinkHeaders);
  }

  /** A provider without a cancel call. */
  public ProviderConfig(String name, ProviderType type, TaskMode mode, URI baseUrl, List<String> allowedHosts,
      boolean allowPrivateNetworks, UpstreamAuth auth, Map<String, String> requestHeaders, Duration defaultTimeout,
      Duration maxTimeout, DispatchPolicy dispatch, Optional<String> notificationLinkPointer,
      List<String> notificationLinkHeaders, Optional<String> pollUrlTemplate, StatusRules status, PollPolicy poll,
      Optional<CallbackRules> callback) {
    this(name, type, mode, baseUrl, allowedHosts, allowPrivateNetworks, auth, requestHeaders, defaultTimeout,
        maxTimeout, dispatch, notificationLinkPointer, notificationLinkHeaders, pollUrlTemplate, status, poll, callback,
        Optional.empty());
  }
}
