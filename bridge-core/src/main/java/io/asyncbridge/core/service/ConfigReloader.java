package io.asyncbridge.core.service;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.UpstreamAuth;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file when it changes (checked every few seconds) or on SIGHUP, and hands the upstream
 * credentials it holds (OAuth2 client secrets, Authorization headers) to the running services, without a restart.
 * A file that fails validation is refused whole: the running configuration stays, and every problem is logged (the
 * loader's messages never quote a secret). Other changes are logged as waiting for the next restart.
 */
public final class ConfigReloader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(2);

  /** What one reload did. */
  public record Outcome(boolean accepted, List<String> credentialsChanged, List<String> needRestart,
      List<String> problems) {
  }

  private final Path file;
  private final Map<String, String> env;
  private final UpstreamCredentials credentials;
  private BridgeConfig running;
  private byte[] lastDigest;
  private ScheduledExecutorService watcher;
  private sun.misc.SignalHandler previousHupHandler;
  private boolean hupIgnored;

  public ConfigReloader(Path file, Map<String, String> env, BridgeConfig running, UpstreamCredentials credentials) {
    this.file = file;
    this.env = env;
    this.running = running;
    this.credentials = credentials;
    this.lastDigest = digest().orElse(null);
  }

  /** Watches the file and SIGHUP. */
  public synchronized void start(Duration checkInterval) {
    watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "bridge-config-reload");
      thread.setDaemon(true);
      return thread;
    });
    watcher.scheduleWithFixedDelay(this::checkFile, checkInterval.toMillis(), checkInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      ScheduledExecutorService executor = watcher;
      // On the watcher's thread: a signal handler must not block, and reloads stay one at a time.
      previousHupHandler = sun.misc.Signal.handle(new sun.misc.Signal("HUP"),
          signal -> executor.execute(() -> reload("SIGHUP")));
      if (previousHupHandler == sun.misc.SignalHandler.SIG_IGN) {
        // The JVM leaves a signal its parent ignored (nohup, some supervisors) ignored, and installs nothing.
        LOG.warn("SIGHUP is ignored by this process (started under nohup or by a supervisor that ignores it), so it "
            + "cannot reload the configuration; a change of the file still does");
        hupIgnored = true;
      }
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warn("SIGHUP cannot be handled in this JVM ({}); the configuration file is still watched", e.getMessage());
    }
  }

  /** Whether SIGHUP reloads: false when the process inherited SIGHUP ignored, or the JVM does not let it be handled. */
  public synchronized boolean reloadsOnSighup() {
    return previousHupHandler != null && !hupIgnored;
  }

  private void checkFile() {
    try {
      java.util.Optional<byte[]> now = digest();
      boolean changed;
      synchronized (this) {
        changed = now.isPresent() && !Arrays.equals(now.get(), lastDigest);
      }
      if (changed) {
        reload("file changed");
      }
    } catch (RuntimeException e) {
      LOG.warn("configuration reload failed: {}", e.getMessage(), e);
    }
  }

  /** Reads the file now and applies what it may; {@code trigger} says why, for the log. */
  public synchronized Outcome reload(String trigger) {
    lastDigest = digest().orElse(lastDigest);
    BridgeConfig candidate;
    try {
      candidate = new BridgeConfigLoader(env).load(file);
    } catch (ConfigException e) {
      LOG.warn("configuration reload ({}) refused, the running configuration stays: {}", trigger, e.getMessage());
      return new Outcome(false, List.of(), List.of(), e.problems());
    }
    List<String> needRestart = differencesBesidesCredentials(running, candidate);
    List<String> changed = credentials.apply(candidate);
    running = candidate;
    if (changed.isEmpty()) {
      LOG.info("configuration reloaded ({}): no upstream credentials changed", trigger);
    } else {
      LOG.info("configuration reloaded ({}): new upstream credentials for {}", trigger, changed);
    }
    if (!needRestart.isEmpty()) {
      LOG.warn("configuration reload ({}): changes to {} take effect at the next restart; only upstream credentials"
          + " are reloaded", trigger, needRestart);
    }
    return new Outcome(true, changed, needRestart, List.of());
  }

  /** The sections that changed in something other than a provider's credentials, by key path. */
  static List<String> differencesBesidesCredentials(BridgeConfig before, BridgeConfig after) {
    List<String> sections = new ArrayList<>();
    if (!before.kafka().equals(after.kafka())) {
      sections.add("kafka");
    }
    if (!before.topics().equals(after.topics())) {
      sections.add("topics");
    }
    if (!before.callbacks().equals(after.callbacks())) {
      sections.add("callbacks");
    }
    if (!before.management().equals(after.management())) {
      sections.add("management");
    }
    for (String name : new TreeSet<>(union(before.providers().keySet(), after.providers().keySet()))) {
      ProviderConfig was = before.providers().get(name);
      ProviderConfig is = after.providers().get(name);
      if (was == null || is == null || !Objects.equals(withoutCredentials(was), withoutCredentials(is))) {
        sections.add("providers." + name);
      }
    }
    return sections;
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Every component but the credentials, read generically so that a field added to the record is compared too. */
  private static List<Object> withoutCredentials(ProviderConfig provider) {
    List<Object> values = new ArrayList<>();
    for (java.lang.reflect.RecordComponent component : ProviderConfig.class.getRecordComponents()) {
      try {
        Object value = component.getAccessor().invoke(provider);
        values.add(value instanceof UpstreamAuth auth ? withoutSecret(auth) : value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read ProviderConfig." + component.getName(), e);
      }
    }
    return values;
  }

  /**
   * What of the credentials is not reloaded: their kind, and a fixed header's name (ingest refuses requests that set
   * it). Token URL, client id, scope, secrets and header values are.
   */
  private static Object withoutSecret(UpstreamAuth auth) {
    if (auth instanceof UpstreamAuth.StaticHeader header) {
      return List.of("header", header.header().toLowerCase(java.util.Locale.ROOT));
    }
    return auth.getClass().getSimpleName();
  }

  private java.util.Optional<byte[]> digest() {
    try {
      return java.util.Optional.of(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      return java.util.Optional.empty(); // mid-replace, or gone: the next check sees the new file
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public synchronized void close() {
    if (previousHupHandler != null) {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), previousHupHandler);
      previousHupHandler = null;
    }
    if (watcher != null) {
      watcher.shutdownNow();
      watcher = null;
    }
  }
}
