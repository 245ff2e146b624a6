package io.asyncbridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void theOptionWinsOverThePropertyWhichWinsOverTheEnvironment() {
        Map<String, String> env = Map.of("BRIDGE_LOG_FORMAT", "text");
        assertThat(LogSettings.format(new String[] {"run", "--log-format", "JSON"}, "text", env, err)).isEqualTo("json");
        assertThat(LogSettings.format(new String[] {"run", "--log-format=json"}, null, env, err)).isEqualTo("json");
        assertThat(LogSettings.format(new String[] {"run"}, "json", env, err)).isEqualTo("json");
        assertThat(LogSettings.format(new String[] {"run"}, null, Map.of("BRIDGE_LOG_FORMAT", "Json"), err))
                .isEqualTo("json");
        assertThat(LogSettings.format(new String[] {"run"}, null, Map.of(), err)).as("nobody asked").isNull();
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUnknownFormatFallsBackToTextAndSaysSo() {
        assertThat(LogSettings.format(new String[] {"run"}, null, Map.of("BRIDGE_LOG_FORMAT", "xml"), err))
                .isEqualTo("text");
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("log format 'xml' is not one of [text, json]");
    }
}
