package io.asyncbridge.callbacks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.http.HttpError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

  private static final JsonPointer EVENT_ID = JsonPointer.compile("/eventId");
  private final JsonBodies bodies = new JsonBodies();

  @Test
  void findsTheIdAtTopLevelNestedAndInArrays() {
    assertThat(id("{\"instanceId\": 3, \"eventId\": \"abc\"}", EVENT_ID)).isEqualTo("abc");
    assertThat(id("{\"data\": {\"id\": \"x\", \"object\": {\"id\": \"pay_1\"}}}", "/data/object/id")).isEqualTo("pay_1");
    assertThat(id("{\"items\": [{\"id\": \"a\"}, {\"id\": \"b\"}]}", "/items/1/id")).isEqualTo("b");
    assertThat(id("{\"map\": {\"1\": \"one\"}}", "/map/1")).as("a number segment names a key in an object")
        .isEqualTo("one");
  }

  @Test
  void anIdWithTheSameNameElsewhereIsNotTaken() {
    assertThat(id("{\"response\": {\"eventId\": \"inner\"}}", EVENT_ID)).isNull();
    assertThat(id("{\"response\": {\"eventId\": \"inner\"}, \"eventId\": \"outer\"}", EVENT_ID)).isEqualTo("outer");
    assertThat(id("[{\"eventId\": \"in-array\"}]", EVENT_ID)).isNull();
  }

  @Test
  void numbersBecomeTheirDecimalTextAsAFullParseGaveThem() throws Exception {
    ObjectMapper tree = new ObjectMapper();
    for (String value : new String[] {"1028", "-7", "123456789012345678901234567890", "1.50", "1e3", "0.1"}) {
      String body = "{\"eventId\": " + value + "}";
      assertThat(id(body, EVENT_ID)).as(value).isEqualTo(JsonBodies.idAt(tree.readTree(body), EVENT_ID));
    }
    assertThat(id("{\"eventId\": 1028}", EVENT_ID)).isEqualTo("1028");
  }

  @Test
  void emptyStringsAndOtherTypesAreNoId() {
    assertThat(id("{\"eventId\": \"\"}", EVENT_ID)).isNull();
    assertThat(id("{\"eventId\": true}", EVENT_ID)).isNull();
    assertThat(id("{\"eventId\": null}", EVENT_ID)).isNull();
    assertThat(id("{\"eventId\": {\"value\": \"x\"}}", EVENT_ID)).isNull();
    assertThat(id("{\"eventId\": \"x\"}", (JsonPointer) null)).isNull();
    assertThat(id("42", EVENT_ID)).as("any JSON document is a body").isNull();
    assertThat(id("{\"eventId\": 1e400}", EVENT_ID)).as("beyond a double: infinity has no decimal text").isNull();
    assertThat(id("{\"eventId\": -1e400}", EVENT_ID)).isNull();
  }

  @Test
  void refusesWhatAFullParseRefused() {
    assertRefused("", "malformed_json", "empty");
    assertRefused("  \n ", "malformed_json", "empty");
    assertRefused("{\"eventId\": 1", "malformed_json", "not valid JSON");
    assertRefused("{\"eventId\": 1} {}", "malformed_json", "line 1, column");
    assertRefused("{\"eventId\": 1} x", "malformed_json", "not valid JSON");
    assertRefused("{\"eventId\": 1, \"eventId\": 2}", "malformed_json", "not valid JSON");
    assertRefused("{\"a\": \"\\uZZZZ\"}", "malformed_json", "not valid JSON");
    assertRefused("[".repeat(JsonBodies.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonBodies.MAX_NESTING_DEPTH + 1),
        "too_deep", "64");
    byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
    assertThat(catchThrowableOfType(HttpError.class, () -> bodies.correlationId(badUtf8, EVENT_ID)).code())
        .isEqualTo("malformed_json");
  }

  @Test
  void nestingUpToTheLimitIsFine() {
    String deep = "[".repeat(JsonBodies.MAX_NESTING_DEPTH) + "]".repeat(JsonBodies.MAX_NESTING_DEPTH);
    assertThat(id(deep, EVENT_ID)).isNull();
  }

  private void assertRefused(String body, String code, String messagePart) {
    HttpError error = catchThrowableOfType(HttpError.class, () -> id(body, EVENT_ID));
    assertThat(error).as(body).isNotNull();
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.code()).isEqualTo(code);
    assertThat(error.getMessage()).contains(messagePart);
  }

  private String id(String body, String pointer) {
    return id(body, JsonPointer.compile(pointer));
  }

  private String id(String body, JsonPointer pointer) {
    return bodies.correlationId(body.getBytes(StandardCharsets.UTF_8), pointer);
  }
}
