package io.asyncbridge.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.Examples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExamplesValidationTest {

    private static final EventSchemaValidator VALIDATOR = EventSchemaValidator.create();

    @TestFactory
    Stream<DynamicTest> validExamplesHaveNoViolation() {
        List<DynamicTest> tests = new ArrayList<>();
        for (EventType type : EventType.values()) {
            for (Path example : Examples.valid(type)) {
                tests.add(DynamicTest.dynamicTest(type.schemaName() + "/" + example.getFileName(), () ->
                        assertThat(VALIDATOR.validate(type, Examples.read(example))).isEmpty()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> invalidExamplesFailWithExactlyTheExpectedLines() {
        List<DynamicTest> tests = new ArrayList<>();
        for (EventType type : EventType.values()) {
            for (Path example : Examples.invalid(type)) {
                tests.add(DynamicTest.dynamicTest(type.schemaName() + "/" + example.getFileName(), () -> {
                    List<String> expected = Examples.expectedLines(example);
                    assertThat(expected).as("expected lines of %s", example).isNotEmpty();
                    List<String> actual = VALIDATOR.validate(type, Examples.read(example)).stream()
                            .map(SchemaViolation::toString).toList();
                    assertThat(actual).containsExactlyElementsOf(expected);
                }));
            }
        }
        return tests.stream();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventHasSeveralExamplesOfEachKind(EventType type) {
        assertThat(Examples.valid(type)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(Examples.invalid(type)).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theContractsOwnExamplesAreAmongTheValidOnes() {
        assertThat(Examples.valid(EventType.TASK_REQUEST)).extracting(p -> p.getFileName().toString()).contains("contract.json");
        assertThat(Examples.valid(EventType.COMPLETION)).extracting(p -> p.getFileName().toString()).contains("contract.json");
    }
}
