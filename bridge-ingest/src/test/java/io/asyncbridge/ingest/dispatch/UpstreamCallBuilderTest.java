package io.asyncbridge.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.security.CallbackTokens;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.RequestMethod;
import io.asyncbridge.schemas.TaskRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamCallBuilderTest {

  private final BridgeConfig config = new BridgeConfigLoader(Map.of()).parse("test", """
      callbacks:
        publicBaseUrl: https://bridge.example.com/
        tokenSecret: test-secret-of-enough-length
      providers:
        acquia:
          type: acquia
          baseUrl: https://cloud.acquia.com/api
          clientId: id
          clientSecret: secret
        keyed:
          type: acquia
          baseUrl: https://cloud.acquia.com/api
          clientId: id
          clientSecret: secret
          dispatch: {idempotencyKey: Idempotency-Key}
        documents:
          type: cloud-elements
          baseUrl: https://api.cloud-elements.com/elements/api-v2
          authorization: User a, Element b
      """);
  private final CallbackTokens tokens = new CallbackTokens(config.callbacks().tokenSecret().orElseThrow());
  private final UpstreamCallBuilder calls = new UpstreamCallBuilder(EventJson.newMapper(),
      config.callbacks().publicBaseUrl(), Optional.of(tokens));

  @Test
  void joinsBaseUrlPathAndEncodedQuery() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("path", "/Test Folder");
    query.put("a&b", "c=d");
    TaskRequest request = new TaskRequest("t-1", "documents", RequestMethod.POST, "/hubs/documents/folders/copy",
        query, Map.of(), null, null, Map.of());

    URI url = calls.url(config.provider("documents").orElseThrow(), request);

    assertThat(url).hasToString("https://api.cloud-elements.com/elements/api-v2/hubs/documents/folders/copy"
        + "?path=%2FTest%20Folder&a%26b=c%3Dd");
  }

  @Test
  void callbackProvidersGetTheirAsyncHeadersWithThePerTaskUrl() {
    TaskRequest request = new TaskRequest("copy-1", "documents", RequestMethod.POST, "/hubs/documents/folders/copy",
        Map.of(), Map.of("X-Trace", "abc"), EventJson.newMapper().createObjectNode().put("path", "/x"), null, Map.of());

    Map<String, String> headers = calls.headers(config.provider("documents").orElseThrow(), request);

    assertThat(headers)
        .containsEntry("Elements-Async-Request", "True")
        .containsEntry("Elements-Async-Callback-Url",
            "https://bridge.example.com/callbacks/documents/copy-1/" + tokens.tokenFor("documents", "copy-1"))
        .containsEntry("Content-Type", "application/json")
        .containsEntry("X-Trace", "abc");
    assertThat(new String(calls.body(request), StandardCharsets.UTF_8)).isEqualTo("{\"path\":\"/x\"}");
  }

  @Test
  void anIdempotencyKeyIsDerivedFromTheTaskIdAndTheSameOnEveryCall() {
    var keyed = config.provider("keyed").orElseThrow();
    TaskRequest request = TaskRequest.of("db-1", "keyed", RequestMethod.POST, "/applications/a/databases");
    TaskRequest other = TaskRequest.of("db-2", "keyed", RequestMethod.POST, "/applications/a/databases");

    String key = calls.headers(keyed, request).get("Idempotency-Key");

    assertThat(key).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(calls.headers(keyed, request)).containsEntry("Idempotency-Key", key);
    assertThat(calls.headers(keyed, other).get("Idempotency-Key")).isNotEqualTo(key);
    assertThat(calls.headers(config.provider("acquia").orElseThrow(), request)).doesNotContainKey("Idempotency-Key");
  }

  @Test
  void aKeyTheRequestCarriesItselfWins() {
    TaskRequest request = new TaskRequest("db-1", "keyed", RequestMethod.POST, "/applications/a/databases", Map.of(),
        Map.of("idempotency-key", "producer-key-1"), null, null, Map.of());

    assertThat(calls.headers(config.provider("keyed").orElseThrow(), request))
        .containsEntry("idempotency-key", "producer-key-1").doesNotContainKey("Idempotency-Key");
  }

  @Test
  void pollProvidersGetNoCallbackHeaders() {
    TaskRequest request = TaskRequest.of("db-1", "acquia", RequestMethod.POST, "/applications/a/databases");

    assertThat(calls.headers(config.provider("acquia").orElseThrow(), request))
        .containsOnlyKeys("Accept");
    assertThat(calls.body(request)).isNull();
  }
}
