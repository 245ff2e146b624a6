package io.asyncbridge.launcher.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asyncbridge.launcher.cluster.ConnectionOptions;
import io.asyncbridge.launcher.console.ProgressBar;
import io.asyncbridge.launcher.console.TaskEvents;
import io.asyncbridge.schemas.Completion;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.ProgressEvent;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bridge submit}: produces one task request, and with {@code --wait} follows it to its completion. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Produces one task request to the requests topic (key = taskId).",
            "With --wait, shows a progress bar fed by the progress topic until the completion arrives,",
            "then prints it; the exit code says how the task ended."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:submitted (without --wait), or the task succeeded",
            "1:runtime failure (Kafka unreachable, ...)",
            "2:usage error (the request would be invalid)",
            "3:the task failed",
            "4:the task timed out",
            "5:the task was rejected",
            "6:gave up waiting (--wait-timeout)",
            "7:the task was cancelled"})
public final class SubmitCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = {"-p", "--provider"}, required = true, description = "Provider name from the bridge's config.")
    private String provider;

    @Option(names = {"-m", "--method"}, defaultValue = "POST", description = "HTTP method. Default: ${DEFAULT-VALUE}.")
    private String method;

    @Option(names = "--path", defaultValue = "/", description = "Path relative to the provider's base URL.")
    private String path;

    @Option(names = "--body", paramLabel = "JSON|@FILE", description = "JSON body, or @file to read it from a file.")
    private String body;

    @Option(names = "--query", paramLabel = "NAME=VALUE", description = "Query parameter (repeatable).")
    private Map<String, String> query = new LinkedHashMap<>();

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "Extra request header (repeatable).")
    private Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Metadata echoed on every event (repeatable).")
    private Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "DURATION", description = "ISO-8601 task timeout, e.g. PT30M.")
    private String timeout;

    @Option(names = "--task-id", paramLabel = "ID", description = "The taskId. Default: cli-<random>.")
    private String taskId;

    @Option(names = {"-w", "--wait"}, description = "Follow the task until its completion.")
    private boolean wait;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "Give up waiting after this long (exit 6). Default: ${DEFAULT-VALUE}.")
    private Duration waitTimeout;

    private final ObjectMapper json = EventJson.newMapper();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String id = taskId != null ? taskId : "cli-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] request = request(id);
        String bootstrap = connection.bootstrapServers();
        TaskEvents events = wait ? new TaskEvents(bootstrap, connection.topics(), true, false) : null;
        try {
            RecordMetadata sent = produce(bootstrap, id, request);
            out.printf("submitted task %s to %s-%d@%d%n", id, sent.topic(), sent.partition(), sent.offset());
            out.flush();
            return events == null ? ExitCodes.SUCCEEDED : follow(id, events, out);
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }

    private byte[] request(String id) throws IOException {
        ObjectNode request = json.createObjectNode().put("taskId", id).put("provider", provider)
                .put("method", method.toUpperCase(java.util.Locale.ROOT)).put("path", path);
        if (!query.isEmpty()) {
            request.set("query", json.valueToTree(query));
        }
        if (!headers.isEmpty()) {
            request.set("headers", json.valueToTree(headers));
        }
        if (body != null) {
            request.set("body", parseBody());
        }
        if (timeout != null) {
            request.put("timeout", timeout);
        }
        if (!metadata.isEmpty()) {
            request.set("metadata", json.valueToTree(metadata));
        }
        byte[] bytes = json.writeValueAsBytes(request);
        List<SchemaViolation> violations = EventSchemaValidator.create().validate(EventType.TASK_REQUEST, bytes);
        if (!violations.isEmpty()) {
            throw new ConnectionOptions.UsageException("the request would be invalid:\n  " + SchemaViolation.render(violations)
                    .replace("\n", "\n  "));
        }
        return bytes;
    }

    private JsonNode parseBody() throws IOException {
        String text = body.startsWith("@") ? Files.readString(Path.of(body.substring(1)), StandardCharsets.UTF_8) : body;
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new ConnectionOptions.UsageException("--body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private RecordMetadata produce(String bootstrap, String id, byte[] value) throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            return producer.send(new ProducerRecord<>(connection.topics().requests(), id, value)).get(60, TimeUnit.SECONDS);
        }
    }

    private int follow(String id, TaskEvents events, PrintWriter out) {
        Instant giveUp = Instant.now().plus(waitTimeout);
        Completion[] done = new Completion[1];
        String[] raw = new String[1];
        boolean terminal = System.console() != null;
        while (done[0] == null && Instant.now().isBefore(giveUp)) {
            events.poll(Duration.ofMillis(250), new TaskEvents.Listener() {
                @Override
                public void progress(ProgressEvent event) {
                    if (event.taskId().equals(id)) {
                        String line = "  " + ProgressBar.render(event.progress(), 30) + "  "
                                + (event.upstreamStatus() == null ? "" : event.upstreamStatus());
                        out.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
                        out.flush();
                    }
                }

                @Override
                public void completed(Completion completion, String rawJson) {
                    if (completion.taskId().equals(id)) {
                        done[0] = completion;
                        raw[0] = rawJson;
                    }
                }
            });
        }
        if (terminal) {
            out.println();
        }
        if (done[0] == null) {
            out.printf("gave up waiting for task %s after %s%n", id, waitTimeout);
            return ExitCodes.GAVE_UP_WAITING;
        }
        Completion completion = done[0];
        out.printf("task %s %s (via %s)%s%n", id, completion.status().wireName(), completion.via().wireName(),
                completion.error() == null ? "" : ": " + completion.error().code() + ": " + completion.error().message());
        out.println(raw[0]);
        out.flush();
        return ExitCodes.of(completion.status());
    }
}
