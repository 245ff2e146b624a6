package io.asyncbridge.callbacks.signature;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over one or more byte parts; a fresh {@link Mac} per call because a Mac is not thread-safe. */
final class Hmac {

  private final SecretKeySpec key;

  Hmac(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  byte[] sha256(byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
