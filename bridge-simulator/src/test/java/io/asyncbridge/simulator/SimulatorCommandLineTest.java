package io.asyncbridge.simulator;

import io.asyncbridge.simulator.config.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorCommandLineTest {

    @Test
    void defaultsToPort8090OnLoopback() {
        SimulatorConfig config = SimulatorCommandLine.parse(List.of(), Map.of());

        assertThat(config.port()).isEqualTo(8090);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.publicBaseUrl()).isNull();
    }

    @Test
    void argumentsWinOverTheEnvironment() {
        SimulatorConfig config = SimulatorCommandLine.parse(
                List.of("--port", "9000", "--public-base-url=http://simulator:8090", "--log-tasks",
                        "--webhook-retries", "100ms,2s", "--task-duration", "1500ms"),
                Map.of("SIMULATOR_PORT", "7000", "SIMULATOR_HOST", "0.0.0.0", "SIMULATOR_ELEMENTS_SIGNATURE_KEY", ""));

        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.publicBaseUrl()).isEqualTo("http://simulator:8090");
        assertThat(config.logTasks()).isTrue();
        assertThat(config.webhookRetrySchedule()).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(config.taskDuration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.elementsSignatureKey()).isNull();
    }

    @Test
    void namedSchedules() {
        List<Duration> cloudElements = SimulatorCommandLine.retrySchedule("cloud-elements");
        assertThat(cloudElements).hasSize(9);
        assertThat(cloudElements.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofHours(73));
        assertThat(SimulatorCommandLine.retrySchedule("fast")).hasSize(9);
        assertThat(SimulatorCommandLine.retrySchedule("none")).isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsName() {
        assertThatThrownBy(() -> SimulatorCommandLine.parse(List.of("--port", "abc", "--nope", "x", "--task-duration", "3 weeks"),
                Map.of("SIMULATOR_LOG_TASKS", "maybe")))
                .hasMessageContaining("--port")
                .hasMessageContaining("--nope: unknown option")
                .hasMessageContaining("--task-duration")
                .hasMessageContaining("SIMULATOR_LOG_TASKS");
    }
}
