package io.asyncbridge.simulator.standardwebhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs webhooks the Standard Webhooks way (standardwebhooks.com): headers {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature: v1,<base64(HMAC-SHA256(secret,
 * "<id>.<timestamp>.<body>"))>}, where the secret is {@code whsec_<base64 key bytes>}.
 */
public final class StandardWebhooksSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";

    private final byte[] key;

    /** @param secret {@code whsec_<base64>} (the prefix is optional) */
    public StandardWebhooksSigner(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            this.key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A Standard Webhooks secret must be whsec_<base64>; it is not base64", e);
        }
    }

    /** A new random secret, {@code whsec_} followed by 32 random bytes in base64. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The {@code webhook-signature} value, {@code v1,<base64>}. */
    public String sign(String messageId, long timestampSeconds, byte[] body) {
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** All three headers for one message. */
    public Map<String, String> headers(String messageId, long timestampSeconds, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, messageId);
        headers.put(TIMESTAMP_HEADER, Long.toString(timestampSeconds));
        headers.put(SIGNATURE_HEADER, sign(messageId, timestampSeconds, body));
        return headers;
    }

    /**
     * Whether one of the space-separated signatures in a {@code webhook-signature} header matches. The caller
     * still has to check the timestamp against its own tolerance window.
     */
    public boolean verify(String messageId, long timestampSeconds, byte[] body, String signatureHeader) {
        if (signatureHeader == null) {
            return false;
        }
        byte[] expected = sign(messageId, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
