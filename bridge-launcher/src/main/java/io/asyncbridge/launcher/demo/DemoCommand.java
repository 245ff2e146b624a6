package io.asyncbridge.launcher.demo;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.service.RunningServices;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.launcher.cluster.DefaultTopics;
import io.asyncbridge.launcher.console.TaskEvents;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.topic.TopicNames;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.lro.LroApis;
import io.asyncbridge.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bridge demo}: the whole product on its embedded default. An embedded Kafka broker, the simulator of both
 * seed APIs and all three services run in this process tree; sample tasks of both kinds are submitted and shown
 * live until each has its one completion; then a summary and the topics to look at.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole bridge locally on sample tasks, shows them live and exits.",
            "Starts an embedded Kafka broker, the upstream simulator and ingest, poller and callbacks; submits",
            "sample tasks of both kinds (succeeding, failing, timing out, rejected); prints a summary.",
            "Ctrl-C stops everything cleanly at any point."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every sample task ended as expected", "1:a task ended otherwise, or something failed to start"})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT90S",
            description = "Give up when the sample tasks are not all complete after this long. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--verbose", description = "Show the services' logs (normally only warnings).")
    private boolean verbose;

    @Option(names = "--keep-running", description = "After the sample tasks, keep everything running (the web view,"
            + " bridge status, bridge submit) until Ctrl-C.")
    private boolean keepRunning;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Instant begin = Instant.now();
        Thread cleanup = new Thread(this::stopEverything, "bridge-demo-stop");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            out.println("Async Bridge demo: starting an embedded Kafka broker, the upstream simulator and the bridge...");
            out.flush();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).build();
            resources.add(broker);
            broker.start();
            broker.createTopics(DefaultTopics.withPartitions(TopicNames.defaults(), 3));
            out.printf("  kafka      %s (single-node KRaft, child JVM)%n", broker.bootstrapServers());

            UpstreamSimulator simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0)
                    .taskDuration(Duration.ofSeconds(3)).webhookDelay(Duration.ofMillis(1500)).build());
            resources.add(simulator);
            out.printf("  simulator  %s (Acquia at /api, Cloud Elements at /elements/api-v2)%n", simulator.baseUrl());

            Path work = Files.createTempDirectory("bridge-demo-");
            resources.add(() -> deleteQuietly(work));
            int callbackPort = freePort();
            Path configFile = work.resolve("bridge.yaml");
            Files.writeString(configFile, config(broker.bootstrapServers(), simulator, callbackPort), StandardCharsets.UTF_8);
            BridgeConfig config = new BridgeConfigLoader(Map.of()).load(configFile);
            ServiceContext context = new ServiceContext(config, work.resolve("state"), Vertx.vertx(), Clock.systemUTC());
            RunningServices services = new RunningServices(context,
                    ServiceCatalog.factory(ServiceCatalog.names()).apply(context));
            resources.add(services); // Ctrl-C while they start stops what did start
            services.start();
            out.printf("  bridge     ingest, poller, callbacks (webhooks on http://127.0.0.1:%d, metrics on"
                    + " http://127.0.0.1:%d/metrics); config %s%n", callbackPort, services.managementPort(), configFile);
            out.printf("  web view   http://127.0.0.1:%1$d/ui/  (task status: bridge status <taskId> --url"
                    + " http://127.0.0.1:%1$d)%n", services.managementPort());
            out.printf("  ready in %.1f s%n%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);

            List<DemoTask> tasks = DemoTask.samples("demo" + Long.toString(System.currentTimeMillis() % 100_000, 36));
            DemoBoard board = new DemoBoard(tasks, out, System.console() != null);
            try (TaskEvents events = new TaskEvents(broker.bootstrapServers(), config.topics(), true, false)) {
                submit(broker.bootstrapServers(), config.topics().requests(), tasks);
                out.printf("Submitted %d tasks to %s; following %s and %s:%n", tasks.size(), config.topics().requests(),
                        config.topics().progress(), config.topics().completions());
                board.drawAll();
                Instant giveUp = Instant.now().plus(timeout);
                while (!board.allDone() && Instant.now().isBefore(giveUp)) {
                    events.poll(Duration.ofMillis(200), new TaskEvents.Listener() {
                        @Override
                        public void progress(ProgressEvent event) {
                            board.progress(event);
                        }

                        @Override
                        public void completed(Completion completion, String rawJson) {
                            board.completed(completion);
                        }
                    });
                }
            }
            board.summary();
            out.println();
            out.println("Topics to look at (bridge tail --bootstrap-server " + broker.bootstrapServers()
                    + " --from-beginning --json, while a demo runs):");
            out.printf("  %-22s task requests (key = taskId)%n", config.topics().requests());
            out.printf("  %-22s exactly one completion per task, CloudEvents headers%n", config.topics().completions());
            out.printf("  %-22s progress updates%n", config.topics().progress());
            out.printf("  %-22s requests that could not be processed, with the reason in headers%n",
                    config.topics().deadLetter());
            List<String> unexpected = board.unexpected();
            out.printf("%nDone in %.1f s.%s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0,
                    unexpected.isEmpty() ? " Every task ended as expected." : " Unexpected: " + unexpected);
            out.flush();
            if (keepRunning) {
                out.printf("Still running: the web view is on http://127.0.0.1:%d/ui/, Kafka on %s. Ctrl-C stops.%n",
                        services.managementPort(), broker.bootstrapServers());
                out.flush();
                new java.util.concurrent.CountDownLatch(1).await(); // until Ctrl-C: the shutdown hook stops everything
            }
            return unexpected.isEmpty() ? 0 : 1;
        } finally {
            stopEverything();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is already running and stops everything
            }
        }
    }

    private static void submit(String bootstrap, String topic, List<DemoTask> tasks) throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (DemoTask task : tasks) {
                producer.send(new ProducerRecord<>(topic, task.taskId(), task.requestJson().getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    static String config(String bootstrap, UpstreamSimulator simulator, int callbackPort) {
        SimulatorConfig sim = simulator.config();
        return """
                kafka:
                  bootstrapServers: %s
                callbacks:
                  host: 127.0.0.1
                  port: %d
                  publicBaseUrl: http://127.0.0.1:%d
                management:
                  host: 127.0.0.1
                  port: 0
                providers:
                  acquia:
                    type: acquia
                    baseUrl: %s
                    tokenUrl: %s
                    clientId: %s
                    clientSecret: %s
                    poll: {initialDelay: 300ms, initialInterval: 500ms, multiplier: 1.5, maxInterval: 2s, notFoundGrace: 30s}
                  documents:
                    type: cloud-elements
                    baseUrl: %s
                    authorization: "%s"
                    signatureKey: %s
                  azure:
                    type: http-lro
                    baseUrl: %s
                    auth: {type: header, value: "%s"}
                    poll: {initialDelay: 300ms, initialInterval: 500ms, multiplier: 1.5, maxInterval: 2s}
                  google:
                    type: google-lro
                    baseUrl: %s
                    auth: {type: header, header: %s, value: %s}
                    status: {progressPointer: /metadata/progressPercent}
                    poll: {initialDelay: 300ms, initialInterval: 500ms, multiplier: 1.5, maxInterval: 2s}
                """.formatted(bootstrap, callbackPort, callbackPort, simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(),
                sim.acquiaClientId(), sim.acquiaClientSecret(), simulator.elementsBaseUrl(), sim.elementsAuthorization(),
                sim.elementsSignatureKey(), simulator.httpLroBaseUrl(), LroApis.HTTP_LRO_AUTHORIZATION,
                simulator.googleLroBaseUrl(), LroApis.GOOGLE_API_KEY_HEADER, LroApis.GOOGLE_API_KEY);
    }

    private synchronized void stopEverything() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("bridge demo: stopping: " + e.getMessage());
            }
        }
        resources.clear();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
