package io.asyncbridge.launcher.run;

import io.asyncbridge.callbacks.CallbacksService;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.service.BridgeService;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.ingest.IngestService;
import io.asyncbridge.poller.PollerService;
import io.asyncbridge.schemas.task.TaskMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The bridge's services by name, and which of them a configuration needs. */
public final class ServiceCatalog {

    private static final Map<String, Function<ServiceContext, BridgeService>> SERVICES = Collections.unmodifiableMap(
            new LinkedHashMap<>(Map.of(
                    "ingest", IngestService::new,
                    "poller", PollerService::new,
                    "callbacks", CallbacksService::new)));

    private static final List<String> ORDER = List.of("ingest", "poller", "callbacks");

    private ServiceCatalog() {
    }

    public static List<String> names() {
        return ORDER;
    }

    /** Ingest always; the poller when a provider polls; the callbacks service when a provider calls back. */
    public static List<String> neededBy(BridgeConfig config) {
        List<String> needed = new ArrayList<>(List.of("ingest"));
        if (config.hasMode(TaskMode.POLL)) {
            needed.add("poller");
        }
        if (config.hasMode(TaskMode.CALLBACK)) {
            needed.add("callbacks");
        }
        return needed;
    }

    /** Builds the named services, in start order (the callbacks service before ingest hands it tasks is fine too). */
    public static Function<ServiceContext, List<BridgeService>> factory(List<String> names) {
        for (String name : names) {
            if (!SERVICES.containsKey(name)) {
                throw new IllegalArgumentException("unknown service '" + name + "'; services are " + names());
            }
        }
        return context -> names.stream().map(name -> SERVICES.get(name).apply(context)).toList();
    }
}
