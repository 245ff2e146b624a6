package io.asyncbridge.ingest.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {"/applications/9b1c/databases", "/hubs/documents/folders/copy", "/a.b/c-d_e~f/%20x", "/"})
  void acceptsPlainRelativePaths(String path) {
    assertThat(RequestRules.checkPath(path)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"//evil.example.com/x", "/redirect/https://evil.example.com", "/a/../b", "/..", "/a/./b",
      "/a/%2e%2e/b", "/a%2Fb", "/a\\b", "/a?x=1", "/a#frag", "/a b", "/a%00b", "/a%252e", "relative"})
  void refusesPathsThatCouldLeaveTheBaseUrl(String path) {
    assertThat(RequestRules.checkPath(path)).hasValueSatisfying(error -> {
      assertThat(error.code()).isEqualTo("invalid_path");
      assertThat(error.message()).startsWith("/path ");
    });
  }
}
