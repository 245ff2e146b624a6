package io.asyncbridge.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ClusterModeTest {

    @Test
    void externalBootstrapWinsOverEverything() {
        assertThat(ClusterMode.choose(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092"), "testcontainers", () -> true))
                .isEqualTo(ClusterMode.EXTERNAL);
    }

    @Test
    void testcontainersWhenAskedAndDockerIsThere() {
        assertThat(ClusterMode.choose(Map.of(), "testcontainers", () -> true)).isEqualTo(ClusterMode.TESTCONTAINERS);
    }

    @Test
    void embeddedWhenTestcontainersIsAskedButDockerIsAbsent() {
        assertThat(ClusterMode.choose(Map.of(), "testcontainers", () -> false)).isEqualTo(ClusterMode.EMBEDDED);
    }

    @Test
    void embeddedByDefaultWithoutAskingForDocker() {
        AtomicBoolean asked = new AtomicBoolean();

        ClusterMode mode = ClusterMode.choose(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "), null, () -> asked.getAndSet(true));

        assertThat(mode).isEqualTo(ClusterMode.EMBEDDED);
        assertThat(asked).isFalse();
    }
}
