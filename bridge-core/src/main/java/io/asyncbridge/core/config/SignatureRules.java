package io.asyncbridge.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How webhooks of a provider are signed.
 *
 * @param header the signature header ({@code Elements-Webhook-Signature}); unused by Standard Webhooks
 * @param prefix text before the encoded digest ({@code sha256=})
 * @param keys the HMAC keys, newest first: the first is the one a provider is expected to sign with now, and a webhook
 *     signed with any of them is accepted, so a key rotates by adding the new one first and removing the old one
 *     later; Standard Webhooks secrets may carry the {@code whsec_} prefix
 * @param tolerance Standard Webhooks only: how far {@code webhook-timestamp} may be from now (replay window)
 */
public record SignatureRules(Scheme scheme, String header, String prefix, List<Secret> keys, Duration tolerance) {

  public SignatureRules {
    keys = List.copyOf(keys);
  }

  /** The current key (the first of the list). */
  public Optional<Secret> key() {
    return keys.stream().findFirst();
  }

  /** Supported schemes. */
  public enum Scheme {
    /** Unsigned: only the per-task callback token authenticates a webhook. */
    NONE,
    /** {@code <header>: <prefix><base64(HMAC-SHA256(key, raw body))>}, as Cloud Elements signs. */
    HMAC_SHA256,
    /** standardwebhooks.com: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}. */
    STANDARD_WEBHOOKS
  }

  public static SignatureRules none() {
    return new SignatureRules(Scheme.NONE, "", "", List.of(), Duration.ofMinutes(5));
  }
}
