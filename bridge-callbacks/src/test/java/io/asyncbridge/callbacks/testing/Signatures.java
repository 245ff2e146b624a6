package io.asyncbridge.callbacks.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test webhooks the way the providers do (written independently of the verifiers under test). */
public final class Signatures {

  private Signatures() {
  }

  public static String cloudElements(String key, byte[] body) {
    return "sha256=" + Base64.getEncoder().encodeToString(hmac(key.getBytes(StandardCharsets.UTF_8), body));
  }

  public static String standardWebhooks(String whsec, String id, long timestamp, byte[] body) {
    byte[] key = Base64.getDecoder().decode(whsec.substring("whsec_".length()));
    byte[] content = (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    return "v1," + Base64.getEncoder().encodeToString(hmac(key, content));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
