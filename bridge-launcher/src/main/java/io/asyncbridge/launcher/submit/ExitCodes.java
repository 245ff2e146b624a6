package io.asyncbridge.launcher.submit;

import io.asyncbridge.schemas.CompletionStatus;

/** Exit codes of {@code bridge submit --wait}: one per way a task can end, so scripts can branch on them. */
public final class ExitCodes {

    public static final int SUCCEEDED = 0;
    public static final int RUNTIME_FAILURE = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;
    public static final int TIMED_OUT = 4;
    public static final int REJECTED = 5;
    public static final int GAVE_UP_WAITING = 6;
    public static final int CANCELLED = 7;

    private ExitCodes() {
    }

    public static int of(CompletionStatus status) {
        return switch (status) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case TIMED_OUT -> TIMED_OUT;
            case REJECTED -> REJECTED;
            case CANCELLED -> CANCELLED;
        };
    }
}
