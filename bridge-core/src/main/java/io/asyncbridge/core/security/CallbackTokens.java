package io.asyncbridge.core.security;

import io.asyncbridge.core.config.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The unguessable per-task callback token: HMAC-SHA256 of provider and taskId under the bridge's callback secret.
 * Ingest puts it into the callback URL it gives the upstream; the callbacks service recomputes and compares it in
 * constant time. Nothing is stored, so any instance can verify any task's token.
 *
 * <p>The secret rotates: tokens are issued under the first key, and a token made under any of the keys verifies, so
 * the callback URLs handed out before a rotation keep working until their key is removed from the list.
 */
public final class CallbackTokens {

  /** Per-task route: {@code POST <publicBaseUrl>/callbacks/<provider>/<taskId>/<token>}. */
  public static final String ROUTE_PREFIX = "/callbacks/";

  private final List<SecretKeySpec> keys;

  public CallbackTokens(Secret secret) {
    this(List.of(secret));
  }

  /** @param secrets newest first; the first issues tokens, all verify */
  public CallbackTokens(List<Secret> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one callback token secret is needed");
    }
    this.keys = secrets.stream().map(secret -> new SecretKeySpec(secret.bytes(), "HmacSHA256")).toList();
  }

  public String tokenFor(String provider, String taskId) {
    return tokenUnder(keys.get(0), provider, taskId);
  }

  private static String tokenUnder(SecretKeySpec key, String provider, String taskId) {
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

  /**
   * Constant-time comparison, whatever the length or content of the presented token; every key is tried, with no
   * early exit, so the time taken does not tell which key (if any) matched.
   */
  public boolean verify(String provider, String taskId, String presented) {
    byte[] actual = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (SecretKeySpec key : keys) {
      matched |= MessageDigest.isEqual(tokenUnder(key, provider, taskId).getBytes(StandardCharsets.US_ASCII), actual);
    }
    return matched;
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
