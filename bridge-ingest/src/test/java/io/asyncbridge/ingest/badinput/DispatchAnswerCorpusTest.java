package io.asyncbridge.ingest.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.Via;
import io.asyncbridge.schemas.task.TaskAccepted;
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

  /**
   * The expected end: {@code status} null means handed over ({@code link}, with {@code {base}} for the upstream's
   * base URL, is then the notification URL when given, and {@code firstPoll} the first poll's delay);
   * {@code calls} is the number of starting calls; {@code code} null with a status means no error.
   */
  record Expect(CompletionStatus status, String code, String messagePart, int calls, String link, Duration firstPoll) {
    Expect(CompletionStatus status, String code, String messagePart, int calls) {
      this(status, code, messagePart, calls, null, null);
    }
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

  static Expect handedOverTo(String link, Duration firstPoll) {
    return new Expect(null, null, null, 1, link, firstPoll);
  }

  static Expect succeededAtOnce(String resultPart) {
    return new Expect(CompletionStatus.SUCCEEDED, null, resultPart, 1, null, null);
  }

  static Case azure(String name, Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> answer, Expect expect) {
    return new Case(name, "azure", null, answer, expect);
  }

  static Case google(String name, Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> answer, Expect expect) {
    return new Case(name, "google", null, answer, expect);
  }

  /** An answer with headers (values may use {base}) and a JSON body (null for none). */
  static Function<FakeUpstream, BiConsumer<HttpServerRequest, Buffer>> answer(int status, String body, String... headers) {
    return upstream -> (request, ignored) -> {
      var response = request.response().setStatusCode(status);
      for (int i = 0; i < headers.length; i += 2) {
        response.putHeader(headers[i], headers[i + 1].replace("{base}", upstream.base()));
      }
      if (body == null) {
        response.end();
      } else {
        response.putHeader("Content-Type", "application/json").end(body.replace("{base}", upstream.base()));
      }
    };
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
        new Case("Cloud Elements 200, not JSON", "documents", null, text(200, "text/plain", "ok"), handedOver(1)),
        // ---- http-lro: the status URL in a header, relative links, Retry-After, answers that are final at once
        azure("http-lro 202 with Azure-AsyncOperation", answer(202, null, "Azure-AsyncOperation", "{base}/lro/ops/op-1"),
            handedOverTo("{base}/lro/ops/op-1", null)),
        azure("http-lro prefers Azure-AsyncOperation to Operation-Location and Location", answer(202, null,
            "Location", "{base}/lro/results/op-2", "Operation-Location", "{base}/lro/monitor/op-2",
            "Azure-AsyncOperation", "{base}/lro/ops/op-2"), handedOverTo("{base}/lro/ops/op-2", null)),
        azure("http-lro Operation-Location before Location", answer(202, null,
            "Location", "{base}/lro/results/op-3", "Operation-Location", "{base}/lro/monitor/op-3"),
            handedOverTo("{base}/lro/monitor/op-3", null)),
        azure("http-lro relative Location, resolved against the request URL", answer(202, null,
            "Location", "../results/op-4"), handedOverTo("{base}/lro/results/op-4", null)),
        azure("http-lro absolute-path Operation-Location", answer(202, "{}", "Operation-Location", "/lro/monitor/op-5"),
            handedOverTo("{base}/lro/monitor/op-5", null)),
        azure("http-lro Retry-After on the 202 sets the first poll's delay", answer(202, null,
            "Operation-Location", "{base}/lro/monitor/op-6", "Retry-After", "7"),
            handedOverTo("{base}/lro/monitor/op-6", Duration.ofSeconds(7))),
        azure("http-lro garbage Retry-After on the 202 is ignored", answer(202, null,
            "Operation-Location", "{base}/lro/monitor/op-7", "Retry-After", "soon"),
            handedOverTo("{base}/lro/monitor/op-7", null)),
        azure("http-lro 202 without any status URL", answer(202, "{\"status\":\"NotStarted\"}"),
            ended(failed, "missing_notification_link", "no Azure-AsyncOperation, Operation-Location, Location header", 1)),
        azure("http-lro 202, empty, without any status URL", answer(202, null),
            ended(failed, "missing_notification_link", "no Azure-AsyncOperation", 1)),
        azure("http-lro header link to the metadata service", answer(202, null,
            "Azure-AsyncOperation", "http://169.254.169.254/metadata/instance"),
            ended(failed, "notification_host_not_allowed", "the Azure-AsyncOperation header: host 169.254.169.254", 1)),
        azure("http-lro header link to another host", answer(202, null, "Location", "https://evil.example.com/op"),
            ended(failed, "notification_host_not_allowed", "evil.example.com", 1)),
        azure("http-lro network-path header link to another host", answer(202, null, "Location", "//evil.example.com/op"),
            ended(failed, "notification_host_not_allowed", "evil.example.com", 1)),
        azure("http-lro header link with a file: scheme", answer(202, null, "Operation-Location", "file:///etc/passwd"),
            ended(failed, "notification_host_not_allowed", "scheme 'file'", 1)),
        azure("http-lro header link with credentials", answer(202, null, "Location", "http://user:pw@127.0.0.1/op"),
            ended(failed, "notification_host_not_allowed", "credentials", 1)),
        azure("http-lro header link that is no URL", answer(202, null, "Operation-Location", "http://[::1"),
            ended(failed, "notification_host_not_allowed", "the Operation-Location header is not a valid URL", 1)),
        azure("http-lro 201 with the final resource and no status URL", answer(201, "{\"name\":\"vm-1\"}"),
            succeededAtOnce("vm-1")),
        azure("http-lro 204 without a status URL", answer(204, null), succeededAtOnce(null)),
        azure("http-lro 201 echoing the API key", upstream -> (request, body) -> FakeUpstream.json(request, 201,
            "{\"name\":\"vm-2\",\"seen\":\"" + request.getHeader("X-Api-Key") + "\"}"), succeededAtOnce("vm-2")),
        azure("http-lro 200 Failed with an error object", answer(200,
            "{\"status\":\"Failed\",\"error\":{\"code\":\"QuotaExceeded\",\"message\":\"Not enough cores.\"}}"),
            ended(failed, "upstream_failed", "'Failed': QuotaExceeded: Not enough cores.", 1)),
        azure("http-lro 200 Failed with an error that is not an object", answer(200,
            "{\"status\":\"Failed\",\"error\":42}"), ended(failed, "upstream_failed", "an error that is not an object", 1)),
        azure("http-lro 200 Canceled", answer(200, "{\"status\":\"Canceled\"}"),
            ended(failed, "upstream_canceled", "canceled the task (status 'Canceled')", 1)),
        azure("http-lro 200 with an unknown status word and no status URL", answer(200, "{\"status\":\"Paused\"}"),
            ended(failed, "missing_notification_link", "no Azure-AsyncOperation", 1)),
        azure("http-lro 200, not JSON, without a status URL", text(200, "text/html", "<html>ok</html>"),
            ended(failed, "missing_notification_link", "no Azure-AsyncOperation", 1)),
        // ---- google-lro: the operation's name makes the poll URL; an operation may be done at once
        google("operation without done", json(200, "{\"name\":\"operations/op-1\",\"metadata\":{}}"),
            handedOverTo("{base}/ops/operations/op-1", null)),
        google("operation with done false and Retry-After", answer(200,
            "{\"name\":\"projects/p/locations/eu/operations/op-2\",\"done\":false}", "Retry-After", "3"),
            handedOverTo("{base}/ops/projects/p/locations/eu/operations/op-2", Duration.ofSeconds(3))),
        google("operation whose done is not a boolean (the poller decides)", json(200,
            "{\"name\":\"operations/op-3\",\"done\":\"yes\"}"), handedOverTo("{base}/ops/operations/op-3", null)),
        google("operation done with a response", json(200,
            "{\"name\":\"operations/op-4\",\"done\":true,\"response\":{\"name\":\"instances/i-4\"}}"),
            succeededAtOnce("instances/i-4")),
        google("operation done with an error", json(200,
            "{\"name\":\"operations/op-5\",\"done\":true,\"error\":{\"code\":3,\"message\":\"bad size\"}}"),
            ended(failed, "upstream_failed", "ended with an error: 3: bad size", 1)),
        google("operation done with error code 1 (cancelled)", json(200,
            "{\"name\":\"operations/op-6\",\"done\":true,\"error\":{\"code\":1,\"message\":\"stop\"}}"),
            ended(failed, "upstream_canceled", "the operation was canceled", 1)),
        google("operation done with an error that is not an object", json(200,
            "{\"name\":\"operations/op-7\",\"done\":true,\"error\":\"boom\"}"),
            ended(failed, "upstream_failed", "an error that is not an object ('boom')", 1)),
        google("operation without a name", json(200, "{\"metadata\":{}}"),
            ended(failed, "missing_notification_link", "no name at /name", 1)),
        google("operation name is a number", json(200, "{\"name\":42}"),
            ended(failed, "missing_notification_link", "no name at /name", 1)),
        google("operation name climbing out of the API", json(200, "{\"name\":\"../../admin/operations/x\"}"),
            ended(failed, "invalid_operation_name", "'../../admin/operations/x' is not a relative resource name", 1)),
        google("operation name that is a URL", json(200, "{\"name\":\"https://evil.example.com/op\"}"),
            ended(failed, "invalid_operation_name", "is not a relative resource name", 1)),
        google("operation name with a query", json(200, "{\"name\":\"operations/x?alt=media\"}"),
            ended(failed, "invalid_operation_name", "is not a relative resource name", 1)),
        google("operation name with an empty segment", json(200, "{\"name\":\"operations//x\"}"),
            ended(failed, "invalid_operation_name", "is not a relative resource name", 1)),
        google("operation name of 2,000 characters", json(200, "{\"name\":\"operations/" + "x".repeat(2000) + "\"}"),
            ended(failed, "invalid_operation_name", "at most 1024", 1)),
        google("operation answer not JSON", text(200, "text/html", "<html>"),
            ended(failed, "upstream_answer_not_json", "no operation to follow", 1)),
        google("operation answer a JSON array", json(200, "[{\"name\":\"operations/x\"}]"),
            ended(failed, "missing_notification_link", "no name at /name", 1)));
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
      if (c.expect().link() != null) {
        assertThat(accepted.notificationUrl()).isEqualTo(c.expect().link().replace("{base}", bench.upstream.base()));
      }
      assertThat(accepted.firstPollDelay()).as("first poll's delay").isEqualTo(c.expect().firstPoll());
    } else {
      assertThat(outcome.accepted()).as("not handed over").isEmpty();
      assertThat(outcome.completions()).as("exactly one completion").hasSize(1);
      Completion completion = outcome.completions().get(0);
      assertThat(completion.status()).isEqualTo(c.expect().status());
      assertThat(completion.via()).isEqualTo(c.expect().status() == CompletionStatus.TIMED_OUT ? Via.DEADLINE : Via.INGEST);
      if (c.expect().code() == null) {
        assertThat(completion.error()).isNull();
        if (c.expect().messagePart() == null) {
          assertThat(completion.result()).as("no body, no result").isNull();
        } else {
          assertThat(completion.result().toString()).as("the final resource is the result")
              .contains(c.expect().messagePart());
        }
      } else {
        assertThat(completion.error().code()).isEqualTo(c.expect().code());
        assertThat(completion.error().message()).contains(c.expect().messagePart());
      }
    }
    bench.assertSchemaValid(outcome);
    bench.assertNoSecretIn(outcome);
    bench.assertAValidRequestStillGoesThrough();
  }
}
