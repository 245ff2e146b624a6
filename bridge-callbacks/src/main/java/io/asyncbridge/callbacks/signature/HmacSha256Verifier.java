package io.asyncbridge.callbacks.signature;

import io.asyncbridge.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

/**
 * {@code <header>: <prefix><base64(HMAC-SHA256(key, raw body))>}, as Cloud Elements signs
 * ({@code Elements-Webhook-Signature: sha256=...}). There is no timestamp, so no replay window: replays are
 * recognized by the correlation topology instead.
 */
public final class HmacSha256Verifier implements WebhookSignatureVerifier {

  private final String header;
  private final String prefix;
  private final Hmac hmac;

  public HmacSha256Verifier(String header, String prefix, Secret key) {
    this.header = header;
    this.prefix = prefix;
    this.hmac = new Hmac(key.bytes());
  }

  @Override
  public SignatureCheck verify(Function<String, String> headers, byte[] body, Instant now) {
    String presented = headers.apply(header);
    if (presented == null || presented.isBlank()) {
      return SignatureCheck.failed(SignatureCheck.MISSING, "the " + header + " header is required");
    }
    byte[] expected = (prefix + Base64.getEncoder().encodeToString(hmac.sha256(body)))
        .getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented.trim().getBytes(StandardCharsets.US_ASCII))) {
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
