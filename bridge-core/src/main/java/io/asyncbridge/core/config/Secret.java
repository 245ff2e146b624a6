package io.asyncbridge.core.config;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A configuration value that must never be printed: its {@link #toString()} is masked, so a secret
 * that ends up in a log line, an exception message or a record's toString stays hidden.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The clear value, for the one place that sends it (an Authorization header, an HMAC key). */
  public String reveal() {
    return value;
  }

  public byte[] bytes() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && java.security.MessageDigest.isEqual(bytes(), other.bytes());
  }

  @Override
  public int hashCode() {
    return 0; // deliberately constant: a hash of the secret would leak information through hash maps
  }

  @Override
  public String toString() {
    return "****";
  }
}
