package io.asyncbridge.launcher.cluster;

import io.asyncbridge.schemas.topic.TopicNames;
import io.asyncbridge.testkit.kafka.TopicSpec;
import java.util.List;

/** Every topic of the bridge (the contract's four and the internal ones) as the embedded broker creates them. */
public final class DefaultTopics {

    private DefaultTopics() {
    }

    public static List<String> names(TopicNames topics) {
        return topics.all().stream().map(TopicNames.TopicDefinition::name).toList();
    }

    public static List<TopicSpec> withPartitions(TopicNames topics, int partitions) {
        return topics.all().stream()
                .map(topic -> new TopicSpec(topic.name(), partitions, topic.compacted()))
                .toList();
    }
}
