package io.asyncbridge.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every {@link ConfigNode} of one load shares: the environment and the list of problems found so far. */
final class ConfigContext {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  ConfigContext(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Optional<String> env(String name) {
    return Optional.ofNullable(env.get(name));
  }

  Map<String, String> envWithPrefix(String prefix) {
    Map<String, String> matching = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        matching.put(name, value);
      }
    });
    return matching;
  }

  /**
   * Replaces {@code ${NAME}} and {@code ${NAME:-default}} with the environment's value. A missing variable
   * without a default is a problem of the key that refers to it (the value itself is never echoed: it may be
   * the place a secret was meant to go).
   */
  String resolve(String keyPath, String text) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = env.get(name);
      if (value == null) {
        value = matcher.group(2);
      }
      if (value == null) {
        problem(keyPath + ": environment variable " + name + " is not set");
        value = "";
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  void problem(String message) {
    problems.add(message);
  }

  /** Whether a problem was already reported for this key, so that one mistake is reported once. */
  boolean hasProblem(String keyPath) {
    return problems.stream().anyMatch(problem -> problem.startsWith(keyPath + ":"));
  }

  boolean hasProblemUnder(String prefix) {
    return problems.stream().anyMatch(problem -> problem.startsWith(prefix));
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
