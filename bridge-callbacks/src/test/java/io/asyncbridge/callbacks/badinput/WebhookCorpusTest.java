package io.asyncbridge.callbacks.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus of webhooks, against the real endpoint on a real port. Each row is one HTTP request and its
 * expected answer: 202 (and the webhook reaches the sink once) or an error status with its code in the JSON error
 * body (and nothing reaches the sink). After every row a valid webhook is still accepted; no answer holds a secret.
 * Duplicates and webhooks for unknown tasks or event ids are accepted here on purpose: the correlation topology
 * recognizes duplicates by their completed marker and holds unmatched webhooks for {@code earlyWebhookRetention}
 * (CallbacksTopologyTest). Slow-drip bodies are in {@link SlowDripTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookCorpusTest {

  private static final long NOW = WebhookBench.NOW.getEpochSecond();

  /** One HTTP request. */
  record Request(HttpMethod method, String path, MultiMap headers, byte[] body) {
  }

  /** One case: how to build the request, the expected status and error code (null for 202). */
  record Case(String name, Function<WebhookBench, Request> request, int status, String code) {
    @Override
    public String toString() {
      return name;
    }
  }

  private WebhookBench bench;

  @BeforeAll
  void start() throws Exception {
    bench = new WebhookBench();
  }

  @AfterAll
  void stop() throws Exception {
    bench.close();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static final byte[] CE_BODY = utf8("{\"eventId\":1028,\"response\":{\"events\":[]}}");

  /** A Cloud Elements webhook to a per-task route, signed over {@code body}, with header changes. */
  static Case ce(String name, byte[] body, Function<WebhookBench, MultiMap> headers, int status, String code) {
    return new Case(name, b -> new Request(HttpMethod.POST, b.perTask("documents", "t-ce"), headers.apply(b), body),
        status, code);
  }

  static Case ceSigned(String name, byte[] body, int status, String code) {
    return ce(name, body, b -> b.ceSigned(body), status, code);
  }

  static Case sw(String name, Function<WebhookBench, MultiMap> headers, byte[] body, int status, String code) {
    return new Case(name, b -> new Request(HttpMethod.POST, "/callbacks/payments", headers.apply(b), body), status, code);
  }

  static final byte[] SW_BODY = utf8("{\"data\":{\"id\":\"pay_1\",\"status\":\"paid\"}}");

  static Case path(String name, HttpMethod method, Function<WebhookBench, String> path, int status, String code) {
    return new Case(name, b -> new Request(method, path.apply(b), b.ceSigned(CE_BODY), CE_BODY), status, code);
  }

  static Stream<Case> cases() {
    String deep64 = "[".repeat(63) + "{\"eventId\":1}" + "]".repeat(63);
    String deep65 = "[".repeat(65) + "]".repeat(65);
    String deepObjects = "{\"a\":".repeat(300) + "1" + "}".repeat(300);
    String huge = "{\"eventId\":1,\"pad\":\"" + "x".repeat(WebhookBench.MAX_BODY) + "\"}";
    String exact = "{\"eventId\":1,\"pad\":\"";
    exact = exact + "x".repeat(WebhookBench.MAX_BODY - exact.length() - 2) + "\"}";
    byte[] exactBody = utf8(exact);
    byte[] badUtf8 = new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'};
    byte[] bom = utf8("\ufeff{\"eventId\":5}");
    return Stream.of(
        // ---- Cloud Elements signatures
        ce("signature missing", CE_BODY, b -> WebhookBench.json(), 401, "missing_signature"),
        ce("signature empty", CE_BODY, b -> WebhookBench.json().set("Elements-Webhook-Signature", ""), 401, "missing_signature"),
        ce("signature forged with another key", CE_BODY, b -> WebhookBench.json().set("Elements-Webhook-Signature",
            "sha256=" + java.util.Base64.getEncoder().encodeToString(WebhookBench.hmac(utf8("guess"), CE_BODY))),
            401, "invalid_signature"),
        ce("signature truncated", CE_BODY, b -> WebhookBench.json().set("Elements-Webhook-Signature",
            b.ceSignature(CE_BODY).substring(0, 20)), 401, "invalid_signature"),
        ce("signature without its sha256= prefix", CE_BODY, b -> WebhookBench.json().set("Elements-Webhook-Signature",
            b.ceSignature(CE_BODY).substring("sha256=".length())), 401, "invalid_signature"),
        ce("signature as hex instead of base64", CE_BODY, b -> WebhookBench.json().set("Elements-Webhook-Signature",
            "sha256=" + java.util.HexFormat.of().formatHex(WebhookBench.hmac(utf8(b.signatureKey), CE_BODY))),
            401, "invalid_signature"),
        ce("signature of another body", CE_BODY, b -> b.ceSigned(utf8("{\"eventId\":1029}")), 401, "invalid_signature"),
        ce("body changed after signing (one space)", utf8("{\"eventId\":1028, \"response\":{\"events\":[]}}"),
            b -> b.ceSigned(CE_BODY), 401, "invalid_signature"),
        ce("a forged signature header before the real one", CE_BODY, b -> WebhookBench.json()
            .add("Elements-Webhook-Signature", "sha256=AAAA").add("Elements-Webhook-Signature", b.ceSignature(CE_BODY)),
            401, "invalid_signature"),
        ce("signature of junk characters", CE_BODY, b -> WebhookBench.json().set("Elements-Webhook-Signature",
            "sha256=!!!\u00ff"), 401, "invalid_signature"),
        new Case("provider route, forged signature", b -> new Request(HttpMethod.POST, "/callbacks/documents",
            WebhookBench.json().set("Elements-Webhook-Signature", "sha256=AAAA"), CE_BODY), 401, "invalid_signature"),
        // ---- per-task tokens
        new Case("token of another task", b -> new Request(HttpMethod.POST, "/callbacks/documents/t-ce/"
            + b.tokens.tokenFor("documents", "t-other"), b.ceSigned(CE_BODY), CE_BODY), 401, "invalid_token"),
        new Case("token of another provider", b -> new Request(HttpMethod.POST, "/callbacks/documents/t-ce/"
            + b.tokens.tokenFor("builds", "t-ce"), b.ceSigned(CE_BODY), CE_BODY), 401, "invalid_token"),
        new Case("token truncated", b -> new Request(HttpMethod.POST, b.perTask("documents", "t-ce").substring(0,
            b.perTask("documents", "t-ce").length() - 5), b.ceSigned(CE_BODY), CE_BODY), 401, "invalid_token"),
        new Case("token made up", b -> new Request(HttpMethod.POST, "/callbacks/documents/t-ce/AAAAAAAAAAAAAAAAAAAAAA",
            b.ceSigned(CE_BODY), CE_BODY), 401, "invalid_token"),
        new Case("token missing (empty last segment)", b -> new Request(HttpMethod.POST, "/callbacks/documents/t-ce/",
            b.ceSigned(CE_BODY), CE_BODY), 404, "not_found"),
        new Case("unsigned provider, wrong token", b -> new Request(HttpMethod.POST, "/callbacks/builds/b-1/"
            + b.tokens.tokenFor("builds", "b-2"), WebhookBench.json(), utf8("{\"state\":\"ok\"}")), 401, "invalid_token"),
        new Case("extra path segment after the token", b -> new Request(HttpMethod.POST, b.perTask("documents", "t-ce")
            + "/extra", b.ceSigned(CE_BODY), CE_BODY), 404, "not_found"),
        // ---- Standard Webhooks: signatures and replay window
        sw("standard webhook, valid (control)", b -> b.swSigned("msg_1", NOW, SW_BODY), SW_BODY, 202, null),
        sw("standard webhook, replayed within the window (deduplicated downstream)", b -> b.swSigned("msg_1", NOW, SW_BODY),
            SW_BODY, 202, null),
        sw("standard webhook, headers missing", b -> WebhookBench.json(), SW_BODY, 401, "missing_signature"),
        sw("standard webhook, timestamp 10 minutes old", b -> b.swSigned("msg_2", NOW - 600, SW_BODY), SW_BODY, 401,
            "stale_timestamp"),
        sw("standard webhook, timestamp 10 minutes ahead", b -> b.swSigned("msg_3", NOW + 600, SW_BODY), SW_BODY, 401,
            "stale_timestamp"),
        sw("standard webhook, timestamp not a number", b -> b.swSigned("msg_4", NOW, SW_BODY)
            .set("webhook-timestamp", "yesterday"), SW_BODY, 401, "invalid_signature"),
        sw("standard webhook, signature of another id", b -> b.swSigned("msg_5", NOW, SW_BODY).set("webhook-id", "msg_6"),
            SW_BODY, 401, "invalid_signature"),
        sw("standard webhook, signed with another secret", b -> b.swSigned("msg_7", NOW, SW_BODY).set("webhook-signature",
            WebhookBench.swSignature("whsec_" + java.util.Base64.getEncoder().encodeToString(utf8("another-secret-of-32-bytes!!")),
                "msg_7", NOW, SW_BODY)), SW_BODY, 401, "invalid_signature"),
        sw("standard webhook, v1a scheme", b -> b.swSigned("msg_8", NOW, SW_BODY).set("webhook-signature",
            "v1a," + b.swSignature("msg_8", NOW, SW_BODY).substring(3)), SW_BODY, 401, "invalid_signature"),
        // ---- duplicates (replays without a timestamp)
        ceSigned("Cloud Elements duplicate, first", CE_BODY, 202, null),
        ceSigned("Cloud Elements duplicate, second (deduplicated downstream)", CE_BODY, 202, null),
        // ---- content types
        ce("content type text/plain", CE_BODY, b -> b.ceSigned(CE_BODY).set("Content-Type", "text/plain"), 415, "unsupported_media_type"),
        ce("content type missing", CE_BODY, b -> b.ceSigned(CE_BODY).remove("Content-Type"), 415, "unsupported_media_type"),
        ce("content type application/xml", CE_BODY, b -> b.ceSigned(CE_BODY).set("Content-Type", "application/xml"), 415,
            "unsupported_media_type"),
        ce("content type multipart/form-data", CE_BODY, b -> b.ceSigned(CE_BODY).set("Content-Type", "multipart/form-data; boundary=x"),
            415, "unsupported_media_type"),
        ce("content type application/jsonp", CE_BODY, b -> b.ceSigned(CE_BODY).set("Content-Type", "application/jsonp"), 415,
            "unsupported_media_type"),
        ce("content type application/json; charset=utf-8", CE_BODY, b -> b.ceSigned(CE_BODY)
            .set("Content-Type", "application/json; charset=utf-8"), 202, null),
        // ---- malformed and deep JSON (signed, so parsing is reached)
        ceSigned("JSON truncated", utf8("{\"eventId\": 1"), 400, "malformed_json"),
        ceSigned("JSON with trailing garbage", utf8("{\"eventId\":1} {}"), 400, "malformed_json"),
        ceSigned("JSON with a duplicate key", utf8("{\"eventId\":1,\"eventId\":2}"), 400, "malformed_json"),
        ceSigned("JSON with single quotes", utf8("{'eventId':1}"), 400, "malformed_json"),
        ceSigned("JSON with NaN", utf8("{\"eventId\":NaN}"), 400, "malformed_json"),
        ceSigned("JSON with invalid UTF-8", badUtf8, 400, "malformed_json"),
        ceSigned("empty body", new byte[0], 400, "malformed_json"),
        ceSigned("binary body", new byte[] {0x1f, (byte) 0x8b, 8, 0, (byte) 0xff}, 400, "malformed_json"),
        ceSigned("JSON after a byte-order mark", bom, 202, null),
        ceSigned("JSON nesting 64 levels (the limit)", utf8(deep64), 202, null),
        ceSigned("JSON nesting 65 levels", utf8(deep65), 400, "too_deep"),
        ceSigned("JSON nesting 300 objects", utf8(deepObjects), 400, "too_deep"),
        ceSigned("a JSON array as the body (per-task route)", utf8("[1,2,3]"), 202, null),
        ceSigned("JSON null as the body", utf8("null"), 202, null),
        // ---- sizes
        ceSigned("body over maxBodyBytes (Content-Length)", utf8(huge), 413, "body_too_large"),
        ceSigned("body of exactly maxBodyBytes", exactBody, 202, null),
        // ---- unknown tasks and event ids: accepted and held until earlyWebhookRetention
        new Case("per-task webhook for a task the bridge never created", b -> new Request(HttpMethod.POST,
            b.perTask("documents", "never-created"), b.ceSigned(CE_BODY), CE_BODY), 202, null),
        new Case("provider route, unknown event id", b -> {
          byte[] body = utf8("{\"eventId\":99999999}");
          return new Request(HttpMethod.POST, "/callbacks/documents", b.ceSigned(body), body);
        }, 202, null),
        new Case("provider route, no correlation id", b -> {
          byte[] body = utf8("{\"instanceId\":30}");
          return new Request(HttpMethod.POST, "/callbacks/documents", b.ceSigned(body), body);
        }, 400, "missing_correlation_id"),
        new Case("provider route, correlation id is an object", b -> {
          byte[] body = utf8("{\"eventId\":{\"id\":1}}");
          return new Request(HttpMethod.POST, "/callbacks/documents", b.ceSigned(body), body);
        }, 400, "missing_correlation_id"),
        new Case("provider route, correlation id beyond a double (1e400)", b -> {
          byte[] body = utf8("{\"eventId\":1e400}");
          return new Request(HttpMethod.POST, "/callbacks/documents", b.ceSigned(body), body);
        }, 400, "missing_correlation_id"),
        new Case("provider route, a JSON string as the body", b -> {
          byte[] body = utf8("\"eventId\"");
          return new Request(HttpMethod.POST, "/callbacks/documents", b.ceSigned(body), body);
        }, 400, "missing_correlation_id"),
        // ---- routing
        path("unknown provider", HttpMethod.POST, b -> "/callbacks/nobody/t-1/" + b.tokens.tokenFor("nobody", "t-1"), 404,
            "unknown_provider"),
        path("a poll provider", HttpMethod.POST, b -> b.perTask("acquia", "t-1"), 404, "not_a_callback_provider"),
        new Case("provider route of an unsigned provider", b -> new Request(HttpMethod.POST, "/callbacks/builds",
            WebhookBench.json(), utf8("{\"state\":\"ok\"}")), 404, "provider_route_disabled"),
        path("GET on a webhook route", HttpMethod.GET, b -> b.perTask("documents", "t-ce"), 405, "method_not_allowed"),
        path("PUT on a webhook route", HttpMethod.PUT, b -> b.perTask("documents", "t-ce"), 405, "method_not_allowed"),
        path("dot segments out of the callbacks route", HttpMethod.POST, b -> "/callbacks/../health/live", 405,
            "method_not_allowed"),
        path("unknown path", HttpMethod.POST, b -> "/admin", 404, "not_found"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachWebhookGetsItsExpectedAnswer(Case c) throws Exception {
    Request request = c.request().apply(bench);
    int before = bench.received.size();

    HttpResponse<Buffer> response = bench.send(request.method(), request.path(), request.headers(), request.body());

    assertThat(response.statusCode()).as("status, body %s", response.bodyAsString()).isEqualTo(c.status());
    if (c.status() == 202) {
      assertThat(bench.received).as("the webhook reached the sink once").hasSize(before + 1);
    } else {
      assertThat(bench.received).as("nothing reached the sink").hasSize(before);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getInteger("status")).isEqualTo(c.status());
      assertThat(error.getString("code")).isEqualTo(c.code());
      assertThat(error.getString("message")).as("a reason").isNotBlank();
    }
    String answer = response.bodyAsString();
    for (String secret : bench.secrets(bench.tokens.tokenFor("documents", "t-ce"), request.headers().get("Elements-Webhook-Signature"),
        request.headers().get("webhook-signature"))) {
      assertThat(answer).as("the answer holds no secret").doesNotContain(secret);
    }
    bench.assertAValidWebhookIsStillAccepted();
  }
}
