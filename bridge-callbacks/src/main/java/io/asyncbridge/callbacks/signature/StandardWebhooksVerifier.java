package io.asyncbridge.callbacks.signature;

import io.asyncbridge.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * standardwebhooks.com: {@code webhook-signature: v1,<base64(HMAC-SHA256(secret, id.timestamp.body))>} (several
 * space-separated signatures allowed during key rotation), with {@code webhook-timestamp} inside a tolerance window
 * so a captured webhook cannot be replayed later. The receiver's secret rotates too: with several secrets configured,
 * a signature made under any of them is accepted (the sender's own rotation is covered by its several signatures).
 */
public final class StandardWebhooksVerifier implements WebhookSignatureVerifier {

  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";
  static final String SECRET_PREFIX = "whsec_";
  private static final String VERSION = "v1,";

  private final List<Hmac> hmacs;
  private final Duration tolerance;

  public StandardWebhooksVerifier(Secret secret, Duration tolerance) {
    this(List.of(secret), tolerance);
  }

  public StandardWebhooksVerifier(List<Secret> secrets, Duration tolerance) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a Standard Webhooks signature needs at least one secret");
    }
    this.hmacs = Hmac.of(secrets.stream().map(StandardWebhooksVerifier::keyBytes).toList());
    this.tolerance = tolerance;
  }

  private static byte[] keyBytes(Secret secret) {
    String value = secret.reveal();
    if (!value.startsWith(SECRET_PREFIX)) {
      return secret.bytes();
    }
    try {
      return Base64.getDecoder().decode(value.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      // The message must not echo the secret.
      throw new IllegalArgumentException("a Standard Webhooks secret whsec_<base64> is not valid base64", null);
    }
  }

  @Override
  public SignatureCheck verify(Function<String, String> headers, byte[] body, Instant now) {
    String id = headers.apply(ID_HEADER);
    String timestamp = headers.apply(TIMESTAMP_HEADER);
    String signatures = headers.apply(SIGNATURE_HEADER);
    if (isBlank(id) || isBlank(timestamp) || isBlank(signatures)) {
      return SignatureCheck.failed(SignatureCheck.MISSING,
          "the webhook-id, webhook-timestamp and webhook-signature headers are required");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return SignatureCheck.failed(SignatureCheck.INVALID, "webhook-timestamp must be epoch seconds");
    }
    if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
      return SignatureCheck.failed(SignatureCheck.STALE, "webhook-timestamp is more than " + tolerance.toSeconds()
          + " s from the receiver's time; a replayed or delayed webhook must be signed again");
    }
    byte[] signed = (id + "." + timestamp.trim() + ".").getBytes(StandardCharsets.UTF_8);
    String[] candidates = signatures.trim().split(" +");
    boolean matched = false;
    for (Hmac hmac : hmacs) {
      byte[] expected = (VERSION + Base64.getEncoder().encodeToString(hmac.sha256(signed, body)))
          .getBytes(StandardCharsets.US_ASCII);
      for (String candidate : candidates) {
        // No early exit: every key and candidate costs the same whether or not an earlier one matched.
        matched |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
      }
    }
    if (!matched) {
      return SignatureCheck.failed(SignatureCheck.INVALID,
          "no v1 signature in webhook-signature matches id.timestamp.body under the provider's secrets");
    }
    return SignatureCheck.ok();
  }

  @Override
  public boolean authenticates() {
    return true;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
