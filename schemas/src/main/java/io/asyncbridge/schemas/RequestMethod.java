package io.asyncbridge.schemas;

/** The HTTP methods a task request may use to start an upstream task. */
public enum RequestMethod {
    GET, POST, PUT, PATCH, DELETE
}
