package io.asyncbridge.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table names exactly the keys the loader reads ({@link ConfigKeys}): a key added to the
 * code without a row, or a row for a key the code does not know, fails here.
 */
class ConfigReferenceTest {

  private static final Path README = Path.of("..", "README.md");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  /**
   * The key paths of the first column of the table under "## Configuration". A cell lists keys in backticks:
   * {@code `a.b.c` / `.d`} means a.b.c and a.b.d (a leading dot replaces the last segment of the key before it).
   */
  static Set<String> documentedKeys(String readme) {
    int section = readme.indexOf("\n## Configuration");
    int end = readme.indexOf("\n## ", section + 1);
    Set<String> keys = new LinkedHashSet<>();
    for (String line : readme.substring(section, end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue; // not a key row (header, separator, prose)
      }
      String cell = line.substring(1, line.indexOf('|', 1));
      Matcher code = CODE.matcher(cell);
      String previous = null;
      while (code.find()) {
        String key = code.group(1);
        if (key.startsWith(".")) {
          key = previous.substring(0, previous.lastIndexOf('.')) + key;
        }
        keys.add(key);
        previous = key;
      }
    }
    return keys;
  }

  @Test
  void theReadmeTableNamesEveryKeyTheLoaderReadsAndNoOther() throws IOException {
    Set<String> documented = documentedKeys(Files.readString(README, StandardCharsets.UTF_8));
    Set<String> known = ConfigKeys.known();

    Set<String> undocumented = new TreeSet<>(known);
    undocumented.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(known);
    assertThat(undocumented).as("keys the loader reads that README.md's Configuration table lacks").isEmpty();
    assertThat(unknown).as("keys README.md's Configuration table names that the loader does not read").isEmpty();
  }

  @Test
  void theCatalogueComesFromTheLoaderAndCoversEveryProviderType() {
    assertThat(ConfigKeys.known())
        .contains("kafka.bootstrapServers", "management.port", "providers.<name>.poll.maxInterval",
            "providers.<name>.clientSecret", "providers.<name>.signatureKey", "providers.<name>.auth.refreshBefore",
            "providers.<name>.callback.signature.tolerance")
        .allSatisfy(key -> assertThat(key).doesNotContain("acquia.", "documents.", "[", "jobs.", "hooks."));
    assertThat(ConfigKeys.branches()).hasSizeGreaterThanOrEqualTo(ProviderType.values().length);
  }

  @Test
  void theTableParserExpandsSiblingKeys() {
    String readme = "intro\n## Configuration\n| key | default |\n|---|---|\n| `kafka.properties` / `.producer` | x |\n"
        + "| `providers.<name>.poll.a` / `.b` (acquia) | `2s` / `5s` |\n## Next\n";
    assertThat(documentedKeys(readme)).containsExactly("kafka.properties", "kafka.producer",
        "providers.<name>.poll.a", "providers.<name>.poll.b");
  }
}
