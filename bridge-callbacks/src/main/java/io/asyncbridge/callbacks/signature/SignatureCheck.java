package io.asyncbridge.callbacks.signature;

/**
 * The outcome of a signature check. A failure carries a stable code and a message that says what to fix; neither
 * ever contains the expected or presented signature.
 */
public record SignatureCheck(boolean valid, String code, String message) {

  public static final String MISSING = "missing_signature";
  public static final String INVALID = "invalid_signature";
  public static final String STALE = "stale_timestamp";

  private static final SignatureCheck OK = new SignatureCheck(true, "", "");

  public static SignatureCheck ok() {
    return OK;
  }

  public static SignatureCheck failed(String code, String message) {
    return new SignatureCheck(false, code, message);
  }
}
