package io.asyncbridge.launcher.testing;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.service.BridgeService;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.ServiceLauncher;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's services started in the test's JVM, each with its own Vert.x, as {@code bridge run} builds them
 * (without the management endpoint). Closing stops them in reverse order, then their Vert.x; closing twice is
 * harmless.
 */
public final class InProcessBridge implements AutoCloseable {

  private final ServiceContext context;
  private final List<BridgeService> services = new ArrayList<>();

  private InProcessBridge(ServiceContext context) {
    this.context = context;
  }

  /** Every service, its state under {@code stateDir}. */
  public static InProcessBridge start(BridgeConfig config, Path stateDir) {
    return start(config, stateDir, ServiceCatalog.names());
  }

  /** The named services, in this order; a failure to start stops those that did and is rethrown. */
  public static InProcessBridge start(BridgeConfig config, Path stateDir, List<String> names) {
    InProcessBridge bridge = new InProcessBridge(new ServiceContext(config, stateDir, Vertx.vertx(), Clock.systemUTC()));
    try {
      for (BridgeService service : ServiceCatalog.factory(names).apply(bridge.context)) {
        service.start();
        bridge.services.add(service);
      }
    } catch (RuntimeException failure) {
      bridge.close();
      throw failure;
    }
    return bridge;
  }

  public ServiceContext context() {
    return context;
  }

  /** The services that started, in start order. */
  public List<BridgeService> services() {
    return List.copyOf(services);
  }

  @Override
  public void close() {
    ServiceLauncher.stopAll(services, context);
  }
}
