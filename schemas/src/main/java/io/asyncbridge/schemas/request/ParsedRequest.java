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
public sealed interface ParsedRequest permits ParsedRequest.Valid, ParsedRequest.Invalid {

    /** The request matched the schema and is ready to use. */
    record Valid(TaskRequest request) implements ParsedRequest {
        public Valid {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * The request cannot be processed. It belongs on the dead-letter topic with
     * {@link #describe()} as the reason, and gets a rejected completion when {@link #origin} is present.
     *
     * @param violations every reason, at least one
     * @param taskId     the taskId when the bytes are JSON with a taskId matching the contract's pattern
     * @param provider   the provider when it is readable and matches its pattern
     * @param metadata   the metadata when it is an object of strings, otherwise empty
     */
    record Invalid(List<SchemaViolation> violations, Optional<String> taskId, Optional<String> provider,
                   Map<String, String> metadata) implements ParsedRequest {

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
            return taskId.map(id -> new TaskOrigin(id, provider.orElse(null), submittedAt, null, null, metadata));
        }
    }
}
