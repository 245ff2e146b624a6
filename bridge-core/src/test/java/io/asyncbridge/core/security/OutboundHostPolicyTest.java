package io.asyncbridge.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundHostPolicyTest {

  private final OutboundHostPolicy acquia =
      new OutboundHostPolicy("acquia", true, List.of("cloud.acquia.com"), false);

  @Test
  void allowsListedHosts() {
    assertThat(acquia.refusal(URI.create("https://cloud.acquia.com/api/notifications/1111"))).isEmpty();
    assertThat(acquia.refusal(URI.create("https://CLOUD.acquia.com/api/notifications/1111"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://169.254.169.254/latest/meta-data/",
      "https://localhost/api",
      "https://127.0.0.1/api",
      "https://10.0.0.5/api",
      "https://192.168.1.1/api",
      "https://[::1]/api",
      "https://evil.example.com/api",
      "https://cloud.acquia.com.evil.example.com/api",
      "http://cloud.acquia.com/api",
      "file:///etc/passwd",
      "gopher://cloud.acquia.com/",
      "https://user:pass@cloud.acquia.com/api"
  })
  void refusesEverythingElse(String url) {
    assertThat(acquia.refusal(URI.create(url))).isPresent();
  }

  @Test
  void wildcardsNeverReachPrivateAddressesUnlessAllowed() {
    OutboundHostPolicy any = new OutboundHostPolicy("generic", false, List.of("*"), false);
    assertThat(any.refusal(URI.create("http://api.example.com/x"))).isEmpty();
    assertThat(any.refusal(URI.create("http://169.254.169.254/latest"))).get().asString().contains("allowPrivateNetworks");
    assertThat(any.refusal(URI.create("http://localhost:8080/x"))).isPresent();
    assertThat(any.refusal(URI.create("http://[fd00::1]/x"))).isPresent();
    assertThat(any.refusal(URI.create("http://100.64.0.1/x"))).isPresent();

    OutboundHostPolicy permissive = new OutboundHostPolicy("generic", false, List.of("*"), true);
    assertThat(permissive.refusal(URI.create("http://127.0.0.1:8090/x"))).isEmpty();
  }

  @Test
  void suffixWildcardsMatchSubdomainsOnly() {
    OutboundHostPolicy policy = new OutboundHostPolicy("acquia", true, List.of("*.acquia.com"), false);
    assertThat(policy.refusal(URI.create("https://cloud.acquia.com/x"))).isEmpty();
    assertThat(policy.refusal(URI.create("https://evilacquia.com/x"))).isPresent();
  }

  @Test
  void anExactlyListedLoopbackHostIsAllowed() {
    OutboundHostPolicy simulator = new OutboundHostPolicy("acquia", false, List.of("127.0.0.1"), false);
    assertThat(simulator.refusal(URI.create("http://127.0.0.1:8090/api/notifications/1"))).isEmpty();
    assertThat(simulator.refusal(URI.create("http://169.254.169.254/"))).isPresent();
  }
}
