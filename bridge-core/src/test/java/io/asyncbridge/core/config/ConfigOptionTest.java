package io.asyncbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOptionTest {

  private static ConfigNode node(String path, String json, ConfigContext context) throws Exception {
    return new ConfigNode(path, new ObjectMapper().readTree(json), context);
  }

  @Test
  void aProviderOptionMatchesTheKeyPathOfEveryProvider() {
    assertThat(ProviderOptions.POLL_MAX_INTERVAL.matches("providers.acquia.poll.maxInterval")).isTrue();
    assertThat(ProviderOptions.POLL_MAX_INTERVAL.matches("providers.acquia.dispatch.maxInterval")).isFalse();
    assertThat(ProviderOptions.POLL_MAX_INTERVAL.name()).isEqualTo("maxInterval");
    assertThat(ServiceOptions.CALLBACKS_PORT.matches("callbacks.port")).isTrue();
  }

  @Test
  void defaultsAreWrittenAsTheReadmeWritesThem() {
    assertThat(ProviderOptions.POLL_NOT_FOUND_GRACE.defaultText()).contains("10m");
    assertThat(ProviderOptions.POLL_MAX_INTERVAL.defaultText()).contains("60s");
    assertThat(ProviderOptions.MAX_TIMEOUT.defaultText()).contains("7d");
    assertThat(ServiceOptions.CALLBACKS_EARLY_WEBHOOK_RETENTION.defaultText()).contains("1h");
    assertThat(ProviderOptions.DISPATCH_ON_UNKNOWN_OUTCOME.defaultText()).contains("auto");
    assertThat(ProviderOptions.POLL_MULTIPLIER.defaultText()).contains("1.5");
    assertThat(ProviderOptions.CLIENT_ID.defaultText()).isEmpty();
  }

  @Test
  void theBoundsAndTheDefaultOfAValueComeFromItsDeclaration() throws Exception {
    ConfigContext context = new ConfigContext(Map.of());
    ConfigNode poll = node("providers.jobs.poll", "{\"concurrency\": 0}", context);

    assertThat(poll.integer(ProviderOptions.POLL_CONCURRENCY)).isEqualTo(512);
    assertThat(poll.duration(ProviderOptions.POLL_MAX_INTERVAL)).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(context.problems())
        .containsExactly("providers.jobs.poll.concurrency: 0 is out of range, expected 1..100000");
  }

  @Test
  void anOptionReadWhereItIsNotDeclaredIsAMistakeOfTheCode() throws Exception {
    ConfigNode dispatch = node("providers.jobs.dispatch", "{}", new ConfigContext(Map.of()));

    assertThatThrownBy(() -> dispatch.integer(ProviderOptions.POLL_CONCURRENCY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("providers.<name>.poll.concurrency read at providers.jobs.dispatch.concurrency");
  }

  @Test
  void anEnvironmentOverrideIsBoundsCheckedLikeTheFile() throws Exception {
    ConfigContext context = new ConfigContext(Map.of("BRIDGE_CALLBACKS_PORT", "70000"));
    ConfigNode callbacks = node("callbacks", "{}", context);

    assertThat(callbacks.integer(ServiceOptions.CALLBACKS_PORT)).isEqualTo(8080);
    assertThat(context.problems()).containsExactly("callbacks.port: 70000 is out of range, expected 0..65535");
  }
}
