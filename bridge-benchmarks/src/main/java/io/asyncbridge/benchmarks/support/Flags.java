package io.asyncbridge.benchmarks.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} or {@code --name=value} options; unknown names are refused so a typo is not silently ignored. */
public final class Flags {

  private final Map<String, String> values = new HashMap<>();
  private final List<String> known = new ArrayList<>();

  public Flags(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, found '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        values.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        values.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
    }
  }

  public int integer(String name, int defaultValue) {
    known.add(name);
    String value = values.get(name);
    return value == null ? defaultValue : Integer.parseInt(value.replace("_", "").replace(",", ""));
  }

  public double decimal(String name, double defaultValue) {
    known.add(name);
    String value = values.get(name);
    return value == null ? defaultValue : Double.parseDouble(value);
  }

  public String string(String name, String defaultValue) {
    known.add(name);
    return values.getOrDefault(name, defaultValue);
  }

  public List<Integer> integers(String name, String defaultValue) {
    List<Integer> result = new ArrayList<>();
    for (String part : string(name, defaultValue).split(",")) {
      if (!part.isBlank()) {
        result.add(Integer.parseInt(part.trim().replace("_", "")));
      }
    }
    return result;
  }

  /** Call after reading every option: fails on names nobody asked for. */
  public void rejectUnknown() {
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
      }
    }
  }
}
