package io.asyncbridge.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.Secret;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackTokensTest {

  private final CallbackTokens tokens = new CallbackTokens(Secret.of("a-long-enough-bridge-secret"));

  @Test
  void tokenVerifiesForItsTaskOnly() {
    String token = tokens.tokenFor("documents", "copy-1");

    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(tokens.verify("documents", "copy-1", token)).isTrue();
    assertThat(tokens.verify("documents", "copy-2", token)).isFalse();
    assertThat(tokens.verify("other", "copy-1", token)).isFalse();
    assertThat(tokens.verify("documents", "copy-1", token.substring(1))).isFalse();
    assertThat(tokens.verify("documents", "copy-1", null)).isFalse();
    assertThat(new CallbackTokens(Secret.of("another-bridge-secret!!")).verify("documents", "copy-1", token)).isFalse();
  }

  @Test
  void fieldsAreSeparatedSoShiftedNamesDoNotCollide() {
    assertThat(tokens.tokenFor("ab", "c")).isNotEqualTo(tokens.tokenFor("a", "bc"));
  }

  @Test
  void callbackUrlEmbedsProviderTaskAndToken() {
    URI url = tokens.callbackUrl(URI.create("https://bridge.example.com/"), "documents", "copy:1");

    assertThat(url.toString()).isEqualTo("https://bridge.example.com/callbacks/documents/copy%3A1/"
        + tokens.tokenFor("documents", "copy:1"));
  }

  @Test
  void duringARotationTokensAreIssuedUnderTheFirstSecretAndVerifiedUnderAll() {
    CallbackTokens old = new CallbackTokens(Secret.of("the-old-bridge-secret"));
    CallbackTokens rotating = new CallbackTokens(List.of(Secret.of("the-new-bridge-secret"),
        Secret.of("the-old-bridge-secret")));
    CallbackTokens rotated = new CallbackTokens(List.of(Secret.of("the-new-bridge-secret")));
    String issuedBefore = old.tokenFor("documents", "copy-1");
    String issuedDuring = rotating.tokenFor("documents", "copy-1");

    assertThat(issuedDuring).isEqualTo(rotated.tokenFor("documents", "copy-1")).isNotEqualTo(issuedBefore);
    assertThat(rotating.verify("documents", "copy-1", issuedBefore)).isTrue();
    assertThat(rotating.verify("documents", "copy-1", issuedDuring)).isTrue();
    assertThat(rotating.verify("documents", "copy-2", issuedBefore)).isFalse();
    assertThat(rotated.verify("documents", "copy-1", issuedDuring)).isTrue();
    assertThat(rotated.verify("documents", "copy-1", issuedBefore)).isFalse();
  }
}
