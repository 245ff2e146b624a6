package io.asyncbridge.core.config;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The catalogue of configuration keys, taken from the declarations ({@link ServiceOptions}, {@link ProviderOptions}):
 * {@code providers.<name>.poll.maxInterval} stands for the key of every provider. {@link ConfigNode} refuses to read an
 * option it does not find declared for the key path it reads, so the loader cannot read a key that is not here. The
 * README's configuration table is checked against this list.
 */
public final class ConfigKeys {

  private ConfigKeys() {
  }

  /** Every declared option, service options first. */
  public static List<ConfigOption<?>> options() {
    return Stream.concat(ServiceOptions.ALL.stream(), ProviderOptions.ALL.stream()).toList();
  }

  /** Every declared key path, sorted; maps of free-form keys (Kafka properties, headers) appear once. */
  public static SortedSet<String> known() {
    SortedSet<String> keys = new TreeSet<>();
    options().forEach(option -> keys.add(option.key()));
    return keys;
  }
}
