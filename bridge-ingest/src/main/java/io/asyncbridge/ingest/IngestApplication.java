package io.asyncbridge.ingest;

import io.asyncbridge.core.service.ServiceLauncher;
import java.util.List;

/** Runs bridge-ingest alone: {@code java -cp bridge.jar io.asyncbridge.ingest.IngestApplication --config bridge.yaml}. */
public final class IngestApplication {

  private IngestApplication() {
  }

  public static void main(String[] args) {
    System.exit(ServiceLauncher.run(args, context -> List.of(new IngestService(context))));
  }
}
