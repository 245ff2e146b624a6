package io.asyncbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbridge.schemas.task.TaskMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two standard long-running-operation types, and links taken from headers, as configuration. */
class LongRunningOperationConfigTest {

  /** The configuration's first provider (in file order). */
  private static ProviderConfig load(String providers) {
    String name = providers.strip().substring(0, providers.strip().indexOf(':'));
    return new BridgeConfigLoader(Map.of()).parse("bridge.yaml", "providers:\n" + providers).provider(name)
        .orElseThrow();
  }

  private static List<String> problems(String provider) {
    try {
      load(provider);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the configuration to be refused");
  }

  @Test
  void theReadmesMinimalConfigurationsLoad() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    int section = readme.indexOf("\n## Providers");
    int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
    String yaml = readme.substring(start, readme.indexOf("```", start));

    BridgeConfig config = new BridgeConfigLoader(Map.of("AZURE_TENANT", "t-1", "AZURE_CLIENT_ID", "app",
        "AZURE_CLIENT_SECRET", "s3cr3t-value", "GOOGLE_API_KEY", "key-123")).parse("README.md", yaml);

    assertThat(config.provider("azure").orElseThrow().type()).isEqualTo(ProviderType.HTTP_LRO);
    assertThat(config.provider("vision").orElseThrow().status().progressPointer()).isEqualTo("/metadata/progressPercent");
  }

  @Test
  void httpLroNeedsOnlyABaseUrlAndCredentials() {
    ProviderConfig azure = load("""
          azure:
            type: http-lro
            baseUrl: https://management.azure.com
            auth: {type: oauth2-client-credentials, tokenUrl: 'https://login.example.com/t/oauth2/v2.0/token',
                   clientId: app, clientSecret: s3cr3t-value, scope: 'https://management.azure.com/.default'}
        """);

    assertThat(azure.type()).isEqualTo(ProviderType.HTTP_LRO);
    assertThat(azure.mode()).isEqualTo(TaskMode.POLL);
    assertThat(azure.notificationLinkHeaders()).containsExactly("Azure-AsyncOperation", "Operation-Location",
        "Location");
    assertThat(azure.notificationLinkPointer()).isEmpty();
    assertThat(azure.pollUrlTemplate()).isEmpty();
    StatusRules status = azure.status();
    assertThat(status.statusPointer()).isEqualTo("/status");
    assertThat(status.progressPointer()).isEqualTo("/percentComplete");
    assertThat(status.errorPointer()).isEqualTo("/error");
    assertThat(status.finalWithoutStatus()).isTrue();
    assertThat(status.decidesByDoneFlag()).isFalse();
    for (String running : List.of("NotStarted", "Running", "InProgress", "inprogress")) {
      assertThat(status.classify(running)).as(running).isEqualTo(StatusRules.Outcome.RUNNING);
    }
    assertThat(status.classify("Succeeded")).isEqualTo(StatusRules.Outcome.SUCCEEDED);
    assertThat(status.classify("FAILED")).isEqualTo(StatusRules.Outcome.FAILED);
    assertThat(status.classify("Canceled")).as("a cancel is a failure").isEqualTo(StatusRules.Outcome.FAILED);
    assertThat(status.isCanceled("Canceled")).isTrue();
    assertThat(status.isCanceled("Failed")).isFalse();
    assertThat(status.classify("Accepted")).isEqualTo(StatusRules.Outcome.UNKNOWN);
    assertThat(azure.auth()).isInstanceOf(UpstreamAuth.OAuth2ClientCredentials.class);
  }

  @Test
  void googleLroPollsTheOperationByNameAndReadsTheDoneFlag() {
    ProviderConfig google = load("""
          google:
            type: google-lro
            baseUrl: https://example.googleapis.com/v1/
            auth: {type: header, header: X-Goog-Api-Key, value: api-key-123}
            status: {progressPointer: /metadata/progressPercent}
        """);

    assertThat(google.mode()).isEqualTo(TaskMode.POLL);
    assertThat(google.pollUrlTemplate()).contains("{baseUrl}/{name}");
    assertThat(google.notificationLinkHeaders()).isEmpty();
    StatusRules status = google.status();
    assertThat(status.decidesByDoneFlag()).isTrue();
    assertThat(status.donePointer()).isEqualTo("/done");
    assertThat(status.errorPointer()).isEqualTo("/error");
    assertThat(status.resultPointer()).isEqualTo("/response");
    assertThat(status.statusPointer()).as("operations have no status word").isEmpty();
    assertThat(status.progressPointer()).isEqualTo("/metadata/progressPercent");
  }

  @Test
  void theBuiltInRulesCanBeOverriddenKeyByKey() {
    ProviderConfig custom = load("""
          jobs:
            type: http-lro
            baseUrl: https://jobs.example.com
            notificationLinkHeader: Operation-Location
            status: {canceled: [aborted], errorPointer: /failure, running: [queued, running]}
            poll: {honourRetryAfter: false}
          ops:
            type: google-lro
            baseUrl: https://ops.example.com/api
            pollUrlTemplate: 'https://ops.example.com/v2/{name}:get'
        """);

    assertThat(custom.notificationLinkHeaders()).containsExactly("Operation-Location");
    assertThat(custom.status().isCanceled("Aborted")).isTrue();
    assertThat(custom.status().isCanceled("Canceled")).isFalse();
    assertThat(custom.status().errorPointer()).isEqualTo("/failure");
    assertThat(custom.status().classify("queued")).isEqualTo(StatusRules.Outcome.RUNNING);
    assertThat(custom.poll().honourRetryAfter()).isFalse();
  }

  @Test
  void aGenericPollProviderMayTakeItsLinkFromAHeaderList() {
    ProviderConfig generic = load("""
          builds:
            type: generic
            mode: poll
            baseUrl: https://ci.example.com
            notificationLinkHeader: [Content-Location, Location]
            status: {succeeded: [done], failed: [broken]}
        """);

    assertThat(generic.notificationLinkHeaders()).containsExactly("Content-Location", "Location");
    assertThat(generic.notificationLinkPointer()).isEmpty();
    assertThat(generic.status().finalWithoutStatus()).as("plain status words, no HTTP semantics").isFalse();
  }

  @Test
  void aGenericProviderMayDeclareADoneFlagInsteadOfWords() {
    ProviderConfig generic = load("""
          jobs:
            type: generic
            mode: poll
            baseUrl: https://jobs.example.com
            notificationLinkPointer: /self
            status: {donePointer: /finished, errorPointer: /problem, resultPointer: /output}
        """);

    assertThat(generic.status().decidesByDoneFlag()).isTrue();
    assertThat(generic.status().resultPointer()).isEqualTo("/output");
  }

  @Test
  void reportsEveryMistakeOfTheNewKeysWithItsPath() {
    assertThat(problems("""
          azure:
            type: http-lro
            baseUrl: https://management.azure.com
            mode: callback
            notificationLinkHeader: ['Location: x', Operation-Location]
            status: {errorPointer: error, donePointer: done}
          google:
            type: google-lro
            baseUrl: https://example.googleapis.com/v1
            pollUrlTemplate: '{baseUrl}/operations'
          google2:
            type: google-lro
            baseUrl: https://example.googleapis.com/v1
            pollUrlTemplate: '{base}/{name}'
          google3:
            type: google-lro
            baseUrl: https://example.googleapis.com/v1
            pollUrlTemplate: 'ops/{name}'
          empty:
            type: http-lro
            baseUrl: https://x.example.com
            notificationLinkHeader: []
        """)).containsExactlyInAnyOrder(
        "providers.azure.mode: a http-lro provider is polled; mode must be poll (or left out)",
        "providers.azure.notificationLinkHeader: 'Location: x' is not a header name (write Location or"
            + " Operation-Location, without ':' or a value)",
        "providers.azure.status.errorPointer: 'error' is not a JSON pointer (it starts with '/', e.g."
            + " /_links/notification/href)",
        "providers.azure.status.donePointer: 'done' is not a JSON pointer (it starts with '/', e.g."
            + " /_links/notification/href)",
        "providers.google.pollUrlTemplate: '{baseUrl}/operations' has no {name}: the operation's name must go into"
            + " the URL (default {baseUrl}/{name})",
        "providers.google2.pollUrlTemplate: '{base}' is not a placeholder (use {baseUrl} and {name})",
        "providers.google3.pollUrlTemplate: 'ops/{name}' does not make an http(s) URL (start it with {baseUrl} or"
            + " https://host)",
        "providers.empty.notificationLinkHeader: an http-lro provider needs at least one header that carries the"
            + " status URL (default: Azure-AsyncOperation, Operation-Location, Location)");
  }

  @Test
  void theOperationKeysOfStatusBelongToPollProvidersOnly() {
    assertThatThrownBy(() -> new BridgeConfigLoader(Map.of()).parse("bridge.yaml", """
        callbacks: {publicBaseUrl: 'https://bridge.example.com', tokenSecret: a-long-enough-token-secret}
        providers:
          hooks:
            type: generic
            mode: callback
            baseUrl: https://hooks.example.com
            status: {succeeded: [done], donePointer: /done, canceled: [x]}
            callback: {requestHeaders: {X-Callback: '{callbackUrl}'}}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
        "providers.hooks.status.canceled: is used by poll providers only",
        "providers.hooks.status.donePointer: is used by poll providers only"));
  }

  @Test
  void aGenericPollProviderDeclaresItsCancelCall() {
    ProviderConfig jobs = load("""
          jobs:
            type: generic
            mode: poll
            baseUrl: https://jobs.example.com/api
            notificationLinkPointer: /links/status
            status: {succeeded: [done]}
            cancel: {path: '{notificationUrl}/cancel'}
        """);
    CancelCall cancel = jobs.cancel().orElseThrow();
    assertThat(cancel.method()).isEqualTo("POST");
    assertThat(cancel.url("https://jobs.example.com/api", "https://jobs.example.com/api/runs/7"))
        .isEqualTo("https://jobs.example.com/api/runs/7/cancel");
    assertThat(new CancelCall("DELETE", "runs/current").url("https://jobs.example.com/api/", "unused"))
        .isEqualTo("https://jobs.example.com/api/runs/current");
    assertThat(load("""
          google:
            type: google-lro
            baseUrl: https://example.googleapis.com/v1
        """).cancel()).as("google-lro's cancel call is built in").isEmpty();
  }

  @Test
  void aCancelTemplateIsCheckedWithItsPath() {
    String generic = """
            type: generic
            mode: poll
            baseUrl: https://jobs.example.com/api
            notificationLinkPointer: /links/status
            status: {succeeded: [done]}
        """;
    assertThat(problems("""
          acquia:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: id
            clientSecret: secret
            cancel: {path: '/cancel'}
          hooks:
            type: generic
            mode: callback
            baseUrl: https://hooks.example.com
            status: {succeeded: [done]}
            callback: {requestHeaders: {X-Callback: '{callbackUrl}'}}
            cancel: {path: '/jobs/{correlationId}/cancel'}
          word:
        """ + generic + """
            cancel: {method: GET, path: '{taskId}/cancel'}
          middle:
        """ + generic + """
            cancel: {path: '/runs/{notificationUrl}'}
          absolute:
        """ + generic + """
            cancel: {path: 'https://elsewhere.example.com/cancel'}
          missing:
        """ + generic + """
            cancel: {method: POST}
        """)).containsExactlyInAnyOrder(
        "providers.acquia.cancel: only a generic provider takes a cancel template (google-lro's is built in; acquia"
            + " and cloud-elements have none)",
        "providers.hooks.cancel: cancel calls are made for poll-mode providers only",
        "providers.word.cancel.method: 'GET' is not one of [POST, PUT, PATCH, DELETE]",
        "providers.word.cancel.path: '{taskId}' is not a placeholder of a poll-mode cancel (use {notificationUrl})",
        "providers.middle.cancel.path: '/runs/{notificationUrl}': {notificationUrl} is a whole URL; it can only start"
            + " the path",
        "providers.absolute.cancel.path: 'https://elsewhere.example.com/cancel' must be relative to baseUrl or start"
            + " with {notificationUrl}",
        "providers.missing.cancel.path: is required ('{notificationUrl}:cancel', or a path relative to baseUrl)",
        // The callback-mode provider brings the callbacks section's own requirements:
        "callbacks.publicBaseUrl: is required (a provider uses callbacks; upstreams must know where to call back)",
        "callbacks.tokenSecret: is required: no callback provider has a secret to derive the callback token key from");
  }
}
