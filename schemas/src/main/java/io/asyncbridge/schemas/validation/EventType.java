package io.asyncbridge.schemas.validation;

/** The events of the contract, each with its JSON Schema. */
public enum EventType {
    TASK_REQUEST("task-request"),
    /** The cancel form of a record on the requests topic. */
    TASK_CANCEL("task-cancel"),
    COMPLETION("completion"),
    PROGRESS("progress"),
    /**
     * The hand-off on the internal tasks topic, from ingest to the poller or the callbacks service (and the cancel
     * ingest forwards there). Not a public event: its schema is the contract between the bridge's own services.
     */
    TASK_ACCEPTED("task-accepted");

    private static final String ID_BASE = "https://asyncbridge.io/schemas/";
    private static final String RESOURCE_BASE = "io/asyncbridge/schemas/";

    private final String schemaName;

    EventType(String schemaName) {
        this.schemaName = schemaName;
    }

    /** Short name, also the folder of its examples: {@code task-request}, {@code completion}, {@code progress}. */
    public String schemaName() {
        return schemaName;
    }

    /** File name of the schema, e.g. {@code completion.schema.json}. */
    public String schemaFileName() {
        return schemaName + ".schema.json";
    }

    /** The schema's {@code $id}, e.g. {@code https://asyncbridge.io/schemas/completion.schema.json}. */
    public String schemaId() {
        return ID_BASE + schemaFileName();
    }

    /** Classpath resource of the schema. */
    public String schemaResource() {
        return RESOURCE_BASE + schemaFileName();
    }
}
