package io.asyncbridge.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;

class RelativeLinksTest {

  static final URI BASE = URI.create("https://api.example.com/lro/operations/op-1?api-version=2024-01-01#top");

  @Test
  void referencesResolveAsRfc3986Says() throws Exception {
    assertThat(RelativeLinks.resolve(BASE, "?final=1")).as("query only: same path, the new query")
        .hasToString("https://api.example.com/lro/operations/op-1?final=1");
    assertThat(RelativeLinks.resolve(BASE, "/lro/results/op-1"))
        .hasToString("https://api.example.com/lro/results/op-1");
    assertThat(RelativeLinks.resolve(BASE, "op-2/result")).hasToString("https://api.example.com/lro/operations/op-2/result");
    assertThat(RelativeLinks.resolve(BASE, "https://other.example.com/x")).hasToString("https://other.example.com/x");
    assertThat(RelativeLinks.resolve(URI.create("https://api.example.com/a/b%20c"), "?x=1"))
        .hasToString("https://api.example.com/a/b%20c?x=1");
  }

  @Test
  void aReferenceThatIsNoUriIsRefused() {
    assertThatThrownBy(() -> RelativeLinks.resolve(BASE, "http://[::1")).isInstanceOf(URISyntaxException.class);
  }
}
