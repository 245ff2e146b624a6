package io.asyncbridge.launcher;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the log format and level before anything logs (logback reads them once, from {@code logback.xml}):
 * {@code --log-format text|json} on the command line, else {@code -Dbridge.log.format}, else {@code BRIDGE_LOG_FORMAT}.
 * An unknown format falls back to text with a warning rather than silencing the logs. The demo, which draws its own
 * display, keeps the services' logs at warnings unless {@code --verbose}.
 */
public final class LogSettings {

    public static final String FORMAT_PROPERTY = "bridge.log.format";
    public static final String LEVEL_PROPERTY = "bridge.log.level";
    public static final String FORMAT_ENV = "BRIDGE_LOG_FORMAT";
    static final List<String> FORMATS = List.of("text", "json");

    private LogSettings() {
    }

    /** Sets the system properties {@code logback.xml} reads; call first thing in {@code main}. */
    public static void apply(String[] args, Map<String, String> env, PrintStream err) {
        String format = format(args, System.getProperty(FORMAT_PROPERTY), env, err);
        if (format != null) {
            System.setProperty(FORMAT_PROPERTY, format);
        }
        boolean demo = args.length > 0 && args[0].equals("demo");
        if (demo && !List.of(args).contains("--verbose") && System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "warn");
            // its stores live in a temporary directory on purpose; Kafka Streams warns about that
            quiet("org.apache.kafka.streams.processor.internals.StateDirectory");
        }
    }

    /** The format asked for ({@code text} or {@code json}), null when nobody asked; an unknown one is text. */
    static String format(String[] args, String property, Map<String, String> env, PrintStream err) {
        String format = optionValue(args, "--log-format");
        if (format == null) {
            format = property != null ? property : env.get(FORMAT_ENV);
        }
        if (format == null) {
            return null;
        }
        String normalized = format.trim().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(normalized)) {
            err.println("bridge: log format '" + format + "' is not one of " + FORMATS + "; using text");
            return "text";
        }
        return normalized;
    }

    /** The value of {@code --name value} or {@code --name=value}, or null. */
    static String optionValue(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
        }
        return null;
    }

    private static void quiet(String loggerName) {
        Logger logger = LoggerFactory.getLogger(loggerName);
        if (logger instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
