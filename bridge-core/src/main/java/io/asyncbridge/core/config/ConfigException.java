package io.asyncbridge.core.config;

import java.util.List;

/** Thrown when a configuration cannot be used; carries every problem found, each with its key path. */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(render(source, problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String render(String source, List<String> problems) {
    StringBuilder text = new StringBuilder()
        .append("invalid configuration ").append(source).append(" (")
        .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  - ").append(problem);
    }
    return text.toString();
  }
}
