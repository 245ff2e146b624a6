package io.asyncbridge.callbacks.signature;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over one or more byte parts. A {@link Mac} is not thread-safe, so each thread (in practice the
 * endpoint's event loops) keeps its own, initialized once: {@code getInstance} plus {@code init} per call cost about
 * as much as the HMAC of a 1 KiB body. {@code doFinal} resets it for the next call.
 */
final class Hmac {

  /** One per key of a rotating list, newest first. */
  static java.util.List<Hmac> of(java.util.List<byte[]> keys) {
    return keys.stream().map(Hmac::new).toList();
  }

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  Hmac(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  byte[] sha256(byte[]... parts) {
    Mac mac = macs.get();
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
