package io.asyncbridge.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void factoriesSetThePolicy() {
        assertThat(TopicSpec.of("a", 3)).isEqualTo(new TopicSpec("a", 3, false));
        assertThat(TopicSpec.compacted("b", 1)).isEqualTo(new TopicSpec("b", 1, true));
    }

    @Test
    void rejectsBlankNamesAndNoPartitions() {
        assertThatThrownBy(() -> TopicSpec.of(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicSpec.of("t", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t");
    }
}
