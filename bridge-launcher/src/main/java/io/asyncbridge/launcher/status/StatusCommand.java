package io.asyncbridge.launcher.status;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.ManagementSettings;
import io.asyncbridge.core.config.Secret;
import io.asyncbridge.launcher.cluster.ConnectionOptions;
import io.asyncbridge.schemas.Identifiers;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bridge status <taskId>}: where a task is, asked of any bridge instance's management endpoint. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows where a task is: at ingest, polled, waiting for its webhook, or ended with its completion."
            + " Any instance answers for every task.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the task is known", "1:runtime failure (endpoint unreachable, 503, ...)",
            "2:usage error (malformed taskId, 401: wrong or missing token)", "3:the task is unknown"})
public final class StatusCommand implements Callable<Integer> {

    static final int EXIT_UNKNOWN = 3;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task's id.")
    private String taskId;

    @Option(names = "--json", description = "Print the answer's JSON as the API gives it.")
    private boolean json;

    @Option(names = "--url", paramLabel = "URL", description = "A management endpoint. Default: BRIDGE_MANAGEMENT_URL,"
        + " else localhost at management.port of --config, else http://localhost:9090.")
    private URI url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The management token. Default:"
        + " BRIDGE_MANAGEMENT_AUTH_TOKEN, else management.authToken of --config.")
    private String token;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Identifiers.isTaskId(taskId)) {
            throw new ConnectionOptions.UsageException("'" + taskId + "' is not a taskId (1-128 of [A-Za-z0-9._:-])");
        }
        URI endpoint = endpoint().resolve("/api/tasks/" + taskId);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15)).GET();
        token().ifPresent(value -> request.header("Authorization", "Bearer " + value));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach the management endpoint " + endpoint.getHost() + ":" + endpoint.getPort()
                + " (is a bridge running there? --url names another one): " + e.getMessage(), e);
        }
        JsonObject body = parse(response.body());
        if (response.statusCode() == 200) {
            out.println(json ? body.encodePrettily() : StatusText.render(body));
            out.flush();
            return CommandLine.ExitCode.OK;
        }
        JsonObject error = body.getJsonObject("error", new JsonObject());
        if (json) {
            out.println(body.encodePrettily());
            out.flush();
        }
        err.println("bridge status: " + response.statusCode() + " " + error.getString("code", "") + ": "
            + error.getString("message", response.body()));
        err.flush();
        return switch (response.statusCode()) {
            case 404 -> EXIT_UNKNOWN;
            case 400, 401 -> CommandLine.ExitCode.USAGE;
            default -> CommandLine.ExitCode.SOFTWARE;
        };
    }

    private static JsonObject parse(String body) {
        try {
            return new JsonObject(body);
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    URI endpoint() {
        if (url != null) {
            return url;
        }
        String fromEnv = System.getenv("BRIDGE_MANAGEMENT_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return URI.create(fromEnv);
        }
        int port = connection.config().map(BridgeConfig::management).map(ManagementSettings::port)
                .filter(p -> p > 0).orElse(ManagementSettings.DEFAULT_PORT);
        return URI.create("http://localhost:" + port);
    }

    private Optional<String> token() {
        if (token != null) {
            return Optional.of(token);
        }
        String fromEnv = System.getenv("BRIDGE_MANAGEMENT_AUTH_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv);
        }
        return connection.config().flatMap(config -> config.management().authToken()).map(Secret::reveal);
    }
}
