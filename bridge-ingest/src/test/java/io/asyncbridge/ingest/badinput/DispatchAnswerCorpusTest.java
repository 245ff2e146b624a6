package io.asyncbridge.ingest.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.task.TaskAccepted;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus of upstream answers to the starting call, through the real HTTP dispatcher (real sockets on
 * loopback) and the real ingest topology. Each row is one answer and the task's expected end: handed over (with what
 * the path needs), or one completion with its status and error code. The dispatch policy of the bench: 2 attempts,
 * 500 ms request timeout. After every row a valid request still goes through, and no secret is in any outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispatchAnswerCorpusTest {

  private static final AtomicInteger IDS = new AtomicInteger();

  /** The expected end: {@code status} null means handed over; {@code calls} is the number of starting calls. */
  record Expect(CompletionStatus status, String code, String messagePart, int calls) {
  }

  /** One upstream answer; {@code answer} gets the bench's upstream (for hold, drip and its base URL). */
  record Case(String name, String provider, String timeout, Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> answer,
      Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  private IngestBench bench;

  @BeforeAll
  void start() throws Exception {
    bench = new IngestBench();
  }

  @AfterAll
  void stop() throws Exception {
    bench.close();
  }

  static Expect handedOver(int calls) {
    return new Expect(null, null, null, calls);
  }

  static Expect ended(CompletionStatus status, String code, String messagePart, int calls) {
    return new Expect(status, code, messagePart, calls);
  }

  static Case acquia(String name, Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> answer, Expect expect) {
    return new Case(name, "acquia", null, answer, expect);
  }

  static Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> json(int status, String body) {
    return upstream -> (request, ignored) -> FakeUpstream.json(request, status, body.replace("{base}", upstream.base()));
  }

  static Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> text(int status, String contentType, String body) {
    return upstream -> (request, ignored) -> request.response().setStatusCode(status)
        .putHeader("Content-Type", contentType).end(body);
  }

  static Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> link(String href) {
    return json(202, "{\"_links\":{\"notification\":{\"href\":\"" + href + "\"}}}");
  }

  static Stream<Case> cases() {
    CompletionStatus failed = CompletionStatus.FAILED;
    CompletionStatus rejected = CompletionStatus.REJECTED;
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    return Stream.of(
        // ---- accepted, but nothing to follow
        acquia("202, not JSON", text(202, "text/html", "Accepted <html>task queued}{"),
            ended(failed, "upstream_answer_not_json", "not JSON", 1)),
        acquia("202, empty body", text(202, "application/json", ""), ended(failed, "upstream_answer_not_json", "not JSON", 1)),
        acquia("202, a JSON array", json(202, "[]"), ended(failed, "missing_notification_link", "no notification link", 1)),
        acquia("202, a JSON string", json(202, "\"accepted\""), ended(failed, "missing_notification_link", "no notification link", 1)),
        acquia("202 without a notification link", json(202, "{\"message\":\"accepted\"}"),
            ended(failed, "missing_notification_link", "/_links/notification/href", 1)),
        acquia("202 with the link as a number", json(202, "{\"_links\":{\"notification\":{\"href\":42}}}"),
            ended(failed, "missing_notification_link", "no notification link", 1)),
        acquia("202 with an empty link", link(""), ended(failed, "missing_notification_link", "no notification link", 1)),
        acquia("202 nesting 100,000 levels", text(202, "application/json", deep), ended(failed, "upstream_answer_not_json", "not JSON", 1)),
        acquia("202 larger than 512 KiB", text(202, "application/json", "{\"pad\":\"" + "p".repeat(600_000) + "\"}"),
            ended(failed, "upstream_response_too_large", "larger than 524288 bytes", 1)),
        // ---- a link the bridge must not follow
        acquia("link to the metadata service", link("http://169.254.169.254/latest/meta-data/"),
            ended(failed, "notification_host_not_allowed", "169.254.169.254", 1)),
        acquia("link to localhost (not listed)", upstream -> link("http://localhost:" + upstream.port() + "/api/n").apply(upstream),
            ended(failed, "notification_host_not_allowed", "host localhost is not in the allowed hosts", 1)),
        acquia("link to a private address", link("http://10.0.0.7/api/n"), ended(failed, "notification_host_not_allowed", "10.0.0.7", 1)),
        acquia("link to another host", link("https://evil.example.com/api/n"),
            ended(failed, "notification_host_not_allowed", "evil.example.com", 1)),
        acquia("link with a file: scheme", link("file:///etc/passwd"), ended(failed, "notification_host_not_allowed", "scheme 'file'", 1)),
        acquia("link with an ftp: scheme", link("ftp://127.0.0.1/n"), ended(failed, "notification_host_not_allowed", "scheme 'ftp'", 1)),
        acquia("link with credentials", upstream -> link("http://user:pw@127.0.0.1:" + upstream.port() + "/api/n").apply(upstream),
            ended(failed, "notification_host_not_allowed", "credentials", 1)),
        acquia("relative link", link("/api/notifications/n-1"), ended(failed, "notification_host_not_allowed", "not an absolute URL", 1)),
        acquia("unparsable link", link("http://[::1"), ended(failed, "notification_host_not_allowed", "not a valid URL", 1)),
        // ---- refusals: final, never retried
        acquia("404 (endless)", json(404, "{\"message\":\"Not found\"}"), ended(rejected, "upstream_rejected", "HTTP 404", 1)),
        acquia("422 with an error body", json(422, "{\"message\":\"name taken\"}"), ended(rejected, "upstream_rejected", "HTTP 422", 1)),
        acquia("400 with an HTML body", text(400, "text/html", "<html>bad</html>"), ended(rejected, "upstream_rejected", "HTTP 400", 1)),
        acquia("302 redirect to the metadata service (not followed)", upstream -> (request, body) -> request.response()
            .setStatusCode(302).putHeader("Location", "http://169.254.169.254/latest/meta-data/").end(),
            ended(rejected, "upstream_rejected", "HTTP 302", 1)),
        acquia("401 even with a fresh token", json(401, "{\"error\":\"invalid_token\"}"),
            ended(rejected, "upstream_unauthorized", "HTTP 401", 2)),
        new Case("the token endpoint refuses the credentials", "refused", null, json(202, "{}"),
            ended(rejected, "upstream_auth_rejected", "token", 0)),
        // ---- transient failures: retried, then given up
        acquia("500, always", json(500, "{\"message\":\"boom\"}"), ended(failed, "upstream_unavailable", "gave up after 2 attempts", 2)),
        acquia("429 with a garbage Retry-After", upstream -> (request, body) -> request.response().setStatusCode(429)
            .putHeader("Retry-After", "soon-ish").end(), ended(failed, "upstream_unavailable", "HTTP 429", 2)),
        new Case("503 with a Retry-After beyond the deadline", "acquia", "PT5S", upstream -> (request, body) ->
            request.response().setStatusCode(503).putHeader("Retry-After", "999999").end(),
            ended(CompletionStatus.TIMED_OUT, "deadline_exceeded", "", 1)),
        acquia("connection reset", upstream -> (request, body) -> request.connection().close(),
            ended(failed, "upstream_connection", "gave up after 2 attempts", 2)),
        acquia("hang (no answer)", upstream -> (request, body) -> upstream.hold(request),
            ended(failed, "upstream_timeout", "no complete answer within 500 ms", 2)),
        acquia("slow drip answer", upstream -> (request, body) -> upstream.drip(request, 202, 50),
            ended(failed, "upstream_timeout", "no complete answer within 500 ms", 2)),
        // ---- secrets echoed by the upstream must not reach an event
        acquia("422 echoing the Authorization header", upstream -> (request, body) -> FakeUpstream.json(request, 422,
            "{\"message\":\"bad request\",\"received\":{\"authorization\":\"" + request.getHeader("Authorization") + "\"}}"),
            ended(rejected, "upstream_rejected", "HTTP 422", 1)),
        new Case("Cloud Elements 400 echoing the request headers", "documents", null, upstream -> (request, body) ->
            FakeUpstream.json(request, 400, "{\"message\":\"bad\",\"authorization\":\"" + request.getHeader("Authorization")
                + "\",\"callback\":\"" + request.getHeader("Elements-Async-Callback-Url") + "\"}"),
            ended(rejected, "upstream_rejected", "HTTP 400", 1)),
        // ---- callback providers need only a 2xx: the correlation id is optional
        new Case("Cloud Elements 200 without an eventId", "documents", null, json(200, "{\"status\":\"queued\"}"), handedOver(1)),
        new Case("Cloud Elements 200 with eventId as an object", "documents", null, json(200, "{\"eventId\":{\"id\":1}}"), handedOver(1)),
        new Case("Cloud Elements 200, not JSON", "documents", null, text(200, "text/plain", "ok"), handedOver(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachAnswerEndsTheTaskAsExpected(Case c) {
    String name = "case-" + IDS.incrementAndGet();
    bench.upstream.answer(name, c.answer().apply(bench.upstream));
    String taskId = name;
    String request = "{\"taskId\":\"" + taskId + "\",\"provider\":\"" + c.provider() + "\",\"method\":\"POST\","
        + "\"path\":\"/answers/" + name + "\",\"body\":{\"name\":\"db\"}"
        + (c.timeout() == null ? "" : ",\"timeout\":\"" + c.timeout() + "\"") + "}";

    IngestBench.Outcome outcome = bench.submit(IngestBench.utf8(taskId), IngestBench.utf8(request), null, taskId,
        Duration.ofSeconds(60));

    assertThat(outcome.deadLetters()).isEmpty();
    assertThat(outcome.calls()).as("starting calls").filteredOn(call -> call.path().endsWith("/answers/" + name))
        .hasSize(c.expect().calls());
    assertThat(outcome.calls()).as("every call went to the configured upstream's API or token endpoint")
        .allMatch(call -> call.path().endsWith("/answers/" + name) || call.path().startsWith("/token"));
    if (c.expect().status() == null) {
      assertThat(outcome.completions()).isEmpty();
      assertThat(outcome.accepted()).hasSize(1);
      TaskAccepted accepted = outcome.accepted().get(0);
      assertThat(accepted.correlationId()).as("no usable correlation id").isNull();
    } else {
      assertThat(outcome.accepted()).as("not handed over").isEmpty();
      assertThat(outcome.completions()).as("exactly one completion").hasSize(1);
      Completion completion = outcome.completions().get(0);
      assertThat(completion.status()).isEqualTo(c.expect().status());
      assertThat(completion.error().code()).isEqualTo(c.expect().code());
      assertThat(completion.error().message()).contains(c.expect().messagePart());
    }
    bench.assertSchemaValid(outcome);
    bench.assertNoSecretIn(outcome);
    bench.assertAValidRequestStillGoesThrough();
  }
}
