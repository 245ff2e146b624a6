package io.asyncbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagementSettingsTest {

  private static BridgeConfig load(String management, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(BridgeConfigLoaderTest.CONTRACT_ENV);
    env.putAll(extraEnv);
    return new BridgeConfigLoader(env).parse("bridge.yaml", BridgeConfigLoaderTest.CONTRACT_YAML + management);
  }

  @Test
  void withoutTheSectionTheEndpointListensOnEveryInterfaceOnPort9090() {
    assertThat(load("", Map.of()).management()).isEqualTo(new ManagementSettings("0.0.0.0", 9090, true));
  }

  @Test
  void theSectionAndTheEnvironmentSetIt() {
    BridgeConfig config = load("management: {host: 127.0.0.1, port: 9191, enabled: false}\n", Map.of());
    assertThat(config.management()).isEqualTo(new ManagementSettings("127.0.0.1", 9191, false));

    BridgeConfig overridden = load("management: {port: 9191}\n",
        Map.of("BRIDGE_MANAGEMENT_PORT", "0", "BRIDGE_MANAGEMENT_HOST", "localhost", "BRIDGE_MANAGEMENT_ENABLED", "true"));
    assertThat(overridden.management()).isEqualTo(new ManagementSettings("localhost", 0, true));
  }

  @Test
  void badValuesAndUnknownKeysAreReportedWithTheirKeyPath() {
    assertThatThrownBy(() -> load("management: {port: 70000, enabled: maybe, prot: 1}\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("management.port: 70000 is out of range, expected 0..65535")
        .hasMessageContaining("management.enabled: 'maybe' is not a boolean")
        .hasMessageContaining("management.prot: unknown key (did you mean 'port'?)");
  }
}
