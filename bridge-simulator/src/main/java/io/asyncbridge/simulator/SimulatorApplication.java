package io.asyncbridge.simulator;

import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.lro.LroApis;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the upstream simulator standalone ({@code bridge simulate}, the docker-compose service) and prints the
 * URLs and credentials a client needs.
 */
public final class SimulatorApplication {

    private SimulatorApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println("Usage: SimulatorApplication [options]\n" + SimulatorCommandLine.usage());
            return;
        }
        SimulatorConfig config;
        UpstreamSimulator simulator;
        try {
            config = SimulatorCommandLine.parse(List.of(args), System.getenv());
            simulator = UpstreamSimulator.start(config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.err.println(SimulatorCommandLine.usage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        System.out.println(banner(simulator));
        stopped.await();
    }

    /** The text printed on start-up; the credentials are the simulator's fakes, printing them is the point. */
    static String banner(UpstreamSimulator simulator) {
        SimulatorConfig config = simulator.config();
        String pub = simulator.publicBaseUrl();
        return String.join(System.lineSeparator(),
                "Upstream simulator listening on " + simulator.baseUrl() + " (links use " + pub + ")",
                "  Acquia base URL      " + pub + "/api",
                "  Acquia token URL     " + pub + "/api/auth/oauth/token",
                "  Acquia client id     " + config.acquiaClientId(),
                "  Acquia client secret " + config.acquiaClientSecret(),
                "  Elements base URL    " + pub + "/elements/api-v2",
                "  Elements auth header Authorization: " + config.elementsAuthorization(),
                "  Elements signature   " + (config.elementsSignatureKey() == null ? "(unsigned)" : "key " + config.elementsSignatureKey()),
                "  http-lro base URL    " + pub + LroApis.HTTP_LRO_PATH,
                "  http-lro auth header Authorization: " + LroApis.HTTP_LRO_AUTHORIZATION,
                "  google-lro base URL  " + pub + LroApis.GOOGLE_LRO_PATH,
                "  google-lro auth      " + LroApis.GOOGLE_API_KEY_HEADER + ": " + LroApis.GOOGLE_API_KEY,
                "  Scenario header      X-Simulator-Scenario (e.g. success, fail, poll429=2, duplicate=3)",
                "  Health               " + pub + "/health");
    }
}
