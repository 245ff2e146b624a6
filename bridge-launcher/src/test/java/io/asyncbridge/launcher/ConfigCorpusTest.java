package io.asyncbridge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The bad-input corpus of configurations: each file under {@code src/test/resources/bad-input/config/} breaks one
 * rule and names, in {@code # expect:} lines, what the report must say (always with the key path). Each is checked
 * three ways: the loader's problems, {@code bridge check-config FILE} (exit 2, the report on stderr) and
 * {@code bridge run --config FILE} (exit 2 before anything starts). {@code {{secret}}} in a file is replaced by a
 * random value that must appear in no report.
 */
class ConfigCorpusTest {

    private static final Path CORPUS = Path.of("src", "test", "resources", "bad-input", "config");

    @TempDir
    Path dir;

    static Stream<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            List<Path> sorted = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
            assertThat(sorted).as("the corpus").hasSizeGreaterThan(40);
            return sorted.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachBrokenConfigurationIsReportedWithItsKeyPathAndExitsTwo(Path corpusFile) throws IOException {
        String secret = random(32);
        String shortSecret = random(10);
        String raw = Files.readString(corpusFile, StandardCharsets.UTF_8);
        List<String> expected = raw.lines().filter(line -> line.startsWith("# expect: "))
            .map(line -> line.substring("# expect: ".length())).toList();
        assertThat(expected).as("%s names what the report must say", corpusFile).isNotEmpty();
        String yaml = raw.replace("{{secret}}", secret).replace("{{short}}", shortSecret);
        Path file = Files.writeString(dir.resolve(corpusFile.getFileName()), yaml);

        ConfigException loaded = catchThrowableOfType(ConfigException.class,
            () -> new BridgeConfigLoader(Map.of()).load(file));
        assertThat(loaded).as("the loader refuses %s", corpusFile).isNotNull();
        for (String part : expected) {
            assertThat(loaded.problems()).as("problems of %s", corpusFile).anyMatch(problem -> problem.contains(part));
        }

        Cli checked = cli("check-config", file.toString());
        assertThat(checked.exitCode()).as("check-config exit code, stdout: %s", checked.out()).isEqualTo(2);
        assertThat(checked.out()).doesNotContain("is valid");
        for (String part : expected) {
            assertThat(checked.err()).contains(part);
        }

        Cli run = cli("run", "--config", file.toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(run.exitCode()).as("run exit code").isEqualTo(2);
        assertThat(run.err()).contains(expected.get(0));
        assertThat(Files.exists(dir.resolve("state"))).as("nothing started").isFalse();

        for (String report : List.of(loaded.getMessage(), checked.err(), checked.out(), run.err(), run.out())) {
            assertThat(report).as("no secret in the report").doesNotContain(secret).doesNotContain(shortSecret);
        }
    }

    private record Cli(int exitCode, String out, String err) {
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BridgeCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Cli(exitCode, out.toString(), err.toString());
    }

    private static String random(int length) {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder text = new StringBuilder("C");
        for (int i = 1; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
