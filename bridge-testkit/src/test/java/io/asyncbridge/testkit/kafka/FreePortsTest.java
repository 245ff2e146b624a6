package io.asyncbridge.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void chosenPortsAreDistinctAndBelowTheRangeOfOutgoingConnections() {
        int[] ports = FreePorts.resolve(0, 0, 9092);

        assertThat(ports[0]).isBetween(FreePorts.LOWEST, FreePorts.HIGHEST);
        assertThat(ports[1]).isBetween(FreePorts.LOWEST, FreePorts.HIGHEST).isNotEqualTo(ports[0]);
        assertThat(ports[2]).isEqualTo(9092);
    }
}
