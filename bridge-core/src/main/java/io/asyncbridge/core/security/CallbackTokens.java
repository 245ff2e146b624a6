package io.asyncbridge.core.security;

import io.asyncbridge.core.config.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The unguessable per-task callback token: HMAC-SHA256 of provider and taskId under the bridge's callback secret.
 * Ingest puts it into the callback URL it gives the upstream; the callbacks service recomputes and compares it in
 * constant time. Nothing is stored, so any instance can verify any task's token.
 */
public final class CallbackTokens {

  /** Per-task route: {@code POST <publicBaseUrl>/callbacks/<provider>/<taskId>/<token>}. */
  public static final String ROUTE_PREFIX = "/callbacks/";

  private final SecretKeySpec key;

  public CallbackTokens(Secret secret) {
    this.key = new SecretKeySpec(secret.bytes(), "HmacSHA256");
  }

  public String tokenFor(String provider, String taskId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(provider.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0); // separator: ("ab","c") and ("a","bc") must not share a token
      mac.update(taskId.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  /** Constant-time comparison, whatever the length or content of the presented token. */
  public boolean verify(String provider, String taskId, String presented) {
    byte[] expected = tokenFor(provider, taskId).getBytes(StandardCharsets.US_ASCII);
    byte[] actual = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }

  public URI callbackUrl(URI publicBaseUrl, String provider, String taskId) {
    String base = publicBaseUrl.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + ROUTE_PREFIX + encode(provider) + "/" + encode(taskId) + "/" + tokenFor(provider, taskId));
  }

  /** The provider-level route, for upstreams that only know one callback URL. */
  public static URI providerCallbackUrl(URI publicBaseUrl, String provider) {
    String base = publicBaseUrl.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + ROUTE_PREFIX + encode(provider));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
