package io.asyncbridge.launcher;

import io.asyncbridge.testkit.kafka.TopicSpec;
import java.util.List;

/**
 * The bridge's default topic names (see DESIGN.md, "Providers (configuration)"). A stand-in until
 * the shared configuration's topic registry exists; kept trivial on purpose.
 */
public final class DefaultTopics {

    public static final List<String> NAMES =
            List.of("bridge.requests", "bridge.completions", "bridge.progress", "bridge.requests.dlq");

    private DefaultTopics() {
    }

    public static List<TopicSpec> withPartitions(int partitions) {
        return NAMES.stream().map(name -> TopicSpec.of(name, partitions)).toList();
    }
}
