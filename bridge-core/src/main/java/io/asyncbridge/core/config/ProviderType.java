package io.asyncbridge.core.config;

/** Built-in provider types fill in what the seed APIs need; {@code generic} declares the same things explicitly. */
public enum ProviderType {
  /** Acquia Cloud Platform: OAuth2 client credentials, poll via {@code /_links/notification/href}. */
  ACQUIA,
  /** Cloud Elements asynchronous requests: {@code Elements-Async-*} headers and a signed webhook. */
  CLOUD_ELEMENTS,
  /** Any async API described by configuration alone. */
  GENERIC,
  /**
   * The HTTP / Azure long-running operation: 201 or 202 with the status URL in {@code Azure-AsyncOperation},
   * {@code Operation-Location} or {@code Location}, a status monitor with {@code status} words and an {@code error}
   * object.
   */
  HTTP_LRO,
  /** Google AIP-151 operations: {@code {name, done, metadata, error | response}}, polled at {@code {baseUrl}/{name}}. */
  GOOGLE_LRO;

  /** Whether the type is one of the standard long-running-operation patterns (always polled). */
  public boolean isLongRunningOperation() {
    return this == HTTP_LRO || this == GOOGLE_LRO;
  }
}
