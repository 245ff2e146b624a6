package io.asyncbridge.callbacks.http;

import com.fasterxml.jackson.core.JsonPointer;
import io.asyncbridge.callbacks.signature.WebhookSignatureVerifier;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.schemas.task.TaskMode;

/**
 * What the endpoint needs of one callback-mode provider, prepared once at start-up.
 *
 * @param correlationPointer where the body carries the correlation id, or null when the provider has none
 */
public record CallbackProvider(String name, WebhookSignatureVerifier verifier, JsonPointer correlationPointer) {

  /** Null unless the provider is in callback mode. */
  public static CallbackProvider of(ProviderConfig provider) {
    if (provider.mode() != TaskMode.CALLBACK || provider.callback().isEmpty()) {
      return null;
    }
    String pointer = provider.callback().get().correlationIdPointer();
    return new CallbackProvider(provider.name(), WebhookSignatureVerifier.forRules(provider.callback().get().signature()),
        pointer == null || pointer.isEmpty() ? null : JsonPointer.compile(pointer));
  }
}
