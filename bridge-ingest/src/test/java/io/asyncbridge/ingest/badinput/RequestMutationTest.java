package io.asyncbridge.ingest.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.request.ParsedRequest;
import io.asyncbridge.schemas.request.RequestParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Generative test: random mutations of valid requests (byte flips, cuts, field deletions, type swaps, huge strings,
 * odd unicode, deep nesting, dangerous paths and headers) through the real ingest topology and HTTP dispatcher. The
 * property: each input ends in exactly one of (a) dead letter, plus one rejected completion when its taskId is
 * readable and new; (b) dispatched, ending in exactly one hand-over or completion; (c) ignored as a duplicate of a
 * taskId already seen. Nothing escapes the processor, and a valid request piped after each input still goes through.
 * The seed is printed with every failure; rerun with {@code -Dbridge.fuzz.seed=<seed>} (and {@code -Dbridge.fuzz.count}).
 */
class RequestMutationTest {

  /** Writes what it is given, however deep: the bridge's readers must cope, not the generator. */
  private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(100_000).build())
      .build());
  private static final String[] UNICODE = {"\u0000", "\u202e", "\ud83d\ude00", "\ufeff", "é", "\u2028", "\\ud800",
      "\\u0000", "%00", "\r\n", "../", "\u0130"};
  private static final String[] DANGEROUS_PATHS = {"/a/../../admin", "//169.254.169.254/x", "http://169.254.169.254/",
      "/%2e%2e/x", "/x?y=1", "file:///etc/passwd", "/\\\\x", "/@169.254.169.254/x", "/answers/accept/.", ""};
  private static final String[] DANGEROUS_HEADERS = {"Authorization", "Host", "Elements-Async-Callback-Url", "Cookie",
      "X-Api-Key", "Content-Length", "X-Ok"};

  private final RequestParser parser = RequestParser.create();

  @Test
  void everyMutatedRequestEndsInExactlyOneWayAndValidOnesStillFlow() throws Exception {
    long seed = Long.getLong("bridge.fuzz.seed", System.nanoTime());
    int count = Integer.getInteger("bridge.fuzz.count", 120);
    System.out.println("RequestMutationTest: seed " + seed + ", " + count + " mutations");
    Random random = new Random(seed);
    Set<String> seen = new HashSet<>();
    try (IngestBench bench = new IngestBench()) {
      for (int i = 0; i < count; i++) {
        String taskId = "gen-" + i;
        byte[] key = random.nextInt(20) == 0 ? null : IngestBench.utf8(taskId);
        byte[] value = mutate(base(taskId, random), random);
        String context = "seed " + seed + ", mutation " + i + ": " + abbreviate(value);
        try {
          check(bench, key, value, seen, context);
          bench.assertAValidRequestStillGoesThrough();
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(context + "\n" + e.getMessage(), e);
        }
      }
    }
  }

  private void check(IngestBench bench, byte[] key, byte[] value, Set<String> seen, String context) {
    Optional<String> readable = parser.readableTaskId(value);
    ParsedRequest parsed = parser.parse(value);
    String settleOn = parsed instanceof ParsedRequest.Valid valid ? valid.request().taskId() : readable.orElse(null);
    boolean knownBefore = settleOn != null && seen.contains(settleOn);

    IngestBench.Outcome outcome = bench.submit(key, value, null, knownBefore ? null : settleOn, Duration.ofSeconds(60));

    boolean deadLettered = outcome.deadLetters().size() == 1 && outcome.accepted().isEmpty()
        && outcome.calls().isEmpty()
        && outcome.completions().size() == (readable.isPresent() && !knownBefore ? 1 : 0)
        && outcome.completions().stream().allMatch(c -> c.status() == CompletionStatus.REJECTED
            && c.taskId().equals(readable.get()));
    long ends = outcome.completions().stream().filter(c -> c.taskId().equals(settleOn)).count()
        + outcome.accepted().stream().filter(t -> t.taskId().equals(settleOn)).count();
    boolean dispatched = outcome.deadLetters().isEmpty() && settleOn != null && !knownBefore && ends == 1
        && outcome.completions().size() + outcome.accepted().size() == 1;
    boolean duplicate = outcome.deadLetters().isEmpty() && knownBefore && outcome.completions().isEmpty()
        && outcome.accepted().isEmpty() && outcome.calls().isEmpty();
    assertThat(List.of(deadLettered, dispatched, duplicate)).as("exactly one outcome of dead letter, dispatched,"
        + " duplicate; got %s dead letters, completions %s, hand-overs %s, %s calls", outcome.deadLetters().size(),
        outcome.completions().stream().map(Completion::error).toList(), outcome.accepted().size(), outcome.calls().size())
        .containsOnlyOnce(true);
    bench.assertSchemaValid(outcome);
    bench.assertNoSecretIn(outcome);
    if (settleOn != null) {
      seen.add(settleOn);
    }
  }

  private static ObjectNode base(String taskId, Random random) {
    ObjectNode request = JSON.createObjectNode().put("taskId", taskId);
    if (random.nextBoolean()) {
      request.put("provider", "acquia").put("method", "POST").put("path", "/answers/accept");
    } else {
      request.put("provider", "documents").put("method", "POST").put("path", "/answers/ce-accept");
    }
    request.putObject("body").put("name", "db").putArray("tags").add("a").add(1);
    request.putObject("query").put("page", "1");
    request.putObject("headers").put("X-Trace", "t-1");
    request.putObject("metadata").put("team", "blue");
    request.put("timeout", "PT10M");
    return request;
  }

  private static byte[] mutate(ObjectNode request, Random random) throws Exception {
    int mutations = 1 + random.nextInt(3);
    byte[] bytes = null;
    for (int m = 0; m < mutations; m++) {
      int kind = random.nextInt(10);
      if (kind >= 7 && bytes == null) {
        bytes = JSON.writeValueAsBytes(request);
      }
      switch (kind) {
        case 0 -> deleteField(request, random);
        case 1 -> swapType(request, random);
        case 2 -> pickStringField(request, random).ifPresent(field -> field.parent().put(field.name(),
            "h".repeat(random.nextBoolean() ? 20_000 : 600_000)));
        case 3 -> pickStringField(request, random).ifPresent(field -> field.parent().put(field.name(),
            insert(field.parent().get(field.name()).asText(), UNICODE[random.nextInt(UNICODE.length)], random)));
        case 4 -> nest(request, random);
        case 5 -> request.put("path", DANGEROUS_PATHS[random.nextInt(DANGEROUS_PATHS.length)]);
        case 6 -> (request.get("headers") instanceof ObjectNode headers ? headers : request.putObject("headers"))
            .put(DANGEROUS_HEADERS[random.nextInt(DANGEROUS_HEADERS.length)], "x");
        case 7 -> {
          if (bytes.length > 0) { // an earlier cut may have left nothing to flip
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
        }
        case 8 -> bytes = java.util.Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
        default -> {
          String text = new String(bytes, StandardCharsets.UTF_8);
          int at = random.nextInt(text.length() + 1);
          bytes = (text.substring(0, at) + UNICODE[random.nextInt(UNICODE.length)] + text.substring(at))
              .getBytes(StandardCharsets.UTF_8);
        }
      }
    }
    return bytes == null ? JSON.writeValueAsBytes(request) : bytes;
  }

  private record Field(ObjectNode parent, String name) {
  }

  private static List<Field> fields(ObjectNode node) {
    List<Field> fields = new ArrayList<>();
    node.fieldNames().forEachRemaining(name -> {
      fields.add(new Field(node, name));
      if (node.get(name) instanceof ObjectNode child) {
        fields.addAll(fields(child));
      }
    });
    return fields;
  }

  private static void deleteField(ObjectNode request, Random random) {
    List<Field> fields = fields(request);
    Field field = fields.get(random.nextInt(fields.size()));
    field.parent().remove(field.name());
  }

  private static void swapType(ObjectNode request, Random random) {
    List<Field> fields = fields(request);
    Field field = fields.get(random.nextInt(fields.size()));
    JsonNode replacement = switch (random.nextInt(6)) {
      case 0 -> JSON.getNodeFactory().numberNode(random.nextLong());
      case 1 -> JSON.getNodeFactory().booleanNode(true);
      case 2 -> JSON.getNodeFactory().nullNode();
      case 3 -> JSON.createArrayNode().add("x");
      case 4 -> JSON.createObjectNode().put("x", 1);
      default -> JSON.getNodeFactory().numberNode(1.5e300);
    };
    field.parent().set(field.name(), replacement);
  }

  private static Optional<Field> pickStringField(ObjectNode request, Random random) {
    List<Field> strings = fields(request).stream().filter(f -> f.parent().get(f.name()).isTextual()).toList();
    return strings.isEmpty() ? Optional.empty() : Optional.of(strings.get(random.nextInt(strings.size())));
  }

  private static void nest(ObjectNode request, Random random) {
    List<Field> fields = fields(request);
    Field field = fields.get(random.nextInt(fields.size()));
    int depth = random.nextBoolean() ? 1 + random.nextInt(10) : 400 + random.nextInt(2000);
    JsonNode value = field.parent().get(field.name());
    for (int level = 0; level < depth; level++) {
      if (level % 2 == 0) {
        ArrayNode array = JSON.createArrayNode();
        array.add(value);
        value = array;
      } else {
        ObjectNode object = JSON.createObjectNode();
        object.set("n", value);
        value = object;
      }
    }
    field.parent().set(field.name(), value);
  }

  private static String insert(String text, String what, Random random) {
    int at = random.nextInt(text.length() + 1);
    return text.substring(0, at) + what + text.substring(at);
  }

  private static String abbreviate(byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8);
    return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + value.length + " bytes)";
  }
}
