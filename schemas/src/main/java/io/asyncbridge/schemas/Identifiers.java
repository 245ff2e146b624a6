package io.asyncbridge.schemas;

import java.util.regex.Pattern;

/**
 * The identifier patterns of the contract, the same regular expressions as in the JSON Schemas
 * (a test keeps the two in step). Code that must decide without a full validation, such as
 * reading the taskId of an invalid request, uses these.
 */
public final class Identifiers {

    /** taskId: 1-128 of {@code [A-Za-z0-9._:-]}. */
    public static final Pattern TASK_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    /** provider: a letter or digit, then up to 63 letters, digits, '_' or '-'. */
    public static final Pattern PROVIDER = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");

    private Identifiers() {
    }

    public static boolean isTaskId(String candidate) {
        return candidate != null && TASK_ID.matcher(candidate).matches();
    }

    public static boolean isProvider(String candidate) {
        return candidate != null && PROVIDER.matcher(candidate).matches();
    }
}
