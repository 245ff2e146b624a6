/**
 * Metrics and health of a bridge process: one Prometheus registry per process ({@link BridgeMeters}), the meters the
 * services share ({@link ServiceMeters}: in-flight tasks, completions, upstream calls), Kafka client metrics
 * ({@link KafkaClientMeters}) and the management endpoint ({@link ManagementServer}: {@code /metrics},
 * {@code /health/live}, {@code /health/ready}).
 *
 * <p>Every meter the bridge defines is named {@code bridge.*} (Prometheus: {@code bridge_*}) and tagged only with
 * values from a bounded set (configured provider names, statuses, kinds, HTTP status codes), never a taskId. Hot paths
 * hold their meter instances; nothing looks a meter up in the registry per call.
 */
package io.asyncbridge.core.observability;
