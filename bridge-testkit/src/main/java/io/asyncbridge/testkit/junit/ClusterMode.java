package io.asyncbridge.testkit.junit;

import java.util.Map;
import java.util.function.BooleanSupplier;

/** Which Kafka the tests run against, and the rule that picks it. */
enum ClusterMode {
    /** {@code KAFKA_BOOTSTRAP_SERVERS} points at a running cluster. */
    EXTERNAL,
    /** A Testcontainers {@code apache/kafka} container; asked for and Docker is available. */
    TESTCONTAINERS,
    /** The embedded child-JVM broker (the default). */
    EMBEDDED;

    static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    static final String MODE_PROPERTY = "bridge.test.kafka";

    /**
     * @param env             environment variables
     * @param modeProperty    value of {@code -Dbridge.test.kafka}, may be null
     * @param dockerAvailable asked only when Testcontainers is requested
     */
    static ClusterMode choose(Map<String, String> env, String modeProperty, BooleanSupplier dockerAvailable) {
        String bootstrap = env.get(BOOTSTRAP_ENV);
        if (bootstrap != null && !bootstrap.isBlank()) {
            return EXTERNAL;
        }
        if ("testcontainers".equalsIgnoreCase(modeProperty == null ? "" : modeProperty.trim())) {
            return dockerAvailable.getAsBoolean() ? TESTCONTAINERS : EMBEDDED;
        }
        return EMBEDDED;
    }
}
