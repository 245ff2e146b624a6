package io.asyncbridge.callbacks.signature;

import io.asyncbridge.core.config.SignatureRules;
import java.time.Instant;
import java.util.function.Function;

/**
 * Checks that a webhook was signed by its provider. Implementations are immutable and thread-safe, and compare in
 * constant time. They see the raw body bytes exactly as received: any re-encoding would break the digest.
 */
public interface WebhookSignatureVerifier {

  /**
   * @param header looks up a request header by name (case-insensitive), null when absent
   * @param body the raw request body
   * @param now the current time, for schemes with a replay window
   */
  SignatureCheck verify(Function<String, String> header, byte[] body, Instant now);

  /** Whether the scheme authenticates a webhook by itself (the provider-level route requires that). */
  boolean authenticates();

  /** The verifier of a provider's configured scheme. */
  static WebhookSignatureVerifier forRules(SignatureRules rules) {
    switch (rules.scheme()) {
      case HMAC_SHA256:
        return new HmacSha256Verifier(rules.header(), rules.prefix(), rules.keys());
      case STANDARD_WEBHOOKS:
        return new StandardWebhooksVerifier(rules.keys(), rules.tolerance());
      default:
        return Unsigned.INSTANCE;
    }
  }

  /** Scheme NONE: only the per-task callback token authenticates such webhooks. */
  enum Unsigned implements WebhookSignatureVerifier {
    INSTANCE;

    @Override
    public SignatureCheck verify(Function<String, String> header, byte[] body, Instant now) {
      return SignatureCheck.ok();
    }

    @Override
    public boolean authenticates() {
      return false;
    }
  }
}
