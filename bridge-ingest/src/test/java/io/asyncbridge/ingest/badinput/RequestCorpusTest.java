package io.asyncbridge.ingest.badinput;

import static io.asyncbridge.ingest.badinput.IngestBench.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.ingest.topology.DeadLetters;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.CompletionStatus;
import io.asyncbridge.schemas.Via;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus of request records, through the real ingest topology and the real HTTP dispatcher. Each row is
 * one record and its expected outcome:
 * <ul>
 *   <li>{@code dead(code, completion, reason)}: dead-lettered with {@code code} and a reason containing
 *       {@code reason}; when the taskId is readable, exactly one {@code rejected} completion with error
 *       {@code completion} (null: no completion, the taskId is not readable); never an upstream call;</li>
 *   <li>{@code sent(path)}: odd but harmless, sent to the configured host at exactly {@code path}.</li>
 * </ul>
 * After every row a valid request must still be dispatched and handed over (no blocked partition, no lost task), and
 * nothing the bridge wrote may contain a secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestCorpusTest {

  private static final int MAX = 512 * 1024;

  /** Expected outcome of one case. */
  record Expect(String deadLetterCode, String completionCode, String reason, String sentPath) {
  }

  /** One record of the corpus. */
  record Case(String name, byte[] key, byte[] value, RecordHeaders headers, Expect expect) {
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

  static Expect dead(String code, String completionCode, String reason) {
    return new Expect(code, completionCode, reason, null);
  }

  static Expect sent(String path) {
    return new Expect(null, null, null, path);
  }

  /** JSON written with single quotes, for readability. */
  static String q(String json) {
    return json.replace('\'', '"');
  }

  static Case keyed(String name, String taskId, String json, Expect expect) {
    return new Case(name, utf8(taskId), utf8(json), null, expect);
  }

  static Case raw(String name, byte[] key, byte[] value, Expect expect) {
    return new Case(name, key, value, null, expect);
  }

  /** A request {@code taskId} to acquia with extra fields ({@code ,'field':...}, single quotes). */
  static Case acquia(String name, String taskId, String extra, Expect expect) {
    return keyed(name, taskId, q("{'taskId':'" + taskId + "','provider':'acquia','method':'POST'" + extra + "}"), expect);
  }

  static Case withHeader(String name, String taskId, String provider, String header, Expect expect) {
    return keyed(name, taskId, q("{'taskId':'" + taskId + "','provider':'" + provider
        + "','method':'POST','path':'/answers/accept','headers':{'" + header + "':'x'}}"), expect);
  }

  static Stream<Case> cases() {
    String invalid = "invalid_request";
    byte[] fiveMegabytes = utf8("{\"taskId\":\"huge-5mb\",\"provider\":\"acquia\",\"method\":\"POST\",\"body\":\""
        + "x".repeat(5 * 1024 * 1024) + "\"}");
    byte[] binaryFiveMegabytes = new byte[5 * 1024 * 1024];
    Arrays.fill(binaryFiveMegabytes, (byte) 0x9c);
    String justOver = q("{'taskId':'huge-limit','provider':'acquia','method':'POST','body':'");
    justOver = justOver + "x".repeat(MAX + 1 - justOver.length() - 2) + "\"}";
    byte[] badUtf8 = new byte[] {'{', '"', 't', 'a', 's', 'k', 'I', 'd', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'};
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    String taskId128 = "a".repeat(128);
    RecordHeaders spoofed = new RecordHeaders();
    spoofed.add(DeadLetters.ERROR_CODE, utf8("all_good"));
    spoofed.add("X-Anything", new byte[] {0, (byte) 0xff});
    return Stream.of(
        // ---- unreadable: dead-lettered, no taskId, so no completion
        raw("not JSON", utf8("k"), utf8("hello, bridge"), dead(invalid, null, "not JSON")),
        raw("binary (gzip magic)", utf8("k"), new byte[] {0x1f, (byte) 0x8b, 0x08, 0, 0, (byte) 0xff}, dead(invalid, null, "not JSON")),
        raw("invalid UTF-8 inside a string", utf8("k"), badUtf8, dead(invalid, null, "not JSON")),
        raw("empty value", utf8("k"), new byte[0], dead(invalid, null, "got 0 bytes")),
        raw("null value (tombstone)", utf8("t-null"), null, dead(invalid, null, "no value")),
        raw("null key and null value", null, null, dead(invalid, null, "no value")),
        raw("JSON array", utf8("k"), utf8("[]"), dead(invalid, null, "array found, object expected")),
        raw("JSON string", utf8("k"), utf8("\"t-1\""), dead(invalid, null, "string found, object expected")),
        raw("JSON number", utf8("k"), utf8("42"), dead(invalid, null, "integer found, object expected")),
        raw("JSON null", utf8("k"), utf8("null"), dead(invalid, null, "null found, object expected")),
        raw("truncated JSON", utf8("k"), utf8(q("{'taskId':'trunc-1','provider':")), dead(invalid, null, "not JSON")),
        raw("trailing garbage after the object", utf8("trail-1"),
            utf8(q("{'taskId':'trail-1','provider':'acquia','method':'GET'} {'taskId':'other'}")), dead(invalid, null, "not JSON")),
        raw("100,000 levels of nesting", utf8("k"), utf8(deep), dead(invalid, null, "not JSON")),
        keyed("100,000 levels of nesting in the body", "deep-1",
            q("{'taskId':'deep-1','provider':'acquia','method':'POST','body':") + deep + "}", dead(invalid, null, "not JSON")),
        // ---- too large: refused before parsing
        raw("5 MB request with a readable taskId", utf8("huge-5mb"), fiveMegabytes,
            dead("request_too_large", "request_too_large", "at most 524288")),
        raw("5 MB of binary", utf8("k"), binaryFiveMegabytes, dead("request_too_large", null, "at most 524288")),
        raw("one byte over 512 KiB", utf8("huge-limit"), utf8(justOver), dead("request_too_large", "request_too_large", "524289")),
        keyed("large but allowed body (400 KB)", "big-ok", q("{'taskId':'big-ok','provider':'acquia','method':'POST',"
            + "'path':'/answers/accept','body':{'blob':'" + "y".repeat(400_000) + "'}}"), sent("/api/answers/accept")),
        // ---- taskId: wrong type, missing, bad characters or length: not readable, so no completion
        raw("taskId is a number", utf8("42"), utf8(q("{'taskId':42,'provider':'acquia','method':'GET'}")),
            dead(invalid, null, "/taskId: integer found, string expected")),
        raw("taskId missing", utf8("k"), utf8(q("{'provider':'acquia','method':'GET'}")), dead(invalid, null, "taskId")),
        raw("taskId empty", utf8(""), utf8(q("{'taskId':'','provider':'acquia','method':'GET'}")), dead(invalid, null, "/taskId")),
        raw("taskId of 129 characters", utf8("b".repeat(129)),
            utf8(q("{'taskId':'" + "b".repeat(129) + "','provider':'acquia','method':'GET'}")), dead(invalid, null, "/taskId")),
        keyed("taskId of 128 characters (the limit)", taskId128, q("{'taskId':'" + taskId128
            + "','provider':'acquia','method':'POST','path':'/answers/accept'}"), sent("/api/answers/accept")),
        raw("taskId with a space", utf8("a b"), utf8(q("{'taskId':'a b','provider':'acquia','method':'GET'}")), dead(invalid, null, "/taskId")),
        raw("taskId with a slash", utf8("a/b"), utf8(q("{'taskId':'a/b','provider':'acquia','method':'GET'}")), dead(invalid, null, "/taskId")),
        raw("taskId with ../", utf8("../x"), utf8(q("{'taskId':'../x','provider':'acquia','method':'GET'}")), dead(invalid, null, "/taskId")),
        raw("taskId with non-ASCII letters", utf8("tâche-1"), utf8(q("{'taskId':'tâche-1','provider':'acquia','method':'GET'}")),
            dead(invalid, null, "/taskId")),
        raw("taskId with a newline", utf8("a\nb"), utf8(q("{'taskId':'a\\nb','provider':'acquia','method':'GET'}")),
            dead(invalid, null, "/taskId")),
        // ---- wrong types and missing fields with a readable taskId: one rejected completion
        keyed("provider missing", "f-1", q("{'taskId':'f-1','method':'GET'}"), dead(invalid, invalid, "provider")),
        keyed("provider is a number", "f-2", q("{'taskId':'f-2','provider':7,'method':'GET'}"), dead(invalid, invalid, "/provider")),
        keyed("provider with spaces", "f-3", q("{'taskId':'f-3','provider':'my api','method':'GET'}"), dead(invalid, invalid, "/provider")),
        keyed("method missing", "f-4", q("{'taskId':'f-4','provider':'acquia'}"), dead(invalid, invalid, "method")),
        keyed("method in lower case", "f-5", q("{'taskId':'f-5','provider':'acquia','method':'post'}"),
            dead(invalid, invalid, "/method")),
        keyed("method TRACE", "f-6", q("{'taskId':'f-6','provider':'acquia','method':'TRACE'}"), dead(invalid, invalid, "/method")),
        keyed("method is an array", "f-7", q("{'taskId':'f-7','provider':'acquia','method':['GET']}"), dead(invalid, invalid, "/method")),
        acquia("path is a number", "f-8", ",'path':8", dead(invalid, invalid, "/path")),
        acquia("path of 2049 characters", "f-9", ",'path':'/" + "p".repeat(2048) + "'", dead(invalid, invalid, "/path")),
        acquia("query value is a number", "f-10", ",'query':{'page':2}", dead(invalid, invalid, "/query/page")),
        acquia("headers is a string", "f-11", ",'headers':'X-A: b'", dead(invalid, invalid, "/headers")),
        acquia("header value with CR LF (header injection)", "f-12", ",'headers':{'X-A':'b\\r\\nAuthorization: Bearer x'}",
            dead(invalid, invalid, "/headers/X-A")),
        acquia("header name with a colon", "f-13", ",'headers':{'X-A: b':'c'}", dead(invalid, invalid, "/headers")),
        acquia("metadata value is a number", "f-14", ",'metadata':{'n':1}", dead(invalid, invalid, "/metadata/n")),
        acquia("timeout in months", "f-15", ",'timeout':'P1M'", dead(invalid, invalid, "/timeout")),
        acquia("timeout negative", "f-16", ",'timeout':'-PT1S'", dead(invalid, invalid, "/timeout")),
        acquia("timeout is a number", "f-17", ",'timeout':30", dead(invalid, invalid, "/timeout")),
        acquia("unknown property", "f-18", ",'callbackUrl':'http://169.254.169.254/'", dead(invalid, invalid, "callbackUrl")),
        keyed("taskId twice (duplicate key)", "dup-a", q("{'taskId':'dup-a','taskId':'dup-b','provider':'acquia','method':'GET'}"),
            dead(invalid, null, "Duplicate Object property \"taskId\"")),
        // ---- the record key must be the taskId
        keyed("key differs from the taskId", "other-key", q("{'taskId':'k-1','provider':'acquia','method':'GET'}"),
            dead("invalid_key", "invalid_key", "found 'other-key'")),
        raw("null key", null, utf8(q("{'taskId':'k-2','provider':'acquia','method':'GET'}")),
            dead("invalid_key", "invalid_key", "found no key")),
        raw("key not UTF-8", new byte[] {(byte) 0xff, (byte) 0xfe}, utf8(q("{'taskId':'k-3','provider':'acquia','method':'GET'}")),
            dead("invalid_key", "invalid_key", "the record key must be the taskId")),
        raw("key of 10,000 characters", utf8("k".repeat(10_000)), utf8(q("{'taskId':'k-4','provider':'acquia','method':'GET'}")),
            dead("invalid_key", "invalid_key", "...'")),
        new Case("Kafka headers spoofing the dead-letter headers", utf8("k"), utf8("not json"), spoofed,
            dead(invalid, null, "not JSON")),
        // ---- valid JSON, but the provider's rules refuse it
        keyed("unknown provider", "r-1", q("{'taskId':'r-1','provider':'nobody','method':'GET'}"),
            dead("unknown_provider", "unknown_provider", "provider 'nobody' is not configured")),
        acquia("metadata over 16 Ki characters", "r-2", ",'metadata':{'m':'" + "m".repeat(20_000) + "'}",
            dead("metadata_too_large", "metadata_too_large", "at most 16384")),
        acquia("timeout zero", "r-3", ",'timeout':'PT0S'", dead("invalid_timeout", "invalid_timeout", "must be positive")),
        acquia("timeout above the provider's maximum", "r-4", ",'timeout':'P30D'",
            dead("invalid_timeout", "invalid_timeout", "longer than the maximum")),
        // ---- dangerous paths: never an upstream call
        acquia("path is an absolute URL to the metadata service", "d-1", ",'path':'http://169.254.169.254/latest/meta-data'",
            dead(invalid, invalid, "/path")),
        acquia("path is a file: URL", "d-2", ",'path':'file:///etc/passwd'", dead(invalid, invalid, "/path")),
        acquia("path is a gopher: URL", "d-3", ",'path':'gopher://127.0.0.1:6379/_FLUSHALL'", dead(invalid, invalid, "/path")),
        acquia("path starts with // (another host)", "d-4", ",'path':'//169.254.169.254/latest'", dead(invalid, invalid, "/path")),
        acquia("path with a backslash", "d-5", ",'path':'/\\\\169.254.169.254/x'", dead("invalid_path", "invalid_path", "backslash")),
        acquia("path with .. segments", "d-6", ",'path':'/a/../../admin'", dead("invalid_path", "invalid_path", "'..'")),
        acquia("path is /..", "d-7", ",'path':'/..'", dead("invalid_path", "invalid_path", "'..'")),
        acquia("path with encoded dots", "d-8", ",'path':'/a/%2e%2e/admin'", dead("invalid_path", "invalid_path", "encoded")),
        acquia("path with encoded slashes to another host", "d-9", ",'path':'/%2F%2F169.254.169.254'",
            dead("invalid_path", "invalid_path", "encoded")),
        acquia("path with a query redirect", "d-10", ",'path':'/x?next=http://169.254.169.254/'",
            dead("invalid_path", "invalid_path", "absolute URL")),
        acquia("path with a fragment", "d-11", ",'path':'/x#y'", dead("invalid_path", "invalid_path", "'#'")),
        acquia("path with an encoded NUL", "d-12", ",'path':'/x%00y'", dead("invalid_path", "invalid_path", "encoded")),
        acquia("path embedding a private URL", "d-13", ",'path':'/proxy/http://10.0.0.1/'",
            dead("invalid_path", "invalid_path", "absolute URL")),
        acquia("path with userinfo-like @host", "d-14", ",'path':'/@169.254.169.254/latest'", sent("/api/@169.254.169.254/latest")),
        acquia("query value naming the metadata service", "d-15",
            ",'path':'/answers/accept','query':{'next':'http://169.254.169.254/'}", sent("/api/answers/accept")),
        // ---- headers that would override the bridge's own: never an upstream call
        withHeader("header Authorization", "h-1", "acquia", "Authorization", dead("forbidden_header", "forbidden_header", "/headers/Authorization")),
        withHeader("header authorization (lower case)", "h-2", "acquia", "authorization", dead("forbidden_header", "forbidden_header", "/headers/authorization")),
        withHeader("header Proxy-Authorization", "h-3", "acquia", "Proxy-Authorization", dead("forbidden_header", "forbidden_header", "Proxy-Authorization")),
        withHeader("header Host", "h-4", "acquia", "Host", dead("forbidden_header", "forbidden_header", "/headers/Host")),
        withHeader("header X-Forwarded-Host", "h-5", "acquia", "X-Forwarded-Host", dead("forbidden_header", "forbidden_header", "X-Forwarded-Host")),
        withHeader("header Cookie", "h-6", "acquia", "Cookie", dead("forbidden_header", "forbidden_header", "Cookie")),
        withHeader("header Transfer-Encoding (smuggling)", "h-7", "acquia", "Transfer-Encoding", dead("forbidden_header", "forbidden_header", "Transfer-Encoding")),
        withHeader("header Content-Length", "h-8", "acquia", "Content-Length", dead("forbidden_header", "forbidden_header", "Content-Length")),
        withHeader("header Elements-Async-Callback-Url", "h-9", "documents", "Elements-Async-Callback-Url",
            dead("forbidden_header", "forbidden_header", "Elements-Async-Callback-Url")),
        withHeader("header elements-async-request (lower case)", "h-10", "documents", "elements-async-request",
            dead("forbidden_header", "forbidden_header", "elements-async-request")),
        keyed("header value with a line break (request splitting)", "h-20", q("{'taskId':'h-20','provider':'acquia',"
            + "'method':'POST','path':'/answers/accept','headers':{'X-Trace':'a\\r\\nHost: evil'}}"),
            dead("invalid_request", "invalid_request", "/headers/X-Trace")),
        keyed("header value with a NUL", "h-21", q("{'taskId':'h-21','provider':'acquia',"
            + "'method':'POST','path':'/answers/accept','headers':{'X-Trace':'\\u0000t-1'}}"),
            dead("invalid_request", "invalid_request", "/headers/X-Trace must not contain control characters")),
        keyed("header value with a tab (allowed)", "h-22", q("{'taskId':'h-22','provider':'acquia',"
            + "'method':'POST','path':'/answers/accept','headers':{'X-Trace':'a\\tb'}}"), sent("/api/answers/accept")),
        withHeader("the provider's own auth header X-Api-Key", "h-11", "keyed", "x-api-key",
            dead("forbidden_header", "forbidden_header", "x-api-key")),
        withHeader("header Upgrade", "h-12", "acquia", "Upgrade", dead("forbidden_header", "forbidden_header", "Upgrade")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachBadRecordHasItsExpectedOutcome(Case c) {
    String taskId = c.expect().completionCode() != null || c.expect().sentPath() != null
        ? readableTaskId(c) : null;
    IngestBench.Outcome outcome = bench.submit(c.key(), c.value(), c.headers(), taskId, Duration.ofSeconds(30));

    Expect expect = c.expect();
    if (expect.sentPath() != null) {
      assertThat(outcome.deadLetters()).as("no dead letter").isEmpty();
      assertThat(outcome.calls()).as("the call stays on the configured host, at exactly this path")
          .extracting(FakeUpstream.Call::path).contains(expect.sentPath());
      assertThat(outcome.completions().size() + outcome.accepted().size()).as("one end or hand-over").isEqualTo(1);
    } else {
      assertThat(outcome.deadLetterCode()).isEqualTo(expect.deadLetterCode());
      assertThat(outcome.deadLetterMessage()).as("the reason").contains(expect.reason());
      byte[] copied = outcome.deadLetters().get(0).value();
      if (c.value() != null && c.value().length > DeadLetters.MAX_VALUE_BYTES) {
        // Beyond what the dead-letter topic takes: the first MAX_VALUE_BYTES, and the original size in a header.
        assertThat(copied).as("the value's first bytes").isEqualTo(Arrays.copyOf(c.value(), DeadLetters.MAX_VALUE_BYTES));
        assertThat(IngestBench.header(outcome.deadLetters().get(0), DeadLetters.VALUE_TRUNCATED))
            .isEqualTo(Integer.toString(c.value().length));
      } else {
        assertThat(copied).as("the original value, untouched").isEqualTo(c.value());
        assertThat(IngestBench.header(outcome.deadLetters().get(0), DeadLetters.VALUE_TRUNCATED)).isNull();
      }
      assertThat(IngestBench.header(outcome.deadLetters().get(0), DeadLetters.ORIGINAL_TOPIC)).isNotBlank();
      assertThat(outcome.deadLetters().get(0).headers().headers(DeadLetters.ERROR_CODE))
          .as("the bridge's reason replaces any header of the same name").hasSize(1);
      assertThat(outcome.calls()).as("never an upstream call").isEmpty();
      assertThat(outcome.accepted()).isEmpty();
      if (expect.completionCode() == null) {
        assertThat(outcome.completions()).as("no readable taskId, no completion").isEmpty();
      } else {
        assertThat(outcome.completions()).as("exactly one completion").hasSize(1);
        Completion rejected = outcome.completions().get(0);
        assertThat(rejected.taskId()).isEqualTo(taskId);
        assertThat(rejected.status()).isEqualTo(CompletionStatus.REJECTED);
        assertThat(rejected.via()).isEqualTo(Via.INGEST);
        assertThat(rejected.error().code()).isEqualTo(expect.completionCode());
        assertThat(rejected.error().message()).contains(expect.reason());
      }
    }
    bench.assertSchemaValid(outcome);
    bench.assertNoSecretIn(outcome);
    bench.assertAValidRequestStillGoesThrough();
  }

  /** The taskId the case's value names (the corpus always puts it first). */
  private static String readableTaskId(Case c) {
    String text = new String(c.value(), 0, Math.min(c.value().length, 400), StandardCharsets.UTF_8);
    int start = text.indexOf("\"taskId\":\"") + "\"taskId\":\"".length();
    return text.substring(start, text.indexOf('"', start));
  }
}
