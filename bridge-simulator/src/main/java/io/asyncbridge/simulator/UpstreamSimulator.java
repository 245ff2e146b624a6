package io.asyncbridge.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.simulator.acquia.AcquiaApi;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.elements.ElementsApi;
import io.asyncbridge.simulator.elements.WebhookSender;
import io.asyncbridge.simulator.http.Replies;
import io.asyncbridge.simulator.lro.LroApis;
import io.asyncbridge.simulator.lro.LroOperations;
import io.asyncbridge.simulator.stats.SimulatorStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real HTTP server that behaves like both seed APIs (Acquia Cloud Platform notifications and Cloud Elements
 * asynchronous requests) and the two standard long-running-operation patterns (RFC 9110 / Azure status URLs, Google
 * AIP-151 operations), faults included, chosen per task by the {@code X-Simulator-Scenario} header.
 * Everything runs on Vert.x timers and in-memory maps; nothing blocks.
 */
public final class UpstreamSimulator implements AutoCloseable {

    private static final long SWEEP_PERIOD_MILLIS = 5_000;
    private static final long BLOCKING_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final SimulatorConfig config;
    private final HttpServer server;
    private final WebClient webhookClient;
    private final WebhookSender webhookSender;
    private final AcquiaApi acquia;
    private final LroApis lro;
    private final SimulatorStats stats;
    private final String baseUrl;
    private final String publicBaseUrl;
    private final long sweepTimer;

    private UpstreamSimulator(Vertx vertx, boolean ownsVertx, SimulatorConfig config, HttpServer server,
                              WebClient webhookClient, WebhookSender webhookSender, AcquiaApi acquia, LroApis lro,
                              SimulatorStats stats, String baseUrl, String publicBaseUrl) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.config = config;
        this.server = server;
        this.webhookClient = webhookClient;
        this.webhookSender = webhookSender;
        this.acquia = acquia;
        this.lro = lro;
        this.stats = stats;
        this.baseUrl = baseUrl;
        this.publicBaseUrl = publicBaseUrl;
        this.sweepTimer = vertx.setPeriodic(SWEEP_PERIOD_MILLIS, id -> {
            acquia.sweep(System.currentTimeMillis());
            lro.sweep(System.currentTimeMillis());
        });
    }

    /** Starts on its own Vert.x instance and blocks until the server listens; {@link #close()} stops both. */
    public static UpstreamSimulator start(SimulatorConfig config) {
        Vertx vertx = Vertx.vertx();
        try {
            return await(start(vertx, config, true), "start the upstream simulator on " + config.host() + ":" + config.port());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Starts on the caller's Vert.x instance, which {@link #close()} leaves running. */
    public static Future<UpstreamSimulator> start(Vertx vertx, SimulatorConfig config) {
        return start(vertx, config, false);
    }

    private static Future<UpstreamSimulator> start(Vertx vertx, SimulatorConfig config, boolean ownsVertx) {
        // The public base URL may depend on the port the server got, so routes are added once it is known;
        // nobody can know the port before that, so no request meets the empty router.
        Router api = Router.router(vertx);
        // HTTP/1.1 only, as the clients the bridge uses; h2c upgrades would cap a connection's concurrent streams.
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(api);
        return server.listen(config.port(), config.host()).map(listening -> {
            String baseUrl = "http://" + loopbackFor(config.host()) + ":" + listening.actualPort();
            String publicBaseUrl = config.publicBaseUrl() != null ? config.publicBaseUrl() : baseUrl;
            ObjectMapper json = new ObjectMapper();
            Replies replies = new Replies(vertx, json);
            SimulatorStats stats = new SimulatorStats();
            WebClient client = WebClient.create(vertx, new WebClientOptions()
                            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.webhookTimeout().toMillis()))
                            .setFollowRedirects(false),
                    new PoolOptions().setHttp1MaxSize(64));
            WebhookSender sender = new WebhookSender(vertx, client, config.webhookRetrySchedule(),
                    config.webhookTimeout(), stats, config.logTasks());
            AcquiaApi acquia = new AcquiaApi(config, publicBaseUrl, stats, replies);
            acquia.mount(api);
            new ElementsApi(config, stats, replies, sender).mount(api);
            LroApis lro = new LroApis(config, publicBaseUrl, replies);
            lro.mount(api);
            api.get("/health").handler(ctx -> replies.json(ctx, 200, Map.of("status", "UP")));
            api.get("/").handler(ctx -> replies.json(ctx, 200, describe(publicBaseUrl)));
            api.route().last().handler(ctx -> replies.json(ctx, 404,
                    Map.of("error", "not_found", "message", "The simulator has no resource at " + ctx.request().path())));
            api.errorHandler(500, ctx -> replies.json(ctx, 500, Map.of("error", "simulator_error",
                    "message", String.valueOf(ctx.failure()))));
            return new UpstreamSimulator(vertx, ownsVertx, config, listening, client, sender, acquia, lro, stats,
                    baseUrl, publicBaseUrl);
        });
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:<port>} (the loopback address when bound to all interfaces). */
    public String baseUrl() {
        return baseUrl;
    }

    /** The base URL written into links, e.g. {@code http://simulator:8090} in docker-compose. */
    public String publicBaseUrl() {
        return publicBaseUrl;
    }

    public String acquiaBaseUrl() {
        return baseUrl + "/api";
    }

    public String acquiaTokenUrl() {
        return baseUrl + AcquiaApi.TOKEN_PATH;
    }

    public String elementsBaseUrl() {
        return baseUrl + ElementsApi.BASE_PATH;
    }

    /** Base URL of the RFC 9110 / Azure long-running-operation API (provider type {@code http-lro}). */
    public String httpLroBaseUrl() {
        return baseUrl + LroApis.HTTP_LRO_PATH;
    }

    /** Base URL of the Google AIP-151 operations API (provider type {@code google-lro}). */
    public String googleLroBaseUrl() {
        return baseUrl + LroApis.GOOGLE_LRO_PATH;
    }

    /** The operations both long-running-operation APIs accepted, and how they were polled. */
    public LroOperations lroOperations() {
        return lro.operations();
    }

    public SimulatorConfig config() {
        return config;
    }

    public SimulatorStats stats() {
        return stats;
    }

    /** Expires every Acquia token issued so far, so a test can force a token refresh in the middle of a batch. */
    public void expireAllTokens() {
        acquia.expireAllTokens();
    }

    /** Stops the server and pending webhook retries; the Vert.x instance is the caller's and stays up. */
    public Future<Void> closeAsync() {
        vertx.cancelTimer(sweepTimer);
        webhookSender.close();
        // No grace period: hanging requests (scenario "hang") and idle keep-alive connections would hold it up.
        return server.shutdown(Duration.ZERO).eventually(() -> {
            webhookClient.close();
            return Future.succeededFuture();
        });
    }

    /** Stops everything, including the Vert.x instance when {@link #start(SimulatorConfig)} created it. */
    @Override
    public void close() {
        await(closeAsync(), "stop the upstream simulator on port " + port());
        if (ownsVertx) {
            await(vertx.close(), "stop the simulator's Vert.x instance");
        }
    }

    private static Map<String, Object> describe(String publicBaseUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", "async-bridge upstream simulator");
        body.put("acquiaBaseUrl", publicBaseUrl + "/api");
        body.put("acquiaTokenUrl", publicBaseUrl + AcquiaApi.TOKEN_PATH);
        body.put("elementsBaseUrl", publicBaseUrl + ElementsApi.BASE_PATH);
        body.put("httpLroBaseUrl", publicBaseUrl + LroApis.HTTP_LRO_PATH);
        body.put("googleLroBaseUrl", publicBaseUrl + LroApis.GOOGLE_LRO_PATH);
        return body;
    }

    private static String loopbackFor(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host) ? "127.0.0.1" : host;
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(BLOCKING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + BLOCKING_TIMEOUT_SECONDS + " s waiting to " + what, e);
        }
    }
}
