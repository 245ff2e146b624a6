package io.asyncbridge.testkit.kafka;

import java.util.Objects;

/**
 * A topic to create on a test or development broker: name, partition count and whether it is
 * compacted ({@code cleanup.policy=compact}). The replication factor is left to the broker's
 * default, which is 1 on the embedded single node.
 */
public record TopicSpec(String name, int partitions, boolean compacted) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
    }

    /** A delete-policy topic. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, false);
    }

    /** A compacted topic. */
    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, true);
    }
}
