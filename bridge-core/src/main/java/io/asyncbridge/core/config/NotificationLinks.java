package io.asyncbridge.core.config;

import java.util.List;
import java.util.Optional;

/**
 * Where a poll provider's accept answer carries the notification URL: in a header, in the body, or as an operation
 * name to put into a URL template.
 */
record NotificationLinks(Optional<String> bodyPointer, List<String> headers, Optional<String> pollUrlTemplate) {

  static final NotificationLinks NONE = new NotificationLinks(Optional.empty(), List.of(), Optional.empty());
}
