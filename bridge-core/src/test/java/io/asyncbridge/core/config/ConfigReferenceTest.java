package io.asyncbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table names exactly the declared keys ({@link ConfigKeys}), and the defaults it states
 * are the declared ones: a key added to the code without a row, a row for a key the code does not know, or a default
 * changed on one side only, fails here.
 */
class ConfigReferenceTest {

  private static final Path README = Path.of("..", "README.md");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern ONE_LITERAL = Pattern.compile("`([^`]*)`");
  private static final Pattern TYPE_QUALIFIED = Pattern.compile("[a-z-]+:");

  /** One row of the table: its keys, and its default cell split at " / " (one part per key when it lists them so). */
  record Row(List<String> keys, List<String> defaults) {
  }

  static List<Row> rows(String readme) {
    int section = readme.indexOf("\n## Configuration");
    int end = readme.indexOf("\n## ", section + 1);
    List<Row> rows = new ArrayList<>();
    for (String line : readme.substring(section, end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue; // not a key row (header, separator, prose)
      }
      String[] cells = line.split("\\|");
      Matcher code = CODE.matcher(cells[1]);
      List<String> keys = new ArrayList<>();
      String previous = null;
      while (code.find()) {
        String key = code.group(1);
        if (key.startsWith(".")) {
          key = previous.substring(0, previous.lastIndexOf('.')) + key;
        }
        keys.add(key);
        previous = key;
      }
      rows.add(new Row(keys, List.of(cells[2].trim().split(" / "))));
    }
    return rows;
  }

  /**
   * The key paths of the first column of the table under "## Configuration". A cell lists keys in backticks:
   * {@code `a.b.c` / `.d`} means a.b.c and a.b.d (a leading dot replaces the last segment of the key before it).
   */
  static Set<String> documentedKeys(String readme) {
    Set<String> keys = new LinkedHashSet<>();
    rows(readme).forEach(row -> keys.addAll(row.keys()));
    return keys;
  }

  @Test
  void theReadmeTableNamesEveryDeclaredKeyAndNoOther() throws IOException {
    Set<String> documented = documentedKeys(Files.readString(README, StandardCharsets.UTF_8));
    Set<String> known = new TreeSet<>();
    ConfigKeys.options().stream().filter(option -> option.kind() != ConfigOption.Kind.RETIRED)
        .forEach(option -> known.add(option.key()));

    Set<String> undocumented = new TreeSet<>(known);
    undocumented.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(known);
    assertThat(undocumented).as("declared keys that README.md's Configuration table lacks").isEmpty();
    assertThat(unknown).as("keys README.md's Configuration table names that are not declared").isEmpty();
  }

  /** Where a row gives one plain value per key ({@code `2s` / `5s`}), each is the declared default. */
  @Test
  void theDefaultsTheReadmeTableStatesAreTheDeclaredOnes() throws IOException {
    Map<String, ConfigOption<?>> options = new TreeMap<>();
    ConfigKeys.options().forEach(option -> options.put(option.key(), option));
    List<String> checked = new ArrayList<>();
    List<String> different = new ArrayList<>();
    for (Row row : rows(Files.readString(README, StandardCharsets.UTF_8))) {
      if (row.defaults().size() != row.keys().size() || TYPE_QUALIFIED.matcher(row.defaults().get(0)).lookingAt()) {
        continue; // prose, one default for several keys, or the defaults of one provider type ("google-lro: ...")
      }
      for (int i = 0; i < row.keys().size(); i++) {
        Matcher literal = ONE_LITERAL.matcher(row.defaults().get(i).trim());
        ConfigOption<?> option = options.get(row.keys().get(i));
        if (!literal.matches() || option == null) {
          continue; // a default that depends on something, described in words
        }
        checked.add(option.key());
        if (!sameDefault(option, literal.group(1))) {
          different.add(option.key() + ": README `" + literal.group(1) + "`, declared "
              + option.defaultText().orElse("(none)"));
        }
      }
    }
    assertThat(different).as("defaults in README.md's Configuration table that differ from the declarations").isEmpty();
    assertThat(checked).as("the rows whose defaults are checked")
        .contains("kafka.bootstrapServers", "callbacks.ackTimeout", "providers.<name>.poll.multiplier",
            "providers.<name>.dispatch.maxAttempts", "providers.<name>.dispatch.onUnknownOutcome");
  }

  private static boolean sameDefault(ConfigOption<?> option, String written) {
    if (option.defaultValue().isEmpty()) {
      return false;
    }
    Object declared = option.defaultValue().get();
    if (declared instanceof Duration duration) {
      return Durations.parse(written).filter(duration::equals).isPresent();
    }
    if (declared instanceof Double number) {
      return Double.parseDouble(written) == number;
    }
    return option.defaultText().orElseThrow().equalsIgnoreCase(written);
  }

  @Test
  void theCatalogueComesFromTheDeclarations() {
    assertThat(ConfigKeys.known())
        .contains("kafka.bootstrapServers", "management.port", "providers.<name>.poll.maxInterval",
            "providers.<name>.clientSecret", "providers.<name>.signatureKey", "providers.<name>.auth.refreshBefore",
            "providers.<name>.callback.signature.tolerance")
        .allSatisfy(key -> assertThat(key).doesNotContain("acquia.", "documents.", "[", "jobs.", "hooks."));
    assertThat(ConfigKeys.options()).extracting(ConfigOption::key).doesNotHaveDuplicates();
  }

  @Test
  void everyProviderTypeHasAPreset() {
    for (ProviderType type : ProviderType.values()) {
      assertThat(ProviderPreset.of(type).type()).isEqualTo(type);
    }
  }

  /** Secrets are flagged so, and only the options that hold credentials or keys are. */
  @Test
  void theOptionsThatHoldSecretsAreFlaggedSecret() {
    List<String> secret = ConfigKeys.options().stream().filter(ConfigOption::secret).map(ConfigOption::key).toList();
    assertThat(secret).containsExactlyInAnyOrder("kafka.properties", "kafka.producer", "kafka.consumer",
        "kafka.streams", "callbacks.tokenSecret", "management.authToken", "providers.<name>.clientSecret",
        "providers.<name>.authorization", "providers.<name>.signatureKey", "providers.<name>.auth.value",
        "providers.<name>.auth.clientSecret", "providers.<name>.callback.signature.secret");
    assertThat(ProviderOptions.CLIENT_SECRET.display(Secret.of("s3cret-value"))).doesNotContain("s3cret");
    assertThat(ProviderOptions.CLIENT_ID.display("client-1")).isEqualTo("client-1");
  }

  /**
   * One sample per branch of the readers (each provider type, each auth type, a signature scheme, a cancel call):
   * every branch reads its keys through declarations made for the key paths it reads, or fails with
   * IllegalStateException.
   */
  @Test
  void everyBranchOfTheReadersReadsDeclaredOptionsOnly() {
    String common = """
        kafka: {bootstrapServers: localhost:9092}
        callbacks: {publicBaseUrl: 'http://bridge.example.com', tokenSecret: a-long-enough-token-secret}
        observability: {tracing: {otlpEndpoint: 'http://collector:4318', serviceName: bridge}}
        management: {authToken: a-long-enough-management-token}
        topics: {pollObservations: bridge.observations}
        providers:
        """;
    String providers = """
          azure:
            type: http-lro
            baseUrl: https://management.azure.com
            auth: {type: oauth2-client-credentials, tokenUrl: 'https://login.example.com/token', clientId: id,
                   clientSecret: secret, scope: 'https://management.azure.com/.default'}
          google:
            type: google-lro
            baseUrl: https://example.googleapis.com/v1
            auth: {type: header, header: X-Goog-Api-Key, value: key}
          acquia:
            type: acquia
            baseUrl: https://cloud.acquia.com/api
            clientId: id
            clientSecret: secret
          documents:
            type: cloud-elements
            baseUrl: https://api.cloud-elements.com/elements/api-v2
            authorization: User u, Element e
            signatureKey: key
          jobs:
            type: generic
            mode: poll
            baseUrl: https://jobs.example.com
            notificationLinkPointer: /links/status
            status: {succeeded: [done]}
            auth: {type: header, header: X-Api-Key, value: key}
            cancel: {method: POST, path: '{notificationUrl}/cancel'}
            dispatch: {rateLimit: 5, onUnknownOutcome: fail}
            poll: {rateLimit: 2, multiplier: 2}
          hooks:
            type: generic
            mode: callback
            baseUrl: https://hooks.example.com
            status: {succeeded: [done], canceled: [stopped]}
            auth: {type: oauth2-client-credentials, tokenUrl: 'https://hooks.example.com/token', clientId: id,
                   clientSecret: secret}
            callback:
              requestHeaders: {X-Callback: '{callbackUrl}'}
              signature: {scheme: hmac-sha256, secret: key}
        """;
    BridgeConfigLoader loader = new BridgeConfigLoader(Map.of());
    assertThatThrownBy(() -> loader.parse("sample", common + providers))
        .as("the one misplaced key of the sample is reported, nothing fails in the readers")
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly("providers.hooks.status.canceled: is used by poll providers only"));
    BridgeConfig config = loader.parse("sample", common + providers.replace(", canceled: [stopped]", ""));
    assertThat(config.providers()).hasSize(6);
  }

  @Test
  void theTableParserExpandsSiblingKeys() {
    String readme = "intro\n## Configuration\n| key | default |\n|---|---|\n| `kafka.properties` / `.producer` | x |\n"
        + "| `providers.<name>.poll.a` / `.b` (acquia) | `2s` / `5s` |\n## Next\n";
    assertThat(documentedKeys(readme)).containsExactly("kafka.properties", "kafka.producer",
        "providers.<name>.poll.a", "providers.<name>.poll.b");
    assertThat(rows(readme).get(1).defaults()).containsExactly("`2s`", "`5s`");
  }
}
