package io.asyncbridge.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.asyncbridge.core.config.ConfigOption.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One object of the configuration tree, read option by option: each value is read through its declaration
 * ({@link ConfigOption}), which gives its conversion, default, bounds and messages. Each read:
 * <ul>
 *   <li>first looks for an environment override named after the key path
 *       ({@code kafka.bootstrapServers} is {@code BRIDGE_KAFKA_BOOTSTRAP_SERVERS});</li>
 *   <li>records the key as known, so that {@link #rejectUnknownKeys()} can name every typo;</li>
 *   <li>reports a problem with the full key path instead of throwing, so that one start-up lists
 *       everything that is wrong at once.</li>
 * </ul>
 */
final class ConfigNode {

  private final String path;
  private final JsonNode node;
  private final ConfigContext context;
  private final Set<String> readKeys = new LinkedHashSet<>();

  ConfigNode(String path, JsonNode node, ConfigContext context) {
    this.path = path;
    this.node = node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    this.context = context;
    if (!this.node.isObject()) {
      context.problem(pathOrRoot() + ": expected a mapping of keys, found " + describe(this.node));
    }
  }

  String path() {
    return path;
  }

  String keyPath(String key) {
    if (key.isEmpty()) {
      return pathOrRoot(); // a problem of this node as a whole
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return context.env(envName(keyPath(key))).isPresent() || (node.isObject() && node.has(key) && !node.get(key).isNull());
  }

  ConfigNode child(String key) {
    readKeys.add(key); // a section, not a key of its own: its keys are recorded as they are read
    return new ConfigNode(keyPath(key), node.isObject() ? node.get(key) : null, context);
  }

  /** The keys present under this node, in file order (for maps such as {@code providers}). */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  private Optional<String> optionalString(String key) {
    read(key);
    String keyPath = keyPath(key);
    Optional<String> override = context.env(envName(keyPath));
    if (override.isPresent()) {
      return Optional.of(context.resolve(keyPath, override.get()));
    }
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isValueNode()) {
      context.problem(keyPath + ": expected a single value, found " + describe(value));
      return Optional.empty();
    }
    return Optional.of(context.resolve(keyPath, value.asText()));
  }

  private String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  private Optional<String> requiredString(String key, String why) {
    Optional<String> value = optionalString(key).filter(text -> !text.isBlank());
    if (value.isEmpty() && !context.hasProblem(keyPath(key))) {
      context.problem(keyPath(key) + ": is required" + (why.isEmpty() ? "" : " (" + why + ")"));
    }
    return value;
  }

  private Optional<Secret> optionalSecret(String key) {
    return optionalString(key).filter(text -> !text.isEmpty()).map(Secret::of);
  }

  private Optional<Secret> requiredSecret(String key, String why) {
    return requiredString(key, why).map(Secret::of);
  }

  /**
   * A key that rotates: one secret, or a list of them newest first. A scalar (in the file or an environment override)
   * is one secret as written, never split, since a secret may hold any character; a list names each key on its own
   * line, usually as {@code ${VAR}} references. Items that resolve to nothing (an unset {@code ${OLD_KEY:-}}) are
   * skipped, so an optional previous key costs no edit of the file. Problems never quote a value.
   */
  private List<Secret> secretList(String key) {
    read(key);
    String keyPath = keyPath(key);
    Optional<String> override = context.env(envName(keyPath));
    if (override.isPresent()) {
      String text = context.resolve(keyPath, override.get());
      return text.isBlank() ? List.of() : List.of(Secret.of(text));
    }
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isValueNode()) {
      String text = context.resolve(keyPath, value.asText());
      return text.isBlank() ? List.of() : List.of(Secret.of(text));
    }
    if (!value.isArray()) {
      context.problem(keyPath + ": expected a secret or a list of secrets, found " + (value.isObject() ? "a mapping" : "something else"));
      return List.of();
    }
    List<Secret> secrets = new ArrayList<>();
    int index = 0;
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull()) {
        context.problem(keyPath + "[" + index + "]: expected a single value, found "
            + (item.isNull() ? "nothing" : item.isArray() ? "a list" : "a mapping"));
      } else {
        String text = context.resolve(keyPath + "[" + index + "]", item.asText());
        if (!text.isBlank()) {
          Secret secret = Secret.of(text);
          if (secrets.contains(secret)) {
            context.problem(keyPath + "[" + index + "]: the same key is listed twice");
          } else {
            secrets.add(secret);
          }
        }
      }
      index++;
    }
    return List.copyOf(secrets);
  }

  private int integer(String key, int defaultValue, int min, int max) {
    return optionalString(key).flatMap(text -> ScalarValues.integer(context, keyPath(key), text, min, max))
        .orElse(defaultValue);
  }

  private double decimal(String key, double defaultValue, double min, double max) {
    return optionalString(key).flatMap(text -> ScalarValues.decimal(context, keyPath(key), text, min, max))
        .orElse(defaultValue);
  }

  /** A number above 0 (at most {@code max}), or empty when the key is absent. */
  private java.util.OptionalDouble positiveDecimal(String key, double max) {
    Optional<String> text = optionalString(key);
    return text.isEmpty()
        ? java.util.OptionalDouble.empty()
        : ScalarValues.positiveDecimal(context, keyPath(key), text.get(), max);
  }

  private boolean bool(String key, boolean defaultValue) {
    return optionalString(key).flatMap(text -> ScalarValues.bool(context, keyPath(key), text)).orElse(defaultValue);
  }

  private Duration duration(String key, Duration defaultValue, Duration min) {
    return optionalString(key).flatMap(text -> ScalarValues.duration(context, keyPath(key), text, min))
        .orElse(defaultValue);
  }

  private Optional<URI> optionalHttpUrl(String key) {
    return optionalString(key).filter(value -> !value.isBlank())
        .flatMap(text -> ScalarValues.httpUrl(context, keyPath(key), text));
  }

  private Optional<URI> requiredHttpUrl(String key, String why) {
    if (!has(key)) {
      read(key);
      context.problem(keyPath(key) + ": is required" + (why.isEmpty() ? "" : " (" + why + ")"));
      return Optional.empty();
    }
    return optionalHttpUrl(key);
  }

  /** A list of strings; an environment override is a comma-separated list. */
  private List<String> stringList(String key, List<String> defaultValue) {
    read(key);
    String keyPath = keyPath(key);
    Optional<String> override = context.env(envName(keyPath));
    if (override.isPresent()) {
      return splitList(context.resolve(keyPath, override.get()));
    }
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (value.isValueNode()) {
      return splitList(context.resolve(keyPath, value.asText()));
    }
    if (!value.isArray()) {
      context.problem(keyPath + ": expected a list, found " + describe(value));
      return defaultValue;
    }
    List<String> items = new ArrayList<>();
    int index = 0;
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull()) {
        context.problem(keyPath + "[" + index + "]: expected a single value, found " + describe(item));
      } else {
        items.add(context.resolve(keyPath + "[" + index + "]", item.asText()));
      }
      index++;
    }
    return List.copyOf(items);
  }

  /**
   * A free-form map of string values (Kafka client properties, extra headers). Environment overrides:
   * {@code BRIDGE_KAFKA_PRODUCER_LINGER_MS=0} sets {@code linger.ms} under {@code kafka.producer}.
   */
  private Map<String, String> stringMap(String key, boolean envKeysAreDotted) {
    read(key);
    String keyPath = keyPath(key);
    Map<String, String> values = new LinkedHashMap<>();
    JsonNode value = node.isObject() ? node.get(key) : null;
    if (value != null && !value.isNull()) {
      if (!value.isObject()) {
        context.problem(keyPath + ": expected a mapping, found " + describe(value));
      } else {
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          flatten(keyPath, field.getKey(), field.getValue(), values);
        }
      }
    }
    if (envKeysAreDotted) {
      String prefix = envName(keyPath) + "_";
      context.envWithPrefix(prefix).forEach((name, text) -> values.put(
          name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
          context.resolve(keyPath, text)));
    }
    return Map.copyOf(values);
  }

  private void flatten(String keyPath, String key, JsonNode value, Map<String, String> into) {
    if (value.isObject()) {
      // YAML users write "linger: {ms: 5}" by accident as often as "linger.ms: 5"; accept both.
      value.fields().forEachRemaining(field -> flatten(keyPath, key + "." + field.getKey(), field.getValue(), into));
    } else if (value.isValueNode() && !value.isNull()) {
      into.put(key, context.resolve(keyPath + "." + key, value.asText()));
    } else {
      context.problem(keyPath + "." + key + ": expected a single value, found " + describe(value));
    }
  }

  private <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    return optionalString(key).flatMap(text -> ScalarValues.enumValue(context, keyPath(key), text, type))
        .orElse(defaultValue);
  }

  // Reads through a declaration: the conversion, the default, the bounds and the messages come from the option.

  String string(ConfigOption<String> option) {
    return string(leaf(option, Kind.STRING), option.defaultValue().orElseThrow(() -> noDefault(option)));
  }

  /** A string option whose default is a provider type's ({@link ProviderPreset}), not the declared one. */
  String string(ConfigOption<String> option, String presetDefault) {
    return string(leaf(option, Kind.STRING), presetDefault);
  }

  Optional<String> optionalString(ConfigOption<String> option) {
    return optionalString(leaf(option, Kind.STRING));
  }

  Optional<String> requiredString(ConfigOption<String> option, String why) {
    return requiredString(leaf(option, Kind.STRING), why);
  }

  Optional<Secret> optionalSecret(ConfigOption<Secret> option) {
    return optionalSecret(leaf(option, Kind.SECRET));
  }

  Optional<Secret> requiredSecret(ConfigOption<Secret> option, String why) {
    return requiredSecret(leaf(option, Kind.SECRET), why);
  }

  List<Secret> secretList(ConfigOption<List<Secret>> option) {
    return secretList(leaf(option, Kind.SECRET_LIST));
  }

  int integer(ConfigOption<Integer> option) {
    return integer(leaf(option, Kind.INTEGER), option.defaultValue().orElseThrow(() -> noDefault(option)),
        option.min().orElse(Integer.MIN_VALUE), option.max().orElse(Integer.MAX_VALUE));
  }

  double decimal(ConfigOption<Double> option) {
    return decimal(leaf(option, Kind.DECIMAL), option.defaultValue().orElseThrow(() -> noDefault(option)),
        option.min().orElse(-Double.MAX_VALUE), option.max().orElse(Double.MAX_VALUE));
  }

  java.util.OptionalDouble positiveDecimal(ConfigOption<Double> option) {
    return positiveDecimal(leaf(option, Kind.POSITIVE_DECIMAL), option.max().orElse(Double.MAX_VALUE));
  }

  boolean bool(ConfigOption<Boolean> option) {
    return bool(leaf(option, Kind.BOOLEAN), option.defaultValue().orElseThrow(() -> noDefault(option)));
  }

  Duration duration(ConfigOption<Duration> option) {
    return duration(option, option.defaultValue().orElseThrow(() -> noDefault(option)));
  }

  /** A duration option whose default is a provider type's ({@link ProviderPreset}), not the declared one. */
  Duration duration(ConfigOption<Duration> option, Duration presetDefault) {
    return duration(leaf(option, Kind.DURATION), presetDefault, option.min().orElse(Duration.ZERO));
  }

  /** The URL, else the declared default (if any). */
  Optional<URI> httpUrl(ConfigOption<URI> option) {
    return optionalHttpUrl(leaf(option, Kind.HTTP_URL)).or(option::defaultValue);
  }

  /** The URL as written, without falling back to a default. */
  Optional<URI> optionalHttpUrl(ConfigOption<URI> option) {
    return optionalHttpUrl(leaf(option, Kind.HTTP_URL));
  }

  Optional<URI> requiredHttpUrl(ConfigOption<URI> option, String why) {
    return requiredHttpUrl(leaf(option, Kind.HTTP_URL), why);
  }

  List<String> stringList(ConfigOption<List<String>> option) {
    return stringList(option, option.defaultValue().orElseThrow(() -> noDefault(option)));
  }

  /** A list option whose default is a provider type's ({@link ProviderPreset}), not the declared one. */
  List<String> stringList(ConfigOption<List<String>> option, List<String> presetDefault) {
    return stringList(leaf(option, Kind.STRING_LIST), presetDefault);
  }

  Map<String, String> stringMap(ConfigOption<Map<String, String>> option) {
    String key = leaf(option, Kind.STRING_MAP, Kind.PROPERTIES);
    return stringMap(key, option.kind() == Kind.PROPERTIES);
  }

  <E extends Enum<E>> E enumValue(ConfigOption<E> option) {
    return enumValue(option, option.defaultValue().orElse(null));
  }

  /** A required enum option: one problem when it is absent or blank, another when it names no constant. */
  @SuppressWarnings("unchecked")
  <E extends Enum<E>> Optional<E> requiredEnum(ConfigOption<E> option, String why) {
    String key = leaf(option, Kind.ENUM);
    if (requiredString(key, why).isEmpty()) {
      return Optional.empty();
    }
    Class<E> type = (Class<E>) option.enumType().orElseThrow(() -> new IllegalStateException(option.key()
        + " is declared without its constants"));
    return Optional.ofNullable(enumValue(key, type, null));
  }

  /** An enum option with a provider type's default; {@code null} when there is none and the key is absent. */
  @SuppressWarnings("unchecked")
  <E extends Enum<E>> E enumValue(ConfigOption<E> option, E presetDefault) {
    Class<E> type = (Class<E>) option.enumType().orElseThrow(() -> new IllegalStateException(option.key()
        + " is declared without its constants"));
    return enumValue(leaf(option, Kind.ENUM), type, presetDefault);
  }

  /** A JSON pointer option; empty when it is "not used" (the empty string) or not a pointer (reported). */
  Optional<String> pointer(ConfigOption<String> option) {
    return pointer(option, option.defaultValue().orElse(""));
  }

  /** A JSON pointer option whose default is a provider type's ({@link ProviderPreset}). */
  Optional<String> pointer(ConfigOption<String> option, String presetDefault) {
    String key = leaf(option, Kind.POINTER);
    String value = string(key, presetDefault);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.startsWith("/")) {
      problem(key, "'" + value + "' is not a JSON pointer (it starts with '/', e.g. /_links/notification/href)");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** Reads a retired option so that it is not an unknown key; whether it was set (the caller warns). */
  boolean retired(ConfigOption<String> option) {
    String key = leaf(option, Kind.RETIRED);
    if (!has(key)) {
      return false;
    }
    optionalString(key);
    return true;
  }

  /**
   * Marks a key as known where it is present but misplaced, so that its one problem is not also "unknown key". Read as
   * a list, whatever its kind, so that a reference to an unset variable is still reported.
   */
  void known(ConfigOption<?> option) {
    stringList(leaf(option, option.kind()), List.of());
  }

  boolean has(ConfigOption<?> option) {
    return has(leaf(option, option.kind()));
  }

  void problem(ConfigOption<?> option, String message) {
    problem(leaf(option, option.kind()), message);
  }

  /**
   * The key of {@code option} in this node. Reading an option at a node it does not belong to, or as another kind
   * than declared, is a mistake of the code, not of the file: it fails at once.
   */
  private String leaf(ConfigOption<?> option, Kind... kinds) {
    String keyPath = keyPath(option.name());
    if (!option.matches(keyPath)) {
      throw new IllegalStateException("option " + option.key() + " read at " + keyPath);
    }
    if (!java.util.Arrays.asList(kinds).contains(option.kind())) {
      throw new IllegalStateException("option " + option.key() + " is declared " + option.kind() + ", read as "
          + java.util.Arrays.toString(kinds));
    }
    return option.name();
  }

  private static IllegalStateException noDefault(ConfigOption<?> option) {
    return new IllegalStateException("option " + option.key() + " has no default; read it as optional or required");
  }

  /** Whether a problem was already reported for this key or one of its list items. */
  boolean hasProblemAt(String key) {
    return context.hasProblem(keyPath(key)) || context.hasProblemUnder(keyPath(key) + "[");
  }

  void problem(String key, String message) {
    context.problem(keyPath(key) + ": " + message);
  }

  /** Marks a key as known here. */
  private void read(String key) {
    readKeys.add(key);
  }

  /** Names every key in the file that no reader asked for: almost always a typo. */
  void rejectUnknownKeys() {
    for (String key : keys()) {
      if (!readKeys.contains(key)) {
        context.problem(keyPath(key) + ": unknown key" + KeySuggestion.among(key, readKeys));
      }
    }
  }

  private String pathOrRoot() {
    return path.isEmpty() ? "(top level)" : path;
  }

  /** {@code providers.acquia.clientSecret} becomes {@code BRIDGE_PROVIDERS_ACQUIA_CLIENT_SECRET}. */
  static String envName(String keyPath) {
    StringBuilder name = new StringBuilder("BRIDGE_");
    char previous = '_';
    for (char c : keyPath.toCharArray()) {
      if (c == '.' || c == '-' || c == '[' || c == ']') {
        c = '_';
      } else if (Character.isUpperCase(c) && Character.isLowerCase(previous)) {
        name.append('_');
      }
      if (c == '_' && name.charAt(name.length() - 1) == '_') {
        previous = c;
        continue;
      }
      name.append(Character.toUpperCase(c));
      previous = c;
    }
    return name.toString();
  }

  private static List<String> splitList(String text) {
    List<String> items = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        items.add(part.trim());
      }
    }
    return List.copyOf(items);
  }

  static String describe(JsonNode value) {
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isNull()) {
      return "nothing";
    }
    return "'" + value.asText() + "'";
  }
}
