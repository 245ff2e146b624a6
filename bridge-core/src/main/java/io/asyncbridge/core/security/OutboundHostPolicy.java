package io.asyncbridge.core.security;

import io.asyncbridge.core.config.ProviderConfig;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether the bridge may call a URL on behalf of a provider. Every outbound call passes through it,
 * including URLs the upstream itself returned (a notification link), so that a hostile or broken answer cannot
 * steer the bridge into the cloud metadata service, localhost or a private network (SSRF).
 *
 * <p>Rules: http(s) only, never downgraded from the base URL's https; no credentials in the URL; the host is
 * listed in the provider's {@code allowedHosts} (exactly, or under a {@code *.suffix} wildcard, or {@code *});
 * a loopback, link-local, private or unspecified address literal (and {@code localhost}) passes only when listed
 * exactly or when {@code allowPrivateNetworks} is set. Host names are not resolved here: an allow-list entry is
 * trusted to name a public host.
 */
public final class OutboundHostPolicy {

  private final String provider;
  private final boolean httpsOnly;
  private final List<String> allowedHosts;
  private final boolean allowPrivateNetworks;

  public OutboundHostPolicy(String provider, boolean httpsOnly, List<String> allowedHosts, boolean allowPrivateNetworks) {
    this.provider = provider;
    this.httpsOnly = httpsOnly;
    this.allowedHosts = allowedHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).toList();
    this.allowPrivateNetworks = allowPrivateNetworks;
  }

  public static OutboundHostPolicy forProvider(ProviderConfig provider) {
    return new OutboundHostPolicy(provider.name(), "https".equalsIgnoreCase(provider.baseUrl().getScheme()),
        provider.allowedHosts(), provider.allowPrivateNetworks());
  }

  /** Why the URL must not be called, or empty when it may. The reason names the host, never a query string. */
  public Optional<String> refusal(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.of("scheme '" + scheme + "' is not allowed (http or https only)");
    }
    if (httpsOnly && !scheme.equals("https")) {
      return Optional.of("provider " + provider + " uses https; refusing a downgrade to http://" + url.getHost());
    }
    if (url.getRawUserInfo() != null) {
      return Optional.of("credentials in a URL are not allowed");
    }
    if (url.getHost() == null || url.getHost().isBlank()) {
      return Optional.of("the URL has no host");
    }
    String host = url.getHost().toLowerCase(Locale.ROOT);
    String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (allowedHosts.contains(host) || allowedHosts.contains(bareHost)) {
      return Optional.empty(); // listed exactly: the operator chose this host, private or not
    }
    boolean matched = allowedHosts.contains("*") || allowedHosts.stream()
        .filter(entry -> entry.startsWith("*."))
        .anyMatch(entry -> host.endsWith(entry.substring(1)));
    if (!matched) {
      return Optional.of("host " + host + " is not in the allowed hosts of provider " + provider);
    }
    if (!allowPrivateNetworks && isPrivate(bareHost)) {
      return Optional.of("host " + host + " is a loopback, link-local or private address; set allowPrivateNetworks"
          + " or list it exactly in allowedHosts of provider " + provider);
    }
    return Optional.empty();
  }

  static boolean isPrivate(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    if (!looksLikeAddressLiteral(host)) {
      return false;
    }
    try {
      InetAddress address = InetAddress.getByName(host); // a literal: no DNS lookup happens
      return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
          || address.isAnyLocalAddress() || address.isMulticastAddress() || isUniqueLocalV6(address)
          || isCarrierGradeNat(address);
    } catch (java.net.UnknownHostException e) {
      return true; // an unparsable literal is not something to call
    }
  }

  private static boolean looksLikeAddressLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+") || host.matches("0x[0-9a-f.x]+");
  }

  private static boolean isUniqueLocalV6(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
  }

  private static boolean isCarrierGradeNat(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
  }
}
