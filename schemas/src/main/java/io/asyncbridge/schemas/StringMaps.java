package io.asyncbridge.schemas;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Immutable copies of string maps that keep the caller's order (events stay readable). */
final class StringMaps {

    private StringMaps() {
    }

    static Map<String, String> copyOf(Map<String, String> source, String what) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, () -> what + " has a null key"),
                Objects.requireNonNull(value, () -> what + " has a null value for '" + key + "'")));
        return Collections.unmodifiableMap(copy);
    }
}
