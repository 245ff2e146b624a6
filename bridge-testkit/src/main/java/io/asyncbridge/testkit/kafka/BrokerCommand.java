package io.asyncbridge.testkit.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of the broker's child JVM. */
final class BrokerCommand {

    private BrokerCommand() {
    }

    static List<String> build(EmbeddedKafkaBrokerConfig config, Path propertiesFile, String clusterId) {
        List<String> command = new ArrayList<>();
        command.add(config.javaBinary().toString());
        command.add("-Xmx" + config.maxHeap());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Djava.awt.headless=true");
        command.add("-D" + KafkaBrokerMain.WATCH_STDIN_PROPERTY + "=true");
        // The broker logs through slf4j (slf4j-simple or logback, whichever is on the class path) and a little
        // through log4j2; system properties outrank any simplelogger.properties in the jar.
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + config.logLevel());
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        command.add("-Dorg.apache.logging.log4j.level=" + config.logLevel().toUpperCase(java.util.Locale.ROOT));
        command.add("-Dbridge.log.level=" + config.logLevel()); // logback, when the class path is bridge.jar's
        command.addAll(config.jvmOptions());
        command.add("-cp");
        command.add(config.classpath());
        command.add(KafkaBrokerMain.class.getName());
        command.add(propertiesFile.toAbsolutePath().toString());
        command.add(clusterId);
        return command;
    }

    /** The command for a log line, with the (long) class path shortened to its entry count. */
    static String describe(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        int cp = shown.indexOf("-cp");
        if (cp >= 0 && cp + 1 < shown.size()) {
            String classpath = shown.get(cp + 1);
            shown.set(cp + 1, "<" + classpath.split(java.io.File.pathSeparator).length + " class path entries>");
        }
        return String.join(" ", shown);
    }
}
