package io.asyncbridge.core.status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The status sources of one process and the address other instances reach its management endpoint at. The
 * management endpoint starts first and {@link #advertise advertises} its address; each service then starts its
 * Kafka Streams application with that address as {@code application.server} and registers its source.
 */
public final class TaskStatusRegistry {

  private final List<TaskStatusSource> sources = new CopyOnWriteArrayList<>();
  private volatile String advertised;

  /** Sets this process's {@code host:port} for the status API (once the management endpoint listens). */
  public void advertise(String hostAndPort) {
    this.advertised = hostAndPort;
  }

  /** This process's {@code host:port}, when the management endpoint listens. */
  public Optional<String> advertised() {
    return Optional.ofNullable(advertised);
  }

  /** The Streams properties with {@code application.server} set, when an address is advertised. */
  public Map<String, Object> withApplicationServer(Map<String, Object> streamsProperties) {
    Map<String, Object> props = new HashMap<>(streamsProperties);
    advertised().ifPresent(address -> props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, address));
    return props;
  }

  public void register(TaskStatusSource source) {
    sources.removeIf(existing -> existing.service().equals(source.service()));
    sources.add(source);
  }

  public void unregister(TaskStatusSource source) {
    sources.remove(source);
  }

  public Optional<TaskStatusSource> source(String service) {
    return sources.stream().filter(source -> source.service().equals(service)).findFirst();
  }

  public List<TaskStatusSource> sources() {
    return List.copyOf(sources);
  }
}
