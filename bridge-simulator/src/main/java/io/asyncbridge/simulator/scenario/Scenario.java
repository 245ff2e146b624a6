package io.asyncbridge.simulator.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The behaviour one task asked for through the {@value #HEADER} request header: comma-separated options,
 * each a word ({@code fail}) or a word with a number ({@code poll429=3}). No header means {@code success}.
 *
 * @param key     the normalized header (lower case, no blanks), used to count calls per scenario
 * @param options option word to its number, or to {@code null} for a bare word, in header order
 */
public record Scenario(String key, Map<String, Long> options) {

    /** The request header that selects a scenario; the bridge forwards it with the task request. */
    public static final String HEADER = "X-Simulator-Scenario";

    /** The scenario of a request without the header. */
    public static final Scenario SUCCESS = new Scenario("success", Map.of("success", 0L));

    public Scenario {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Parses a header value against the words one API understands.
     *
     * @throws IllegalArgumentException naming the bad option and the known ones, so a typo in a test fails loudly
     */
    public static Scenario parse(String header, ScenarioGrammar grammar) {
        if (header == null || header.isBlank()) {
            return SUCCESS;
        }
        Map<String, Long> options = new LinkedHashMap<>();
        StringBuilder key = new StringBuilder();
        for (String raw : header.split(",")) {
            String token = raw.trim().toLowerCase(java.util.Locale.ROOT);
            if (token.isEmpty()) {
                continue;
            }
            int equals = token.indexOf('=');
            String word = equals < 0 ? token : token.substring(0, equals).trim();
            if (equals < 0) {
                if (!grammar.flags().contains(word)) {
                    throw problem(word, grammar, grammar.numbers().contains(word) ? "needs a value, e.g. " + word + "=1" : "is unknown");
                }
                options.put(word, null);
            } else {
                if (!grammar.numbers().contains(word)) {
                    throw problem(word, grammar, grammar.flags().contains(word) ? "takes no value" : "is unknown");
                }
                options.put(word, parseNumber(word, token.substring(equals + 1).trim(), grammar));
            }
            key.append(key.length() == 0 ? "" : ",").append(equals < 0 ? word : word + "=" + options.get(word));
        }
        return options.isEmpty() ? SUCCESS : new Scenario(key.toString(), options);
    }

    public boolean has(String word) {
        return options.containsKey(word);
    }

    /** The number given with a word, empty when the word is absent or bare. */
    public OptionalLong number(String word) {
        Long value = options.get(word);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    public long number(String word, long fallback) {
        return number(word).orElse(fallback);
    }

    /**
     * For words that can be bare (always) or counted ({@code reset=2}: the first two attempts): whether the
     * given 1-based attempt is affected.
     */
    public boolean appliesToAttempt(String word, long attempt) {
        return has(word) && attempt <= number(word, Long.MAX_VALUE);
    }

    private static long parseNumber(String word, String text, ScenarioGrammar grammar) {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw problem(word, grammar, "needs a number >= 0 but got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw problem(word, grammar, "needs a whole number but got '" + text + "'");
        }
    }

    private static IllegalArgumentException problem(String word, ScenarioGrammar grammar, String why) {
        return new IllegalArgumentException("Simulator scenario option '" + word + "' " + why
                + "; known words: " + grammar.flags() + ", with a number: " + grammar.numbers());
    }
}
