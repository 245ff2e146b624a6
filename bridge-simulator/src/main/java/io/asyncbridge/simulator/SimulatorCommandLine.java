package io.asyncbridge.simulator;

import io.asyncbridge.simulator.config.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Turns {@code --option value} / {@code --option=value} arguments and {@code SIMULATOR_*} environment variables
 * into a {@link SimulatorConfig}. Arguments win over the environment; every problem is reported at once.
 * The environment is a parameter so that tests can inject it.
 */
public final class SimulatorCommandLine {

    /** Port the standalone simulator uses when none is given (docker-compose exposes it). */
    public static final int DEFAULT_PORT = 8090;

    private static final Map<String, Option> OPTIONS = options();

    private static Map<String, Option> options() {
        Map<String, Option> options = new LinkedHashMap<>();
        BiConsumer<String, Option> option = options::put;
        option.accept("host", new Option("SIMULATOR_HOST", "interface to bind (0.0.0.0 in a container)", "127.0.0.1",
                (b, v) -> b.host(v)));
        option.accept("port", new Option("SIMULATOR_PORT", "port to bind, 0 for a free one", Integer.toString(DEFAULT_PORT),
                (b, v) -> b.port(Integer.parseInt(v))));
        option.accept("public-base-url", new Option("SIMULATOR_PUBLIC_BASE_URL", "base URL written into links", "http://<host>:<port>",
                (b, v) -> b.publicBaseUrl(v)));
        option.accept("acquia-client-id", new Option("SIMULATOR_ACQUIA_CLIENT_ID", "accepted OAuth2 client id",
                SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID, (b, v) -> b.acquiaClientId(v)));
        option.accept("acquia-client-secret", new Option("SIMULATOR_ACQUIA_CLIENT_SECRET", "accepted OAuth2 client secret",
                SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET, (b, v) -> b.acquiaClientSecret(v)));
        option.accept("token-lifetime", new Option("SIMULATOR_TOKEN_LIFETIME", "access token lifetime (300s, 5m, 1500ms)", "300s",
                (b, v) -> b.tokenLifetime(duration(v))));
        option.accept("task-duration", new Option("SIMULATOR_TASK_DURATION", "default Acquia task duration", "3s",
                (b, v) -> b.taskDuration(duration(v))));
        option.accept("elements-authorization", new Option("SIMULATOR_ELEMENTS_AUTHORIZATION", "expected Authorization value",
                SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION, (b, v) -> b.elementsAuthorization(v)));
        option.accept("elements-signature-key", new Option("SIMULATOR_ELEMENTS_SIGNATURE_KEY", "webhook signature key, empty for none",
                SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY, (b, v) -> b.elementsSignatureKey(v)));
        option.accept("elements-callback-url", new Option("SIMULATOR_ELEMENTS_CALLBACK_URL", "instance-level callback URL", "none",
                (b, v) -> b.elementsInstanceCallbackUrl(v)));
        option.accept("elements-instance-id", new Option("SIMULATOR_ELEMENTS_INSTANCE_ID", "instanceId written into webhooks", "30",
                (b, v) -> b.elementsInstanceId(Long.parseLong(v))));
        option.accept("webhook-delay", new Option("SIMULATOR_WEBHOOK_DELAY", "default time until a webhook is sent", "1s",
                (b, v) -> b.webhookDelay(duration(v))));
        option.accept("webhook-retries", new Option("SIMULATOR_WEBHOOK_RETRIES",
                "retry waits: fast, cloud-elements, none, or a list like 500ms,1s,2s", "fast",
                (b, v) -> b.webhookRetrySchedule(retrySchedule(v))));
        option.accept("webhook-timeout", new Option("SIMULATOR_WEBHOOK_TIMEOUT", "timeout of one webhook attempt", "10s",
                (b, v) -> b.webhookTimeout(duration(v))));
        option.accept("log-tasks", new Option("SIMULATOR_LOG_TASKS", "log one line per task (true/false)", "false",
                (b, v) -> b.logTasks(bool(v))));
        return Collections.unmodifiableMap(options);
    }

    private SimulatorCommandLine() {
    }

    /**
     * @throws IllegalArgumentException listing every bad or unknown option with its name
     */
    public static SimulatorConfig parse(List<String> args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        OPTIONS.forEach((name, option) -> {
            String value = env.get(option.env());
            if (value != null) {
                values.put(name, value);
            }
        });
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                problems.add("unexpected argument '" + arg + "'");
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!OPTIONS.containsKey(name)) {
                problems.add("--" + name + ": unknown option");
                continue;
            }
            if (value == null) {
                if ("log-tasks".equals(name)) {
                    value = "true";
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    problems.add("--" + name + ": needs a value");
                    continue;
                }
            }
            values.put(name, value);
        }
        SimulatorConfig.Builder builder = SimulatorConfig.builder().port(DEFAULT_PORT);
        values.forEach((name, value) -> {
            try {
                OPTIONS.get(name).apply().accept(builder, value.trim());
            } catch (RuntimeException e) {
                problems.add("--" + name + " / " + OPTIONS.get(name).env() + ": cannot use '" + value + "': " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid simulator options: " + String.join("; ", problems));
        }
        return builder.build();
    }

    public static String usage() {
        StringBuilder text = new StringBuilder("Options (argument, environment variable, default):\n");
        OPTIONS.forEach((name, option) -> text.append(String.format(Locale.ROOT, "  --%-24s %-34s %s (default %s)%n",
                name, option.env(), option.description(), option.defaultValue())));
        return text.toString();
    }

    /** {@code 1500ms}, {@code 3s}, {@code 5m}, {@code 1h}; a bare number means seconds. */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
        }
        char unit = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
        String number = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1).trim();
        long amount = Long.parseLong(number);
        switch (unit) {
            case 'm':
                return Duration.ofMinutes(amount);
            case 'h':
                return Duration.ofHours(amount);
            default:
                if (unit == 's' || Character.isDigit(unit)) {
                    return Duration.ofSeconds(amount);
                }
                throw new IllegalArgumentException("use a duration like 500ms, 3s, 5m or 1h");
        }
    }

    static List<Duration> retrySchedule(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "fast":
                return SimulatorConfig.fastRetrySchedule();
            case "cloud-elements":
                return SimulatorConfig.cloudElementsRetrySchedule();
            case "none":
            case "":
                return List.of();
            default:
                List<Duration> waits = new ArrayList<>();
                for (String part : text.split(",")) {
                    waits.add(duration(part));
                }
                return waits;
        }
    }

    private static boolean bool(String text) {
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("use true or false");
    }

    private record Option(String env, String description, String defaultValue,
                          BiConsumer<SimulatorConfig.Builder, String> apply) {
    }
}
