package io.asyncbridge.poller;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the poller alone: {@code --config bridge.yaml [--state-dir dir]}. */
public final class PollerApplication {

  static final Path DEFAULT_STATE_DIR = Path.of("bridge-data", "poller");

  private PollerApplication() {
  }

  public static void main(String[] args) {
    int status = run(args, System.getenv());
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Starts the poller and returns 0, or returns the exit status of a start-up failure (2 for bad usage/config). */
  static int run(String[] args, Map<String, String> env) {
    Path configFile = Path.of("bridge.yaml");
    Path stateDir = DEFAULT_STATE_DIR;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("--config") || arg.equals("--state-dir")) && i + 1 < args.length) {
        Path value = Path.of(args[++i]);
        if (arg.equals("--config")) {
          configFile = value;
        } else {
          stateDir = value;
        }
      } else {
        System.err.println("usage: poller [--config bridge.yaml] [--state-dir bridge-data/poller]");
        return 2;
      }
    }
    BridgeConfig config;
    try {
      config = new BridgeConfigLoader(env).load(configFile);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    PollerService service = new PollerService(config, stateDir, vertx, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // shutting down anyway; nothing left to protect
      }
    }, "poller-shutdown"));
    try {
      service.start();
    } catch (RuntimeException e) {
      System.err.println("poller could not start: " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
