package io.asyncbridge.core.config;

import io.asyncbridge.schemas.task.TaskMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a provider type starts from: the defaults of the seed APIs (Acquia, Cloud Elements) and of the standard
 * long-running-operation patterns. A {@code generic} provider starts from nothing and declares the same things; any
 * default here can still be overridden key by key ({@link ProviderOptions}).
 *
 * @param type the provider type
 * @param mode the mode when the key is absent; empty when it is required ({@code generic})
 * @param auth where the credentials are read from
 * @param defaultTimeout a task's deadline when the request names none, if not the declared default
 * @param status the status rules
 * @param notificationLinkPointer where the accept answer's body carries the notification URL ("" for none)
 * @param notificationLinkHeaders the accept answer's headers that carry it, in order of preference
 * @param pollsByOperationName whether the notification URL is made from the operation's name ({@code pollUrlTemplate})
 * @param callbackHeaders the headers that tell the upstream where to call back
 * @param correlationIdPointer the id shared by the accept answer and the webhook ("" for none)
 * @param signature how the type's webhooks are signed, without the keys (they are {@code signatureKey}); empty when
 *     {@code callback.signature} configures it
 * @param cancelTemplate whether {@code cancel} may be configured (google-lro's cancel call is built in)
 */
public record ProviderPreset(ProviderType type, Optional<TaskMode> mode, Auth auth, Optional<Duration> defaultTimeout,
    StatusRules status, String notificationLinkPointer, List<String> notificationLinkHeaders,
    boolean pollsByOperationName, Map<String, String> callbackHeaders, String correlationIdPointer,
    Optional<SignatureRules> signature, boolean cancelTemplate) {

  /** Where a provider's credentials are. */
  public enum Auth {
    /** Acquia: {@code tokenUrl}, {@code clientId}, {@code clientSecret} beside {@code type}. */
    ACQUIA_CLIENT_CREDENTIALS,
    /** Cloud Elements: the {@code authorization} value of the {@code Authorization} header. */
    CLOUD_ELEMENTS_AUTHORIZATION,
    /** Any other type: the {@code auth} section. */
    CONFIGURED
  }

  /** The status-URL headers of RFC 9110 and Azure, most specific first. */
  public static final List<String> HTTP_LRO_HEADERS = List.of("Azure-AsyncOperation", "Operation-Location", "Location");

  public ProviderPreset {
    notificationLinkHeaders = List.copyOf(notificationLinkHeaders);
    callbackHeaders = Map.copyOf(callbackHeaders);
  }

  public static ProviderPreset of(ProviderType type) {
    return switch (type) {
      case ACQUIA -> new ProviderPreset(type, Optional.of(TaskMode.POLL), Auth.ACQUIA_CLIENT_CREDENTIALS,
          Optional.empty(),
          new StatusRules("/status", "/progress", Set.of("completed", "succeeded"), Set.of("failed"),
              Set.of("in-progress", "in_progress", "started"), List.of()),
          "/_links/notification/href", List.of(), false, Map.of(), "", Optional.empty(), false);
      case CLOUD_ELEMENTS -> new ProviderPreset(type, Optional.of(TaskMode.CALLBACK),
          Auth.CLOUD_ELEMENTS_AUTHORIZATION, Optional.of(Duration.ofHours(24)),
          new StatusRules("/eventStatus", "", Set.of("completed", "succeeded", "success"), Set.of("failed", "error"),
              Set.of("dispatched", "pending", "processing"), List.of("/response/error", "/error")),
          "", List.of(), false,
          Map.of("Elements-Async-Request", "True", "Elements-Async-Callback-Url",
              CallbackRules.CALLBACK_URL_PLACEHOLDER),
          "/eventId",
          // The seed's hash verification: Elements-Webhook-Signature: sha256=<base64 HMAC-SHA256 of the raw body>.
          Optional.of(new SignatureRules(SignatureRules.Scheme.HMAC_SHA256, "Elements-Webhook-Signature", "sha256=",
              List.of(), Duration.ofMinutes(5))),
          false);
      // Azure's status monitor (Azure-AsyncOperation, Operation-Location) and RFC 9110 Location polling.
      case HTTP_LRO -> new ProviderPreset(type, Optional.of(TaskMode.POLL), Auth.CONFIGURED, Optional.empty(),
          new StatusRules("/status", "/percentComplete", Set.of("succeeded"), Set.of("failed"),
              Set.of("notstarted", "running", "inprogress"), List.of(), Set.of("canceled", "cancelled"), "/error", "",
              "", true),
          "", HTTP_LRO_HEADERS, false, Map.of(), "", Optional.empty(), false);
      // AIP-151: {name, metadata, done, error | response}; no status words, the done flag decides.
      case GOOGLE_LRO -> new ProviderPreset(type, Optional.of(TaskMode.POLL), Auth.CONFIGURED, Optional.empty(),
          new StatusRules("", "", Set.of(), Set.of(), Set.of(), List.of(), Set.of(), "/error", "/done", "/response",
              false),
          "", List.of(), true, Map.of(), "", Optional.empty(), false);
      default -> new ProviderPreset(type, Optional.empty(), Auth.CONFIGURED, Optional.empty(),
          new StatusRules("/status", "", Set.of(), Set.of(), Set.of(), List.of()),
          "", List.of(), false, Map.of(), "", Optional.empty(), true);
    };
  }
}
