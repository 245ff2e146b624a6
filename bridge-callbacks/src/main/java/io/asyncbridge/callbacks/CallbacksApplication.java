package io.asyncbridge.callbacks;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ConfigException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Runs the callbacks service alone: {@code --config bridge.yaml} (default), {@code --state-dir <dir>} (default
 * {@code BRIDGE_STATE_DIR} or {@code ./state}); environment variables override the file. Exits 2 on a bad
 * configuration, 1 when the service cannot start.
 */
public final class CallbacksApplication {

  private CallbacksApplication() {
  }

  /** Command-line options. */
  record Options(Path config, Path stateDir) {

    static Options parse(String[] args, Map<String, String> env) {
      Path config = Path.of("bridge.yaml");
      Path stateDir = Path.of(env.getOrDefault("BRIDGE_STATE_DIR", "state"));
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if ((arg.equals("--config") || arg.equals("--state-dir")) && i + 1 < args.length) {
          Path value = Path.of(args[++i]);
          if (arg.equals("--config")) {
            config = value;
          } else {
            stateDir = value;
          }
        } else if (arg.startsWith("--config=")) {
          config = Path.of(arg.substring("--config=".length()));
        } else if (arg.startsWith("--state-dir=")) {
          stateDir = Path.of(arg.substring("--state-dir=".length()));
        } else {
          throw new IllegalArgumentException("unknown argument '" + arg + "'; usage: [--config bridge.yaml]"
              + " [--state-dir <dir>]");
        }
      }
      return new Options(config, stateDir.resolve(CallbacksService.NAME));
    }
  }

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    Options options;
    BridgeConfig config;
    try {
      options = Options.parse(args, env);
      config = new BridgeConfigLoader(env).load(options.config());
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    CallbacksService service = new CallbacksService(config, options.stateDir(), vertx, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }, "callbacks-shutdown"));
    try {
      service.start();
    } catch (RuntimeException e) {
      System.err.println("callbacks: cannot start: " + e.getMessage());
      System.exit(1);
    }
  }
}
