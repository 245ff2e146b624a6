package io.asyncbridge.callbacks.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Reads webhook bodies cheaply and defensively on the event loop: bounded nesting (a deeply nested body would cost
 * stack and CPU), strict about duplicate keys and trailing content (two readers must not disagree on a body).
 */
public final class JsonBodies {

  public static final int MAX_NESTING_DEPTH = 64;

  private final ObjectMapper mapper;

  public JsonBodies() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  }

  /** The parsed body, or an {@link HttpError} 400 saying what is wrong with it. */
  public JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw HttpError.badRequest("malformed_json", "the body is empty; send the webhook as a JSON document");
    }
    try {
      return mapper.readTree(body);
    } catch (StreamConstraintsException e) {
      throw HttpError.badRequest("too_deep", "the body nests deeper than " + MAX_NESTING_DEPTH + " levels");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw HttpError.badRequest("malformed_json", "the body is not valid JSON" + where);
    } catch (IOException e) {
      throw HttpError.badRequest("malformed_json", "the body could not be read as JSON");
    }
  }

  /** The id at {@code pointer}: a string, or a number written as its decimal text; null when absent or another type. */
  public static String idAt(JsonNode body, JsonPointer pointer) {
    if (pointer == null) {
      return null;
    }
    JsonNode node = body.at(pointer);
    if (node.isTextual()) {
      return node.asText().isEmpty() ? null : node.asText();
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    return node.isNumber() ? node.decimalValue().toPlainString() : null;
  }
}
