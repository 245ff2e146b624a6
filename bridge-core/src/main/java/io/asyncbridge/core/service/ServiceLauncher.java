package io.asyncbridge.core.service;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a service process starts and ends: reads {@code --config} and {@code --state-dir}, loads and
 * validates the configuration (a bad one prints every problem and exits 2), starts the services, and stops them in
 * reverse order on SIGTERM / Ctrl-C. Used by each service's own main and by {@code bridge run}.
 */
public final class ServiceLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  /** Exit codes of a service process. */
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  private ServiceLauncher() {
  }

  /**
   * The arguments of a service main: {@code [--config FILE] [--state-dir DIR]} (also {@code --opt=value}); without
   * them, {@code BRIDGE_CONFIG} and {@code BRIDGE_STATE_DIR}, then {@code bridge.yaml} and {@code bridge-data}.
   */
  public record Arguments(Path config, Path stateDir) {

    static final String USAGE = "usage: [--config bridge.yaml] [--state-dir bridge-data]"
        + " (or BRIDGE_CONFIG, BRIDGE_STATE_DIR)";

    public static Arguments parse(String[] args, Map<String, String> env) {
      Path config = Path.of(env.getOrDefault("BRIDGE_CONFIG", "bridge.yaml"));
      Path stateDir = Path.of(env.getOrDefault("BRIDGE_STATE_DIR", "bridge-data"));
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
        switch (name) {
          case "--config", "-c" -> config = Path.of(inline != null ? inline : value(args, ++i, name));
          case "--state-dir" -> stateDir = Path.of(inline != null ? inline : value(args, ++i, name));
          case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
          default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
        }
      }
      return new Arguments(config, stateDir);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value; " + USAGE);
      }
      return args[index];
    }
  }

  /** Runs one service until the process is told to stop; returns the exit code. */
  public static int run(String[] args, Function<ServiceContext, List<BridgeService>> services) {
    return run(args, System.getenv(), services);
  }

  /** As {@link #run(String[], Function)}, with the environment as a parameter (tests inject it). */
  public static int run(String[] args, Map<String, String> env, Function<ServiceContext, List<BridgeService>> services) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args, env);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return EXIT_USAGE;
    }
    BridgeConfig config;
    try {
      config = new BridgeConfigLoader(env).load(arguments.config());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return EXIT_USAGE;
    }
    return runUntilStopped(new ServiceContext(config, arguments.stateDir(), Vertx.vertx(), Clock.systemUTC()), services,
        arguments.config(), env);
  }

  /**
   * As {@link #runUntilStopped(ServiceContext, Function)}, and re-reads {@code configFile} when it changes or on
   * SIGHUP, handing new upstream credentials to the running services (see {@link ConfigReloader}).
   */
  public static int runUntilStopped(ServiceContext context, Function<ServiceContext, List<BridgeService>> factory,
      Path configFile, Map<String, String> env) {
    try (ConfigReloader reloader = new ConfigReloader(configFile, env, context.config(), context.credentials())) {
      reloader.start(ConfigReloader.DEFAULT_CHECK_INTERVAL);
      return runUntilStopped(context, factory);
    }
  }

  /**
   * Starts the management endpoint and the services, and blocks until SIGTERM / Ctrl-C, then stops them in reverse
   * order.
   */
  public static int runUntilStopped(ServiceContext context, Function<ServiceContext, List<BridgeService>> factory) {
    RunningServices running = new RunningServices(context, factory.apply(context));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "bridge-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      running.start();
    } catch (RuntimeException e) {
      LOG.error("cannot start: {}", e.getMessage(), e);
      System.err.println("bridge: cannot start: " + e.getMessage());
      return EXIT_FAILURE; // the shutdown hook stops whatever did start
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return EXIT_OK;
  }

  /**
   * Starts the management endpoint and the services, and returns them running (for the demo and tests); close the
   * result to stop them. A failure to start stops what did start and is rethrown.
   */
  public static RunningServices start(ServiceContext context, Function<ServiceContext, List<BridgeService>> factory) {
    RunningServices running = new RunningServices(context, factory.apply(context));
    try {
      running.start();
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
    return running;
  }

  /** Stops services in reverse start order, each within its own bounded time, then Vert.x. */
  public static void stopAll(List<BridgeService> started, ServiceContext context) {
    List<BridgeService> toStop;
    synchronized (started) {
      toStop = new ArrayList<>(started);
      started.clear();
    }
    for (int i = toStop.size() - 1; i >= 0; i--) {
      BridgeService service = toStop.get(i);
      try {
        LOG.info("stopping {}", service.name());
        service.close();
      } catch (RuntimeException e) {
        LOG.warn("{} did not stop cleanly: {}", service.name(), e.getMessage());
      }
    }
    try {
      context.vertx().close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close within 10 s: {}", e.getMessage());
    }
  }
}
