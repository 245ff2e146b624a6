package io.asyncbridge.callbacks.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Generative test: random mutations of valid webhooks against the real endpoint. Three kinds:
 * <ul>
 *   <li>tampered after signing (a body byte, the signature, the token, the Standard Webhooks id or timestamp): never
 *       202, always a 4xx;</li>
 *   <li>garbage signed properly (byte flips, cuts, odd unicode, deep nesting, huge bodies): 202, or 400/413 saying what
 *       is wrong with the body, never 401;</li>
 *   <li>random content types: 202 only for JSON media types, 415 otherwise.</li>
 * </ul>
 * Every answer is 202 (the webhook reached the sink once) or a 4xx in the error shape (nothing reached the sink), never
 * a 5xx or a hang, and a valid webhook is still accepted after each. The seed is printed with every failure; rerun
 * with {@code -Dbridge.fuzz.seed=<seed>} (and {@code -Dbridge.fuzz.count}).
 */
class WebhookMutationTest {

  private static final String[] UNICODE = {"\u0000", "\u202e", "\ud83d\ude00", "\ufeff", "é", "\\ud800", "\r\n"};
  private static final String[] CONTENT_TYPES = {"application/json", "application/cloudevents+json", "text/plain",
      "application/json; charset=utf-8", "APPLICATION/JSON", "application/x-www-form-urlencoded", "", "json",
      "application/jsonx", "multipart/mixed"};
  private static final String PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%";
  private static final Set<String> BODY_PROBLEMS = Set.of("malformed_json", "too_deep", "missing_correlation_id");

  /** A valid webhook; {@code provider} picks how it is signed. */
  private record Webhook(String provider, String path, byte[] body, String swId, long swTimestamp) {
  }

  @Test
  void everyMutatedWebhookIsAcceptedOrRefusedWithA4xxAndValidOnesStillFlow() throws Exception {
    long seed = Long.getLong("bridge.fuzz.seed", System.nanoTime());
    int count = Integer.getInteger("bridge.fuzz.count", 200);
    System.out.println("WebhookMutationTest: seed " + seed + ", " + count + " mutations");
    Random random = new Random(seed);
    try (WebhookBench bench = new WebhookBench()) {
      for (int i = 0; i < count; i++) {
        Webhook webhook = base(bench, i, random);
        int kind = random.nextInt(3);
        String context = "seed " + seed + ", mutation " + i + " (kind " + kind + ", " + webhook.provider() + ")";
        try {
          switch (kind) {
            case 0 -> tampered(bench, webhook, random, context);
            case 1 -> signedGarbage(bench, webhook, random, context);
            default -> contentType(bench, webhook, random, context);
          }
          bench.assertAValidWebhookIsStillAccepted();
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(context + "\n" + e.getMessage(), e);
        }
      }
    }
  }

  private static Webhook base(WebhookBench bench, int i, Random random) {
    long now = WebhookBench.NOW.getEpochSecond();
    return switch (random.nextInt(3)) {
      case 0 -> new Webhook("documents", bench.perTask("documents", "fz-" + i),
          utf8("{\"eventId\":" + (10_000 + i) + ",\"instanceId\":30,\"response\":{\"events\":[{\"path\":\"/f\"}]}}"), null, 0);
      case 1 -> new Webhook("documents", "/callbacks/documents", utf8("{\"eventId\":" + (20_000 + i) + ",\"response\":{}}"),
          null, 0);
      default -> new Webhook("payments", "/callbacks/payments",
          utf8("{\"data\":{\"id\":\"pay_" + i + "\",\"status\":\"paid\"}}"), "msg_" + i, now);
    };
  }

  private static MultiMap sign(WebhookBench bench, Webhook webhook, byte[] body) {
    return webhook.provider().equals("payments")
        ? bench.swSigned(webhook.swId(), webhook.swTimestamp(), body) : bench.ceSigned(body);
  }

  private static void tampered(WebhookBench bench, Webhook webhook, Random random, String context) throws Exception {
    byte[] body = webhook.body();
    MultiMap headers = sign(bench, webhook, body);
    String path = webhook.path();
    byte[] sent = body;
    switch (random.nextInt(4)) {
      case 0 -> sent = flipOneByte(body, random);
      case 1 -> {
        String name = webhook.provider().equals("payments") ? "webhook-signature" : "Elements-Webhook-Signature";
        headers.set(name, flipOneChar(headers.get(name), random));
      }
      case 2 -> {
        if (path.split("/").length == 5) {
          path = path.substring(0, path.lastIndexOf('/') + 1) + flipOneChar(path.substring(path.lastIndexOf('/') + 1), random);
        } else {
          sent = flipOneByte(body, random);
        }
      }
      default -> {
        if (webhook.provider().equals("payments")) {
          if (random.nextBoolean()) {
            headers.set("webhook-id", flipOneChar(webhook.swId(), random));
          } else {
            headers.set("webhook-timestamp", Long.toString(webhook.swTimestamp() + 1 + random.nextInt(1000)));
          }
        } else {
          sent = flipOneByte(body, random);
        }
      }
    }
    HttpResponse<Buffer> response = sendAndCheck(bench, path, headers, sent, context);
    assertThat(response.statusCode()).as("%s: a tampered webhook is never accepted", context).isBetween(400, 499);
  }

  private static void signedGarbage(WebhookBench bench, Webhook webhook, Random random, String context) throws Exception {
    byte[] body = webhook.body();
    for (int m = 1 + random.nextInt(3); m > 0; m--) {
      body = switch (random.nextInt(5)) {
        case 0 -> flipOneByte(body, random);
        case 1 -> Arrays.copyOf(body, random.nextInt(body.length + 1));
        case 2 -> insert(body, utf8(UNICODE[random.nextInt(UNICODE.length)]), random);
        case 3 -> nest(body, random.nextBoolean() ? 1 + random.nextInt(30) : 60 + random.nextInt(600));
        default -> insert(body, utf8("\"pad\":\"" + "p".repeat(random.nextBoolean() ? 100 : 5000) + "\","), random);
      };
    }
    HttpResponse<Buffer> response = sendAndCheck(bench, webhook.path(), sign(bench, webhook, body), body, context);
    int status = response.statusCode();
    assertThat(status).as("%s: signed garbage is accepted or refused for its body, never for its signature", context)
        .isIn(202, 400, 413);
    if (status == 400) {
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isIn(BODY_PROBLEMS);
    }
  }

  private static void contentType(WebhookBench bench, Webhook webhook, Random random, String context) throws Exception {
    String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
    MultiMap headers = sign(bench, webhook, webhook.body());
    if (type.isEmpty()) {
      headers.remove("Content-Type");
    } else {
      headers.set("Content-Type", type);
    }
    HttpResponse<Buffer> response = sendAndCheck(bench, webhook.path(), headers, webhook.body(), context);
    String media = type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
    boolean json = media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    assertThat(response.statusCode()).as("%s: content type '%s'", context, type).isEqualTo(json ? 202 : 415);
  }

  /** Sends and checks what holds for every answer: 202 with one webhook in the sink, or a 4xx error shape and none. */
  private static HttpResponse<Buffer> sendAndCheck(WebhookBench bench, String path, MultiMap headers, byte[] body,
      String context) throws Exception {
    int before = bench.received.size();
    HttpResponse<Buffer> response = bench.send(HttpMethod.POST, path, headers, body);
    int status = response.statusCode();
    assertThat(status).as("%s: 202 or a 4xx, answer %s", context, response.bodyAsString()).satisfiesAnyOf(
        s -> assertThat(s).isEqualTo(202), s -> assertThat(s).isBetween(400, 499));
    if (status == 202) {
      assertThat(bench.received).as("%s: accepted once", context).hasSize(before + 1);
    } else {
      assertThat(bench.received).as("%s: refused, nothing stored", context).hasSize(before);
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getInteger("status")).isEqualTo(status);
      assertThat(error.getString("code")).isNotBlank();
      for (String secret : bench.secrets()) {
        assertThat(response.bodyAsString()).doesNotContain(secret);
      }
    }
    return response;
  }

  private static byte[] flipOneByte(byte[] body, Random random) {
    if (body.length == 0) {
      return body; // an earlier cut may have left nothing to flip
    }
    byte[] flipped = body.clone();
    int at = random.nextInt(flipped.length);
    flipped[at] = (byte) (flipped[at] ^ (1 + random.nextInt(255)));
    return flipped;
  }

  private static String flipOneChar(String text, Random random) {
    int at = random.nextInt(text.length());
    char replacement;
    do {
      replacement = PRINTABLE.charAt(random.nextInt(PRINTABLE.length()));
    } while (replacement == text.charAt(at) || replacement == '%');
    return text.substring(0, at) + replacement + text.substring(at + 1);
  }

  private static byte[] insert(byte[] body, byte[] what, Random random) {
    int at = random.nextInt(body.length + 1);
    byte[] result = new byte[body.length + what.length];
    System.arraycopy(body, 0, result, 0, at);
    System.arraycopy(what, 0, result, at, what.length);
    System.arraycopy(body, at, result, at + what.length, body.length - at);
    return result;
  }

  private static byte[] nest(byte[] body, int depth) {
    return utf8("[".repeat(depth) + new String(body, StandardCharsets.UTF_8) + "]".repeat(depth));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
