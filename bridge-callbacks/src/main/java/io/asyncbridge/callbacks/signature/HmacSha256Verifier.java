package io.asyncbridge.callbacks.signature;

import io.asyncbridge.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * {@code <header>: <prefix><base64(HMAC-SHA256(key, raw body))>}, as Cloud Elements signs
 * ({@code Elements-Webhook-Signature: sha256=...}). There is no timestamp, so no replay window: replays are
 * recognized by the correlation topology instead. Several keys may be configured while one rotates: a body signed
 * with any of them is accepted, and every key is tried whatever matched, so the time taken tells nothing.
 */
public final class HmacSha256Verifier implements WebhookSignatureVerifier {

  private final String header;
  private final String prefix;
  private final List<Hmac> hmacs;

  public HmacSha256Verifier(String header, String prefix, Secret key) {
    this(header, prefix, List.of(key));
  }

  public HmacSha256Verifier(String header, String prefix, List<Secret> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("an HMAC-SHA256 signature needs at least one key");
    }
    this.header = header;
    this.prefix = prefix;
    this.hmacs = Hmac.of(keys.stream().map(Secret::bytes).toList());
  }

  @Override
  public SignatureCheck verify(Function<String, String> headers, byte[] body, Instant now) {
    String presented = headers.apply(header);
    if (presented == null || presented.isBlank()) {
      return SignatureCheck.failed(SignatureCheck.MISSING, "the " + header + " header is required");
    }
    byte[] actual = presented.trim().getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (Hmac hmac : hmacs) {
      byte[] expected = (prefix + Base64.getEncoder().encodeToString(hmac.sha256(body)))
          .getBytes(StandardCharsets.US_ASCII);
      matched |= MessageDigest.isEqual(expected, actual);
    }
    if (!matched) {
      return SignatureCheck.failed(SignatureCheck.INVALID, "the " + header + " header does not match the body; sign"
          + " the raw body with HMAC-SHA256 and send " + prefix + "<base64 digest>");
    }
    return SignatureCheck.ok();
  }

  @Override
  public boolean authenticates() {
    return true;
  }
}
