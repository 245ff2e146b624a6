package io.asyncbridge.callbacks.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.asyncbridge.core.http.HttpError;
import java.io.IOException;

/**
 * Checks webhook bodies cheaply and defensively on the event loop, in one streaming pass that builds no tree (the
 * body travels on as the bytes received): exactly one JSON document, bounded nesting (a deeply nested body would cost
 * stack and CPU), strict about duplicate keys and trailing content (two readers must not disagree on a body).
 */
public final class JsonBodies {

  public static final int MAX_NESTING_DEPTH = 64;

  private final JsonFactory factory;
  /** Reads the one value at the correlation pointer; the document around it is checked by the pass itself. */
  private final ObjectReader valueReader;

  public JsonBodies() {
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.valueReader = JsonMapper.builder(factory).build().readerFor(JsonNode.class)
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Checks that the body is one well-formed JSON document and returns the id at {@code pointer} (see
   * {@link #idAt}), or null when the pointer is null or finds no usable id; an {@link HttpError} 400 says what is
   * wrong with a body that is not acceptable.
   */
  public String correlationId(byte[] body, JsonPointer pointer) {
    if (body.length == 0) {
      throw empty();
    }
    try (JsonParser parser = factory.createParser(body)) {
      String id = null;
      boolean found = false;
      int depth = 0;
      boolean complete = false;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (complete) {
          throw malformed(parser.currentLocation()); // a second document, or anything after the first
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        } else if (!found && pointer != null && token.isScalarValue() && at(parser.getParsingContext(), pointer)) {
          id = idAt(valueReader.readTree(parser), JsonPointer.empty());
          found = true;
        }
        complete = depth == 0;
      }
      if (!complete) {
        throw empty(); // only whitespace
      }
      return id;
    } catch (StreamConstraintsException e) {
      throw HttpError.badRequest("too_deep", "the body nests deeper than " + MAX_NESTING_DEPTH + " levels");
    } catch (JsonProcessingException e) {
      throw malformed(e.getLocation());
    } catch (IOException e) {
      throw HttpError.badRequest("malformed_json", "the body could not be read as JSON");
    }
  }

  /** Whether the parser's current scalar sits exactly at {@code pointer} (names in objects, indexes in arrays). */
  private static boolean at(JsonStreamContext context, JsonPointer pointer) {
    JsonStreamContext level = context;
    int depth = 0;
    for (JsonPointer segment = pointer; !segment.matches(); segment = segment.tail()) {
      depth++;
    }
    for (int wanted = depth; wanted > 0; wanted--) {
      if (level == null || level.inRoot()) {
        return false;
      }
      JsonPointer segment = segmentAt(pointer, wanted - 1);
      if (level.inObject() ? !segment.getMatchingProperty().equals(level.getCurrentName())
          : segment.getMatchingIndex() != level.getCurrentIndex()) {
        return false;
      }
      level = level.getParent();
    }
    return level != null && level.inRoot();
  }

  private static JsonPointer segmentAt(JsonPointer pointer, int index) {
    JsonPointer segment = pointer;
    for (int i = 0; i < index; i++) {
      segment = segment.tail();
    }
    return segment;
  }

  /**
   * The id at {@code pointer}: a string, or a number written as its decimal text; null when absent, another type, or
   * a number too large for a double (such as {@code 1e400}, which reads as infinity and has no decimal text).
   */
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
    if (node.isNumber() && (node.isBigDecimal() || Double.isFinite(node.doubleValue()))) {
      return node.decimalValue().toPlainString();
    }
    return null;
  }

  private static HttpError empty() {
    return HttpError.badRequest("malformed_json", "the body is empty; send the webhook as a JSON document");
  }

  private static HttpError malformed(JsonLocation location) {
    String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return HttpError.badRequest("malformed_json", "the body is not valid JSON" + where);
  }
}
