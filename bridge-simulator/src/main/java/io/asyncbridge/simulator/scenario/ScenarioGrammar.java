package io.asyncbridge.simulator.scenario;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The scenario words one simulated API understands. A word may appear in both sets ({@code reset} and
 * {@code reset=2}).
 *
 * @param flags   words used bare
 * @param numbers words used with {@code =<number>}
 */
public record ScenarioGrammar(Set<String> flags, Set<String> numbers) {

    public ScenarioGrammar {
        flags = Collections.unmodifiableSet(new LinkedHashSet<>(flags));
        numbers = Collections.unmodifiableSet(new LinkedHashSet<>(numbers));
    }

    public static ScenarioGrammar of(List<String> flags, List<String> numbers) {
        return new ScenarioGrammar(new LinkedHashSet<>(flags), new LinkedHashSet<>(numbers));
    }
}
