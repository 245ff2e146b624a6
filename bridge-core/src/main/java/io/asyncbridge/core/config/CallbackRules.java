package io.asyncbridge.core.config;

import java.util.Map;

/**
 * What a callback-mode provider needs.
 *
 * @param requestHeaders headers added to the upstream call; the value {@code {callbackUrl}} is replaced by the
 *     task's callback URL (Cloud Elements: {@code Elements-Async-Request: True},
 *     {@code Elements-Async-Callback-Url: {callbackUrl}})
 * @param correlationIdPointer JSON pointer to the id that ties a webhook to its task (Cloud Elements: {@code /eventId})
 * @param signature how webhooks are signed
 */
public record CallbackRules(Map<String, String> requestHeaders, String correlationIdPointer, SignatureRules signature) {

  public CallbackRules {
    requestHeaders = Map.copyOf(requestHeaders);
  }

  public static final String CALLBACK_URL_PLACEHOLDER = "{callbackUrl}";
}
