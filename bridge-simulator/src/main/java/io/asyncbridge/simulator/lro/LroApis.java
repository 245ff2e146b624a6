package io.asyncbridge.simulator.lro;

import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.http.Replies;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The two simulated long-running-operation APIs: RFC 9110 / Azure under {@value HttpLroApi#BASE_PATH} and Google
 * AIP-151 under {@value GoogleLroApi#BASE_PATH}, with the same switchable faults as the seed APIs (header
 * {@code X-Simulator-Scenario}).
 */
public final class LroApis {

    public static final String HTTP_LRO_PATH = HttpLroApi.BASE_PATH;
    public static final String GOOGLE_LRO_PATH = GoogleLroApi.BASE_PATH;
    /** The {@code Authorization} value the http-lro API accepts (a static credential, as a configured header). */
    public static final String HTTP_LRO_AUTHORIZATION = "Bearer simulator-lro-token";
    public static final String GOOGLE_API_KEY_HEADER = "X-Goog-Api-Key";
    public static final String GOOGLE_API_KEY = "simulator-google-api-key";
    private static final long BODY_LIMIT_BYTES = 1_048_576;

    private final LroOperations operations;
    private final CreateAttempts attempts;
    private final HttpLroApi http;
    private final GoogleLroApi google;

    public LroApis(SimulatorConfig config, String publicBaseUrl, Replies replies) {
        long retention = config.finishedStateRetention().toMillis();
        this.operations = new LroOperations(retention);
        this.attempts = new CreateAttempts(retention);
        long duration = config.taskDuration().toMillis();
        this.http = new HttpLroApi(replies, operations, attempts, duration, config.logTasks(), publicBaseUrl);
        this.google = new GoogleLroApi(replies, operations, attempts, duration, config.logTasks());
    }

    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
        String lro = HttpLroApi.BASE_PATH;
        router.get(lro + "/operations/:id").handler(ctx -> http.poll(ctx, ctx.pathParam("id"), http::monitor));
        router.get(lro + "/results/:id").handler(ctx -> http.poll(ctx, ctx.pathParam("id"), http::result));
        String ops = GoogleLroApi.BASE_PATH;
        router.get(ops + "/operations/:id").handler(ctx -> google.poll(ctx, ctx.pathParam("id"), google::operation));
        // Before the create routes, which would take any POST under the base path for a new operation.
        router.postWithRegex(java.util.regex.Pattern.quote(ops + "/operations/") + "([^/:]+):cancel")
                .handler(ctx -> google.cancel(ctx, ctx.pathParam("param0")));
        for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE}) {
            router.route(method, lro + "/*").handler(body).handler(http::create);
            router.route(method, ops + "/*").handler(body).handler(google::create);
        }
        router.route(lro + "/*").handler(ctx -> http.error(ctx, 404, "NotFound",
                "The simulator has no resource at " + ctx.request().path()));
        router.route(ops + "/*").handler(ctx -> google.error(ctx, 404, "NOT_FOUND",
                "The simulator has no resource at " + ctx.request().path()));
    }

    /** Operations of both APIs, for tests to look at how they were polled. */
    public LroOperations operations() {
        return operations;
    }

    /** Drops old operations and attempt counters; called periodically. */
    public void sweep(long nowMillis) {
        operations.sweep(nowMillis);
        attempts.sweep(nowMillis);
    }
}
