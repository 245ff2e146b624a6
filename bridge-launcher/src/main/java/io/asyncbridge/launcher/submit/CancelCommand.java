package io.asyncbridge.launcher.submit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asyncbridge.launcher.cluster.ConnectionOptions;
import io.asyncbridge.schemas.EventJson;
import io.asyncbridge.schemas.validation.EventSchemaValidator;
import io.asyncbridge.schemas.validation.EventType;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bridge cancel <taskId>}: produces the cancel form of a request, keyed by the task's id. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Produces a cancel for a task to the requests topic (key = taskId).",
            "A task the bridge still holds at ingest ends with one completion, status cancelled;",
            "one that ended, or an unknown taskId, is left as it is. Follow it with 'bridge status <taskId>'."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the cancel was produced", "1:runtime failure (Kafka unreachable, ...)",
            "2:usage error (the cancel would be invalid)"})
public final class CancelCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "TASK_ID", description = "The taskId of the task to cancel.")
    private String taskId;

    @Option(names = {"-r", "--reason"}, paramLabel = "TEXT",
            description = "Why: becomes the completion's error message (at most 1024 characters).")
    private String reason;

    private final ObjectMapper json = EventJson.newMapper();

    @Override
    public Integer call() throws Exception {
        byte[] value = cancel();
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        RecordMetadata sent;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            sent = producer.send(new ProducerRecord<>(connection.topics().requests(), taskId, value))
                    .get(60, TimeUnit.SECONDS);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("cancel of task %s sent to %s-%d@%d%n", taskId, sent.topic(), sent.partition(), sent.offset());
        out.flush();
        return ExitCodes.SUCCEEDED;
    }

    byte[] cancel() throws java.io.IOException {
        ObjectNode cancel = json.createObjectNode().put("taskId", taskId).put("cancel", true);
        if (reason != null) {
            cancel.put("reason", reason);
        }
        byte[] bytes = json.writeValueAsBytes(cancel);
        List<SchemaViolation> violations = EventSchemaValidator.create().validate(EventType.TASK_CANCEL, bytes);
        if (!violations.isEmpty()) {
            throw new ConnectionOptions.UsageException("the cancel would be invalid:\n  "
                    + SchemaViolation.render(violations).replace("\n", "\n  "));
        }
        return bytes;
    }
}
