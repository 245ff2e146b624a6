package io.asyncbridge.launcher;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Shows logback's own warnings and errors (a broken {@code logback.xml}, an unknown log format) on stderr, and not
 * its start-up report. Without a listener logback prints the whole report whenever a warning occurs, and choosing one
 * of two appenders always leaves the other unreferenced, which it reports as a warning: that one is expected.
 */
public final class LogbackErrorListener implements StatusListener {

    @Override
    public void addStatusEvent(Status status) {
        String message = String.valueOf(status.getMessage());
        if (status.getEffectiveLevel() < Status.WARN || message.contains("not referenced")) {
            return;
        }
        boolean noAppender = message.contains("appender named") || message.contains("No appenders present");
        String hint = noAppender ? " (BRIDGE_LOG_FORMAT is text or json)" : "";
        System.err.println("logging: " + message + hint
                + (status.getThrowable() == null ? "" : " (" + status.getThrowable() + ")"));
    }
}
