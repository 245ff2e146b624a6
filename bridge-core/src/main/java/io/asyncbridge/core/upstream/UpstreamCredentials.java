package io.asyncbridge.core.upstream;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ProviderConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The upstream credentials of one process (OAuth2 client secrets, static Authorization headers), which a
 * configuration reload may replace without a restart. Every {@link UpstreamClient} a service builds through
 * {@link #clientFor} is registered here; {@link #apply} hands each of them its provider's new credentials.
 */
public final class UpstreamCredentials {

  private final Map<String, List<ReloadableAuthorizer>> authorizers = new ConcurrentHashMap<>();

  /** A client whose credentials follow {@link #apply}. */
  public UpstreamClient clientFor(ProviderConfig provider, HttpExchange http, Clock clock, UpstreamMeters meters) {
    ReloadableAuthorizer authorizer = new ReloadableAuthorizer(provider.auth(),
        auth -> UpstreamClient.authorizerFor(provider.name(), auth, http, clock, meters));
    authorizers.computeIfAbsent(provider.name(), name -> new CopyOnWriteArrayList<>()).add(authorizer);
    return new UpstreamClient(provider, http, authorizer, meters);
  }

  /**
   * Gives every registered client its provider's credentials from {@code config}.
   *
   * @return the providers whose credentials changed, in name order
   */
  public List<String> apply(BridgeConfig config) {
    List<String> changed = new ArrayList<>();
    authorizers.forEach((name, list) -> {
      Optional<ProviderConfig> provider = config.provider(name);
      if (provider.isEmpty()) {
        return; // a removed provider keeps its credentials until the restart that removes it
      }
      boolean any = false;
      for (ReloadableAuthorizer authorizer : list) {
        any |= authorizer.update(provider.get().auth());
      }
      if (any) {
        changed.add(name);
      }
    });
    changed.sort(String::compareTo);
    return changed;
  }
}
