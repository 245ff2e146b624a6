package io.asyncbridge.core.config;

import java.util.Map;
import java.util.Optional;

/** The whole configuration of a bridge, validated. Build it with {@link BridgeConfigLoader}. */
public record BridgeConfig(
    KafkaSettings kafka,
    TopicNames topics,
    CallbackSettings callbacks,
    Map<String, ProviderConfig> providers) {

  public BridgeConfig {
    providers = Map.copyOf(providers);
  }

  public Optional<ProviderConfig> provider(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  public boolean hasMode(TaskMode mode) {
    return providers.values().stream().anyMatch(provider -> provider.mode() == mode);
  }
}
