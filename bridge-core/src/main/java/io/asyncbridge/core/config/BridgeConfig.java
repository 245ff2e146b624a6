package io.asyncbridge.core.config;

import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.topic.TopicNames;
import java.util.Map;
import java.util.Optional;

/** The whole configuration of a bridge, validated. Build it with {@link BridgeConfigLoader}. */
public record BridgeConfig(
    KafkaSettings kafka,
    TopicNames topics,
    CallbackSettings callbacks,
    Map<String, ProviderConfig> providers,
    ManagementSettings management,
    TracingSettings tracing) {

  public BridgeConfig {
    providers = Map.copyOf(providers);
    tracing = tracing == null ? TracingSettings.off() : tracing;
  }

  /** A config without tracing. */
  public BridgeConfig(KafkaSettings kafka, TopicNames topics, CallbackSettings callbacks,
      Map<String, ProviderConfig> providers, ManagementSettings management) {
    this(kafka, topics, callbacks, providers, management, TracingSettings.off());
  }

  /** A config with the default management endpoint. */
  public BridgeConfig(KafkaSettings kafka, TopicNames topics, CallbackSettings callbacks,
      Map<String, ProviderConfig> providers) {
    this(kafka, topics, callbacks, providers, ManagementSettings.defaults());
  }

  public Optional<ProviderConfig> provider(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  public boolean hasMode(TaskMode mode) {
    return providers.values().stream().anyMatch(provider -> provider.mode() == mode);
  }
}
