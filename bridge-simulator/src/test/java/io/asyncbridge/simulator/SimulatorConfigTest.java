package io.asyncbridge.simulator;

import io.asyncbridge.simulator.config.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorConfigTest {

    @Test
    void defaultsMatchTheRealApisWhereItMatters() {
        SimulatorConfig config = SimulatorConfig.defaults();

        assertThat(config.port()).isZero();
        assertThat(config.tokenLifetime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.webhookRetrySchedule()).hasSize(9);
        assertThat(config.logTasks()).isFalse();
    }

    @Test
    void toStringMasksSecrets() {
        String text = SimulatorConfig.defaults().toString();

        assertThat(text).doesNotContain(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET)
                .doesNotContain(SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY)
                .doesNotContain("simulator-user-secret")
                .contains(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID);
    }

    @Test
    void validationReportsAllProblems() {
        assertThatThrownBy(() -> SimulatorConfig.builder().port(70000).acquiaClientId(" ")
                .tokenLifetime(Duration.ZERO).publicBaseUrl("simulator:8090").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port").hasMessageContaining("acquiaClientId")
                .hasMessageContaining("tokenLifetime").hasMessageContaining("publicBaseUrl");
    }

    @Test
    void toBuilderKeepsEverything() {
        SimulatorConfig config = SimulatorConfig.builder().port(1234).elementsSignatureKey(null).logTasks(true).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
