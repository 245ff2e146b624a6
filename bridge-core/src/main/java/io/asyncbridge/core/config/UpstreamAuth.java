package io.asyncbridge.core.config;

import java.net.URI;
import java.time.Duration;

/** How the bridge authenticates to an upstream API. */
public sealed interface UpstreamAuth {

  /** No credentials. */
  record None() implements UpstreamAuth {
  }

  /** A fixed header, such as Cloud Elements' {@code Authorization: User ..., Element ...}. */
  record StaticHeader(String header, Secret value) implements UpstreamAuth {
  }

  /**
   * OAuth2 client credentials: a bearer token fetched from {@code tokenUrl}, cached, refreshed
   * {@code refreshBefore} its expiry and once on a 401.
   */
  record OAuth2ClientCredentials(URI tokenUrl, String clientId, Secret clientSecret, String scope,
      Duration refreshBefore) implements UpstreamAuth {
  }
}
