package io.asyncbridge.core.config;

/** Built-in provider types fill in what the seed APIs need; {@code generic} declares the same things explicitly. */
public enum ProviderType {
  /** Acquia Cloud Platform: OAuth2 client credentials, poll via {@code /_links/notification/href}. */
  ACQUIA,
  /** Cloud Elements asynchronous requests: {@code Elements-Async-*} headers and a signed webhook. */
  CLOUD_ELEMENTS,
  /** Any async API described by configuration alone. */
  GENERIC
}
