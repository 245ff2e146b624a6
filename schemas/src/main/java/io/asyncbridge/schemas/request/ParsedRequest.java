package io.asyncbridge.schemas.request;

import io.asyncbridge.schemas.TaskOrigin;
import io.asyncbridge.schemas.TaskRequest;
import io.asyncbridge.schemas.validation.SchemaViolation;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The outcome of reading one raw task request: a {@link Valid} request or the {@link Invalid} reasons. */
public sealed interface ParsedRequest permits ParsedRequest.Valid, ParsedRequest.Invalid, ParsedRequest.Cancel {

    /**
     * A valid cancel of task {@code taskId} (the task-cancel schema).
     *
     * @param reason the caller's words, or empty
     */
    record Cancel(String taskId, Optional<String> reason) implements ParsedRequest {
        public Cancel {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The request matched the schema and is ready to use. */
    record Valid(TaskRequest request) implements ParsedRequest {
        public Valid {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * The request cannot be processed. It belongs on the dead-letter topic with
     * {@link #describe()} as the reason, and gets a rejected completion when {@link #origin} is present
     * (never for an invalid cancel).
     *
     * @param violations every reason, at least one
     * @param taskId     the taskId when the bytes are JSON with a taskId matching the contract's pattern
     * @param provider   the provider when it is readable and matches its pattern
     * @param metadata   the metadata when it is an object of strings, otherwise empty
     * @param cancel     whether it was meant as a cancel (it has a {@code cancel} field)
     */
    record Invalid(List<SchemaViolation> violations, Optional<String> taskId, Optional<String> provider,
                   Map<String, String> metadata, boolean cancel) implements ParsedRequest {

        /** An invalid task request. */
        public Invalid(List<SchemaViolation> violations, Optional<String> taskId, Optional<String> provider,
                       Map<String, String> metadata) {
            this(violations, taskId, provider, metadata, false);
        }

        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid request needs at least one violation");
            }
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(provider, "provider");
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The violations, one line each, e.g. for a dead-letter header. */
        public String describe() {
            return SchemaViolation.render(violations);
        }

        /**
         * The origin of the rejected completion this request earns, or empty when its taskId is
         * unreadable (then only the dead-letter topic hears of it).
         */
        public Optional<TaskOrigin> origin(Instant submittedAt) {
            if (cancel) {
                return Optional.empty(); // a broken cancel starts no task of its own, and must not end one
            }
            return taskId.map(id -> new TaskOrigin(id, provider.orElse(null), submittedAt, null, null, metadata));
        }
    }
}
