package io.asyncbridge.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's table of error codes lists exactly the catalogue's codes ({@link ErrorCode}), each with the same
 * handling (retriable or fatal) and the same services: a code added to one and not the other fails here.
 */
class ErrorCodeCatalogueTest {

    private static final Path README = Path.of("..", "README.md");
    private static final String HEADER = "| code | retriable or fatal | emitted by | meaning |";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_<>]+)` \\| (retriable|fatal) \\| ([a-z, ]+) \\| .+ \\|$");

    record Documented(String handling, String services) {
    }

    @Test
    void theReadmeListsExactlyTheCataloguesCodes() throws IOException {
        Map<String, Documented> documented = documented(Files.readString(README, StandardCharsets.UTF_8));
        Set<String> catalogued = ErrorCode.catalogue().stream().map(ErrorCode::code)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(new TreeSet<>(documented.keySet())).as("codes in README.md's error code table")
                .containsExactlyElementsOf(catalogued);
        for (ErrorCode code : ErrorCode.catalogue()) {
            assertThat(documented.get(code.code()))
                    .as("README.md's row of %s", code.code())
                    .isEqualTo(new Documented(code.handling().word(), code.services()));
        }
    }

    @Test
    void aRowTheCatalogueLacksIsFound() {
        String readme = HEADER + "\n|---|---|---|---|\n"
                + "| `invalid_request` | fatal | ingest | x |\n"
                + "| `made_up` | retriable | poller | y |\n\nafter the table\n";
        assertThat(documented(readme)).containsOnlyKeys("invalid_request", "made_up")
                .containsEntry("made_up", new Documented("retriable", "poller"));
    }

    @Test
    void aMalformedRowIsAnErrorNotASkip() {
        String readme = HEADER + "\n|---|---|---|---|\n| invalid_request | fatal | ingest | x |\n";
        assertThatThrownBy(() -> documented(readme)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("| invalid_request |");
    }

    @Test
    void codesAreUniqueSnakeCase() {
        assertThat(ErrorCode.catalogue()).extracting(ErrorCode::code).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*(_<status>)?"), "snake_case");
        assertThat(ErrorCode.catalogue()).allMatch(code -> !code.meaning().isBlank(), "has a meaning")
                .allMatch(code -> code.services().matches("any|(ingest|poller|callbacks)(, (poller|callbacks))*"),
                        "names its services");
    }

    @Test
    void anEventsCodeFindsItsEntry() {
        assertThat(ErrorCode.of("upstream_failed")).contains(ErrorCode.UPSTREAM_FAILED);
        assertThat(ErrorCode.of("notification_http_410")).contains(ErrorCode.NOTIFICATION_HTTP);
        assertThat(ErrorCode.NOTIFICATION_HTTP.withStatus(410)).isEqualTo("notification_http_410");
        assertThat(ErrorCode.NOTIFICATION_HTTP.code()).isEqualTo("notification_http_<status>");
        assertThat(ErrorCode.of("notification_http_<status>")).isEmpty();
        assertThat(ErrorCode.of("notification_http_41")).isEmpty();
        assertThat(ErrorCode.of("made_up")).isEmpty();
        assertThat(ErrorCode.of(null)).isEmpty();
        assertThatThrownBy(() -> ErrorCode.UPSTREAM_FAILED.withStatus(500)).isInstanceOf(IllegalStateException.class);
        assertThat(new TaskError(ErrorCode.DEADLINE_EXCEEDED, "late")).isEqualTo(new TaskError("deadline_exceeded", "late"));
    }

    @Test
    void retriableIsWhatTheHandlingSays() {
        assertThat(ErrorCode.UPSTREAM_UNAVAILABLE.retriable()).isTrue();
        assertThat(ErrorCode.UPSTREAM_REJECTED.retriable()).isFalse();
    }

    /** The table's rows: code to handling and services; a row that does not parse fails rather than being skipped. */
    private static Map<String, Documented> documented(String readme) {
        int start = readme.indexOf(HEADER);
        assertThat(start).as("README.md has the error code table (%s)", HEADER).isNotNegative();
        Map<String, Documented> rows = new LinkedHashMap<>();
        String[] lines = readme.substring(start).split("\n");
        for (int i = 2; i < lines.length && lines[i].startsWith("|"); i++) {
            Matcher row = ROW.matcher(lines[i]);
            assertThat(row.matches()).as("a row of README.md's error code table: %s", lines[i]).isTrue();
            assertThat(rows.put(row.group(1), new Documented(row.group(2), row.group(3))))
                    .as("README.md's error code table lists %s once", row.group(1)).isNull();
        }
        return rows;
    }
}
