package io.asyncbridge.schemas;

import io.asyncbridge.schemas.validation.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example files under schemas/examples (tests run with the module directory as working directory). */
public final class Examples {

    public static final Path ROOT = Path.of("examples");

    private Examples() {
    }

    public static List<Path> valid(EventType type) {
        return list(ROOT.resolve("valid").resolve(type.schemaName()));
    }

    public static List<Path> invalid(EventType type) {
        return list(ROOT.resolve("invalid").resolve(type.schemaName()));
    }

    public static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expected violation lines of an invalid example, from its sibling {@code <name>.expected.txt}. */
    public static List<String> expectedLines(Path example) {
        Path expected = example.resolveSibling(example.getFileName().toString().replace(".json", ".expected.txt"));
        try {
            return Files.readAllLines(expected).stream().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + expected, e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
