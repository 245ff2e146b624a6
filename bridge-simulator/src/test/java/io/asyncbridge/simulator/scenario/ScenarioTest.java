package io.asyncbridge.simulator.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioTest {

    private static final ScenarioGrammar GRAMMAR = ScenarioGrammar.of(
            List.of("success", "fail", "reset"), List.of("poll429", "duration", "reset"));

    @Test
    void noHeaderMeansSuccess() {
        assertThat(Scenario.parse(null, GRAMMAR)).isEqualTo(Scenario.SUCCESS);
        assertThat(Scenario.parse("  ", GRAMMAR).key()).isEqualTo("success");
    }

    @Test
    void parsesWordsAndNumbersCaseInsensitively() {
        Scenario scenario = Scenario.parse(" FAIL , poll429 = 3,duration=250", GRAMMAR);

        assertThat(scenario.has("fail")).isTrue();
        assertThat(scenario.number("poll429", 0)).isEqualTo(3);
        assertThat(scenario.number("duration", 0)).isEqualTo(250);
        assertThat(scenario.number("fail")).isEmpty();
        assertThat(scenario.key()).isEqualTo("fail,poll429=3,duration=250");
    }

    @Test
    void wordsThatMayBeBareOrCountedApplyToAttempts() {
        assertThat(Scenario.parse("reset", GRAMMAR).appliesToAttempt("reset", 99)).isTrue();
        Scenario counted = Scenario.parse("reset=2", GRAMMAR);
        assertThat(counted.appliesToAttempt("reset", 2)).isTrue();
        assertThat(counted.appliesToAttempt("reset", 3)).isFalse();
        assertThat(Scenario.parse("fail", GRAMMAR).appliesToAttempt("reset", 1)).isFalse();
    }

    @Test
    void rejectsUnknownWordsAndBadNumbers() {
        assertThatThrownBy(() -> Scenario.parse("success,boom", GRAMMAR)).hasMessageContaining("'boom' is unknown");
        assertThatThrownBy(() -> Scenario.parse("poll429", GRAMMAR)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Scenario.parse("fail=1", GRAMMAR)).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> Scenario.parse("poll429=x", GRAMMAR)).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Scenario.parse("poll429=-1", GRAMMAR)).hasMessageContaining(">= 0");
    }
}
