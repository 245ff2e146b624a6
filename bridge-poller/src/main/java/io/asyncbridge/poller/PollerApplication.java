package io.asyncbridge.poller;

import io.asyncbridge.core.service.ServiceLauncher;
import java.util.List;

/** Runs bridge-poller alone: {@code [--config bridge.yaml] [--state-dir bridge-data]}; see {@link ServiceLauncher}. */
public final class PollerApplication {

  private PollerApplication() {
  }

  public static void main(String[] args) {
    System.exit(ServiceLauncher.run(args, context -> List.of(new PollerService(context))));
  }
}
