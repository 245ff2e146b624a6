package io.asyncbridge.ingest.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestRulesTest {

  private final RequestRules rules = new RequestRules(new io.asyncbridge.core.config.BridgeConfigLoader(java.util.Map.of())
      .parse("test", "providers:\n  acquia:\n    type: acquia\n    baseUrl: https://cloud.acquia.com/api\n"
          + "    clientId: a\n    clientSecret: b\n"));

  @org.junit.jupiter.api.Test
  void metadataIsRepeatedOnEveryEventSoItStaysSmall() {
    io.asyncbridge.schemas.TaskRequest small = new io.asyncbridge.schemas.TaskRequest("t", "acquia",
        io.asyncbridge.schemas.RequestMethod.GET, "/x", java.util.Map.of(), java.util.Map.of(), null, null,
        java.util.Map.of("team", "blue"));
    io.asyncbridge.schemas.TaskRequest large = new io.asyncbridge.schemas.TaskRequest("t", "acquia",
        io.asyncbridge.schemas.RequestMethod.GET, "/x", java.util.Map.of(), java.util.Map.of(), null, null,
        java.util.Map.of("blob", "x".repeat(RequestRules.MAX_METADATA_CHARS)));

    assertThat(rules.check(small)).isEmpty();
    assertThat(rules.check(large)).hasValueSatisfying(error -> assertThat(error.code()).isEqualTo("metadata_too_large"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/applications/9b1c/databases", "/hubs/documents/folders/copy", "/a.b/c-d_e~f/%20x", "/"})
  void acceptsPlainRelativePaths(String path) {
    assertThat(RequestRules.checkPath(path)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"//evil.example.com/x", "/redirect/https://evil.example.com", "/a/../b", "/..", "/a/./b",
      "/a/%2e%2e/b", "/a%2Fb", "/a\\b", "/a?x=1", "/a#frag", "/a b", "/a%00b", "/a%252e", "relative",
      "/apps/{id}", "/a|b", "/a^b", "/a<b>", "/a\"b", "/a[0]", "/a`b"})
  void refusesPathsThatCouldLeaveTheBaseUrl(String path) {
    assertThat(RequestRules.checkPath(path)).hasValueSatisfying(error -> {
      assertThat(error.code()).isEqualTo("invalid_path");
      assertThat(error.message()).startsWith("/path ");
    });
  }
}
