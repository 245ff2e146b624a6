package io.asyncbridge.simulator.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the {@link io.asyncbridge.simulator.UpstreamSimulator} needs. Immutable; build it with {@link #builder()} or
 * start from {@link #defaults()} and change single values with {@link #toBuilder()}.
 *
 * @param host                        interface to bind, {@code 127.0.0.1} by default ({@code 0.0.0.0} in a container)
 * @param port                        port to bind, {@code 0} picks a free one
 * @param publicBaseUrl               base URL the simulator writes into links (notification hrefs); {@code null} means
 *                                    the actual {@code http://host:port}, in docker-compose it is {@code http://simulator:8090}
 * @param acquiaClientId              OAuth2 client id accepted by the Acquia token endpoint
 * @param acquiaClientSecret          OAuth2 client secret accepted by the Acquia token endpoint
 * @param tokenLifetime               lifetime of an Acquia access token (300 s as the real one)
 * @param taskDuration                default duration of an Acquia task until its notification completes
 * @param elementsAuthorization       exact {@code Authorization} value Cloud Elements calls must carry
 * @param elementsSignatureKey        key for {@code Elements-Webhook-Signature}; {@code null} sends unsigned webhooks
 * @param elementsInstanceCallbackUrl callback URL configured on the element instance; {@code null} means none, so a
 *                                    request without {@code Elements-Async-Callback-Url} fails
 * @param elementsInstanceId          {@code instanceId} written into webhooks
 * @param webhookDelay                default time between accepting a Cloud Elements job and sending its webhook
 * @param webhookRetrySchedule        waits before each retry of a failed webhook delivery; its size is the number
 *                                    of retries (the real sender retries up to 9 times over about 73 hours)
 * @param webhookTimeout              how long one webhook delivery attempt may take before it counts as failed
 * @param finishedStateRetention      how long finished task state stays queryable before it is dropped
 * @param logTasks                    log one INFO line per task (quiet by default)
 */
public record SimulatorConfig(
        String host,
        int port,
        String publicBaseUrl,
        String acquiaClientId,
        String acquiaClientSecret,
        Duration tokenLifetime,
        Duration taskDuration,
        String elementsAuthorization,
        String elementsSignatureKey,
        String elementsInstanceCallbackUrl,
        long elementsInstanceId,
        Duration webhookDelay,
        List<Duration> webhookRetrySchedule,
        Duration webhookTimeout,
        Duration finishedStateRetention,
        boolean logTasks) {

    public static final String DEFAULT_ACQUIA_CLIENT_ID = "simulator-client-id";
    public static final String DEFAULT_ACQUIA_CLIENT_SECRET = "simulator-client-secret";
    public static final String DEFAULT_ELEMENTS_AUTHORIZATION = "User simulator-user-secret, Element simulator-element-secret";
    public static final String DEFAULT_ELEMENTS_SIGNATURE_KEY = "simulator-signature-key";

    public SimulatorConfig {
        List<String> problems = new ArrayList<>();
        if (host == null || host.isBlank()) {
            problems.add("host: must not be blank");
        }
        if (port < 0 || port > 65535) {
            problems.add("port: must be 0..65535 but was " + port);
        }
        if (publicBaseUrl != null && !publicBaseUrl.matches("https?://[^\\s]+")) {
            problems.add("publicBaseUrl: must be an http(s) URL but was '" + publicBaseUrl + "'");
        }
        requireText(problems, "acquiaClientId", acquiaClientId);
        requireText(problems, "acquiaClientSecret", acquiaClientSecret);
        requireText(problems, "elementsAuthorization", elementsAuthorization);
        requirePositive(problems, "tokenLifetime", tokenLifetime);
        requirePositive(problems, "taskDuration", taskDuration);
        requireNotNegative(problems, "webhookDelay", webhookDelay);
        requirePositive(problems, "webhookTimeout", webhookTimeout);
        requirePositive(problems, "finishedStateRetention", finishedStateRetention);
        if (webhookRetrySchedule == null) {
            problems.add("webhookRetrySchedule: must not be null (use an empty list for no retries)");
        } else {
            for (Duration wait : webhookRetrySchedule) {
                if (wait == null || wait.isNegative()) {
                    problems.add("webhookRetrySchedule: waits must be >= 0 but got " + wait);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid simulator configuration: " + String.join("; ", problems));
        }
        publicBaseUrl = publicBaseUrl == null ? null : stripTrailingSlash(publicBaseUrl);
        webhookRetrySchedule = List.copyOf(webhookRetrySchedule);
        if (elementsSignatureKey != null && elementsSignatureKey.isEmpty()) {
            elementsSignatureKey = null;
        }
        if (elementsInstanceCallbackUrl != null && elementsInstanceCallbackUrl.isBlank()) {
            elementsInstanceCallbackUrl = null;
        }
    }

    /** Defaults suited to tests: free port on loopback, 3 s tasks, 1 s webhooks, fast retries. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .host(host).port(port).publicBaseUrl(publicBaseUrl)
                .acquiaClientId(acquiaClientId).acquiaClientSecret(acquiaClientSecret)
                .tokenLifetime(tokenLifetime).taskDuration(taskDuration)
                .elementsAuthorization(elementsAuthorization).elementsSignatureKey(elementsSignatureKey)
                .elementsInstanceCallbackUrl(elementsInstanceCallbackUrl).elementsInstanceId(elementsInstanceId)
                .webhookDelay(webhookDelay).webhookRetrySchedule(webhookRetrySchedule)
                .webhookTimeout(webhookTimeout).finishedStateRetention(finishedStateRetention)
                .logTasks(logTasks);
    }

    /**
     * The default retry schedule: the real sender's 9 retries, scaled down so that a test or a demo sees them
     * (0.5 s doubling, capped at 8 s; about 48 s in all).
     */
    public static List<Duration> fastRetrySchedule() {
        List<Duration> waits = new ArrayList<>();
        long millis = 500;
        for (int i = 0; i < 9; i++) {
            waits.add(Duration.ofMillis(Math.min(millis, 8_000)));
            millis *= 2;
        }
        return List.copyOf(waits);
    }

    /**
     * A schedule shaped like the real Cloud Elements sender: 9 retries over about 73 hours. Only the count and
     * the total are documented; the individual waits here are an assumption (growing, roughly doubling).
     */
    public static List<Duration> cloudElementsRetrySchedule() {
        return List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
                Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(16),
                Duration.ofHours(41).plusMinutes(39));
    }

    @Override
    public String toString() {
        return "SimulatorConfig[host=" + host + ", port=" + port + ", publicBaseUrl=" + publicBaseUrl
                + ", acquiaClientId=" + acquiaClientId + ", acquiaClientSecret=" + mask(acquiaClientSecret)
                + ", tokenLifetime=" + tokenLifetime + ", taskDuration=" + taskDuration
                + ", elementsAuthorization=" + mask(elementsAuthorization)
                + ", elementsSignatureKey=" + mask(elementsSignatureKey)
                + ", elementsInstanceCallbackUrl=" + elementsInstanceCallbackUrl
                + ", elementsInstanceId=" + elementsInstanceId + ", webhookDelay=" + webhookDelay
                + ", webhookRetrySchedule=" + webhookRetrySchedule + ", webhookTimeout=" + webhookTimeout
                + ", finishedStateRetention=" + finishedStateRetention + ", logTasks=" + logTasks + "]";
    }

    private static String mask(String secret) {
        return secret == null ? null : "****";
    }

    private static String stripTrailingSlash(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private static void requireText(List<String> problems, String key, String value) {
        if (value == null || value.isBlank()) {
            problems.add(key + ": must not be blank");
        }
    }

    private static void requirePositive(List<String> problems, String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(key + ": must be a positive duration but was " + value);
        }
    }

    private static void requireNotNegative(List<String> problems, String key, Duration value) {
        if (value == null || value.isNegative()) {
            problems.add(key + ": must be a duration >= 0 but was " + value);
        }
    }

    /** Mutable builder with the defaults; {@link #build()} validates and reports every problem at once. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String publicBaseUrl;
        private String acquiaClientId = DEFAULT_ACQUIA_CLIENT_ID;
        private String acquiaClientSecret = DEFAULT_ACQUIA_CLIENT_SECRET;
        private Duration tokenLifetime = Duration.ofSeconds(300);
        private Duration taskDuration = Duration.ofSeconds(3);
        private String elementsAuthorization = DEFAULT_ELEMENTS_AUTHORIZATION;
        private String elementsSignatureKey = DEFAULT_ELEMENTS_SIGNATURE_KEY;
        private String elementsInstanceCallbackUrl;
        private long elementsInstanceId = 30;
        private Duration webhookDelay = Duration.ofSeconds(1);
        private List<Duration> webhookRetrySchedule = fastRetrySchedule();
        private Duration webhookTimeout = Duration.ofSeconds(10);
        private Duration finishedStateRetention = Duration.ofMinutes(10);
        private boolean logTasks;

        private Builder() {
        }

        public Builder host(String value) { this.host = value; return this; }
        public Builder port(int value) { this.port = value; return this; }
        public Builder publicBaseUrl(String value) { this.publicBaseUrl = value; return this; }
        public Builder acquiaClientId(String value) { this.acquiaClientId = value; return this; }
        public Builder acquiaClientSecret(String value) { this.acquiaClientSecret = value; return this; }
        public Builder tokenLifetime(Duration value) { this.tokenLifetime = value; return this; }
        public Builder taskDuration(Duration value) { this.taskDuration = value; return this; }
        public Builder elementsAuthorization(String value) { this.elementsAuthorization = value; return this; }
        public Builder elementsSignatureKey(String value) { this.elementsSignatureKey = value; return this; }
        public Builder elementsInstanceCallbackUrl(String value) { this.elementsInstanceCallbackUrl = value; return this; }
        public Builder elementsInstanceId(long value) { this.elementsInstanceId = value; return this; }
        public Builder webhookDelay(Duration value) { this.webhookDelay = value; return this; }
        public Builder webhookRetrySchedule(List<Duration> value) { this.webhookRetrySchedule = value; return this; }
        public Builder webhookTimeout(Duration value) { this.webhookTimeout = value; return this; }
        public Builder finishedStateRetention(Duration value) { this.finishedStateRetention = value; return this; }
        public Builder logTasks(boolean value) { this.logTasks = value; return this; }

        public SimulatorConfig build() {
            return new SimulatorConfig(host, port, publicBaseUrl, acquiaClientId, acquiaClientSecret, tokenLifetime,
                    taskDuration, elementsAuthorization, elementsSignatureKey, elementsInstanceCallbackUrl,
                    elementsInstanceId, webhookDelay, webhookRetrySchedule, webhookTimeout, finishedStateRetention,
                    logTasks);
        }
    }
}
