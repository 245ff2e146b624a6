package io.asyncbridge.callbacks;

import io.asyncbridge.core.service.ServiceLauncher;
import java.util.List;

/** Runs bridge-callbacks alone: {@code [--config bridge.yaml] [--state-dir bridge-data]}; see {@link ServiceLauncher}. */
public final class CallbacksApplication {

  private CallbacksApplication() {
  }

  public static void main(String[] args) {
    System.exit(ServiceLauncher.run(args, context -> List.of(new CallbacksService(context))));
  }
}
