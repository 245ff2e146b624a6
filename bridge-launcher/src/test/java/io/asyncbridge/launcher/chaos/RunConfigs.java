package io.asyncbridge.launcher.chaos;

import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The configurations of the chaos and soak runs: the bridge's YAML that every service JVM gets (the defaults,
 * except for what a run of minutes instead of hours needs, each said why) and the simulator's.
 */
final class RunConfigs {

    /** The per-task token key; shared by ingest (which hands out callback URLs) and callbacks (which checks them). */
    static final String TOKEN_SECRET = "chaos-callback-token-secret-0123456789";

    private RunConfigs() {
    }

    /** Tasks of seconds, webhooks after half a second, and a webhook sender that keeps trying for over a minute. */
    static SimulatorConfig simulator() {
        List<Duration> retries = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            // 0.5, 1, 2, 4, 4, ... s (about 170 s): longer in all than any outage of a run, as the real sender's 73
            // hours are. 20 attempts (72 s) fell short once on a loaded machine, when a callbacks restart met two
            // broker outages and the service was away for 78 s.
            retries.add(Duration.ofMillis(Math.min(500L << Math.min(i, 3), 4_000)));
        }
        return SimulatorConfig.builder().port(0).taskDuration(Duration.ofSeconds(2)).webhookDelay(Duration.ofMillis(500))
                .webhookTimeout(Duration.ofSeconds(8)).webhookRetrySchedule(retries)
                .finishedStateRetention(Duration.ofMinutes(30)).build();
    }

    /**
     * @param retention how long callbacks keeps early webhooks and completed markers ({@code earlyWebhookRetention})
     */
    static String bridgeYaml(String bootstrapServers, int callbackPort, UpstreamSimulator simulator, Duration retention) {
        // A process killed with SIGKILL and never started again holds its partitions until its session times out
        // (the bridge's default is 15 s). 6 s is the broker's minimum.
        return bridgeYaml(bootstrapServers, callbackPort, simulator, retention, Duration.ofSeconds(6));
    }

    /**
     * @param sessionTimeout the services' {@code session.timeout.ms}; {@code null} keeps the bridge's default. The
     *     heartbeat stays at most 3 s, so a member learns of a rebalance soon whatever its session.
     */
    static String bridgeYaml(String bootstrapServers, int callbackPort, UpstreamSimulator simulator, Duration retention,
            Duration sessionTimeout) {
        String session = sessionTimeout == null ? "" : """
                  consumer:
                    session.timeout.ms: %d
                    heartbeat.interval.ms: %d
                """.formatted(sessionTimeout.toMillis(), Math.min(3000, Math.max(1000, sessionTimeout.toMillis() / 4)));
        return """
                kafka:
                  bootstrapServers: %s
                  applicationPrefix: chaos
                """.formatted(bootstrapServers) + session + """
                callbacks:
                  host: 127.0.0.1
                  port: %d
                  publicBaseUrl: http://127.0.0.1:%d
                  tokenSecret: %s
                  # Shorter than the simulator's webhook timeout (8 s), so a webhook Kafka cannot take is answered 503.
                  ackTimeout: 5s
                  retryAfter: 1s
                  earlyWebhookRetention: %s
                providers:
                  %s:
                    type: acquia
                    baseUrl: %s
                    tokenUrl: %s
                    clientId: %s
                    clientSecret: %s
                    # Tasks of seconds, not minutes: poll soon and often.
                    poll: {initialDelay: 300ms, initialInterval: 500ms, multiplier: 1.5, maxInterval: 2s, requestTimeout: 5s}
                    # A call longer than the slowest scenario answer (1.5 s) plus a webhook timeout never times out,
                    # so a timeout never makes the bridge send a create call twice.
                    # The simulator's create calls are safe to repeat: a repeat starts an identical job whose end the
                    # scenario fixes. So, as for an idempotent upstream, a call whose outcome a crash left unknown is
                    # sent again, and every task can be held to its scenario's status.
                    dispatch: {requestTimeout: 15s, initialBackoff: 300ms, maxBackoff: 3s, onUnknownOutcome: resend}
                  %s:
                    # The same API under the default policy (auto): a POST whose outcome is unknown ends failed with
                    # dispatch_outcome_unknown. A slice of the tasks goes here, so that path is exercised and counted.
                    type: acquia
                    baseUrl: %s
                    tokenUrl: %s
                    clientId: %s
                    clientSecret: %s
                    poll: {initialDelay: 300ms, initialInterval: 500ms, multiplier: 1.5, maxInterval: 2s, requestTimeout: 5s}
                    dispatch: {requestTimeout: 15s, initialBackoff: 300ms, maxBackoff: 3s}
                  %s:
                    # The default policy again, with an idempotency key the simulator honours: a POST in doubt is
                    # sent again under the same key and answered with the first job, so no task ends in doubt.
                    type: acquia
                    baseUrl: %s
                    tokenUrl: %s
                    clientId: %s
                    clientSecret: %s
                    poll: {initialDelay: 300ms, initialInterval: 500ms, multiplier: 1.5, maxInterval: 2s, requestTimeout: 5s}
                    dispatch: {requestTimeout: 15s, initialBackoff: 300ms, maxBackoff: 3s, idempotencyKey: Idempotency-Key}
                  %s:
                    type: cloud-elements
                    baseUrl: %s
                    authorization: %s
                    signatureKey: %s
                    dispatch: {requestTimeout: 15s, initialBackoff: 300ms, maxBackoff: 3s, onUnknownOutcome: resend}
                """.formatted(callbackPort, callbackPort, TOKEN_SECRET, retention.toMillis() + "ms",
                TaskMix.POLL_PROVIDER, simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(),
                SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID, SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET,
                TaskMix.STRICT_POLL_PROVIDER, simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(),
                SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID, SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET,
                TaskMix.KEYED_POLL_PROVIDER, simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(),
                SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID, SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET,
                TaskMix.CALLBACK_PROVIDER, simulator.elementsBaseUrl(),
                quoted(SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION), SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY);
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
