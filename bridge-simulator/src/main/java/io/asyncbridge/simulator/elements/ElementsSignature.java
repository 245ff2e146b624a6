package io.asyncbridge.simulator.elements;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Cloud Elements webhook signature: header {@value #HEADER} with value
 * {@code sha256=<base64(HMAC-SHA256(key, raw body bytes))>}. There is no timestamp in it, so receivers must
 * deduplicate on {@code eventId} rather than rely on a replay window.
 */
public final class ElementsSignature {

    public static final String HEADER = "Elements-Webhook-Signature";
    public static final String PREFIX = "sha256=";

    private ElementsSignature() {
    }

    /** The complete header value, {@code sha256=<base64 digest>}. */
    public static String sign(String key, byte[] body) {
        return PREFIX + digest(key, body);
    }

    /** The base64 HMAC-SHA256 digest alone, without the {@code sha256=} prefix. */
    public static String digest(String key, byte[] body) {
        return Base64.getEncoder().encodeToString(hmacSha256(key.getBytes(StandardCharsets.UTF_8), body));
    }

    /** Constant-time check of a received header value against the body. */
    public static boolean verify(String key, byte[] body, String headerValue) {
        if (headerValue == null) {
            return false;
        }
        byte[] expected = sign(key, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, headerValue.trim().getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] hmacSha256(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
