package io.asyncbridge.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads where a poll provider's accept answer carries the notification URL: {@code notificationLinkHeader} (a
 * header name or a list in order of preference), {@code notificationLinkPointer} (a JSON pointer into the body) and,
 * for {@code google-lro}, {@code pollUrlTemplate} (the operation's name put into a URL).
 */
final class NotificationLinkReader {

  /** The status-URL headers of RFC 9110 and Azure, most specific first. */
  static final List<String> HTTP_LRO_HEADERS = List.of("Azure-AsyncOperation", "Operation-Location", "Location");
  static final String DEFAULT_POLL_URL_TEMPLATE = "{baseUrl}/{name}";

  /** An RFC 9110 field name (a token). */
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

  private final ConfigNode node;
  private final ProviderType type;
  private final Optional<URI> baseUrl;

  NotificationLinkReader(ConfigNode node, ProviderType type, Optional<URI> baseUrl) {
    this.node = node;
    this.type = type;
    this.baseUrl = baseUrl;
  }

  NotificationLinks read() {
    List<String> headers = headers();
    Optional<String> pointer = ProviderConfigReader.pointer(node, "notificationLinkPointer",
        type == ProviderType.ACQUIA ? "/_links/notification/href" : "");
    Optional<String> template = type == ProviderType.GOOGLE_LRO ? Optional.of(template()) : Optional.empty();
    if (type == ProviderType.GENERIC && pointer.isEmpty() && headers.isEmpty()) {
      node.problem("notificationLinkPointer", "is required for a generic poll provider (e.g. /_links/notification/href),"
          + " unless notificationLinkHeader names the header that carries the link (e.g. Location)");
    }
    return new NotificationLinks(pointer, headers, template);
  }

  private List<String> headers() {
    List<String> defaults = type == ProviderType.HTTP_LRO ? HTTP_LRO_HEADERS : List.of();
    List<String> headers = new ArrayList<>();
    for (String header : node.stringList("notificationLinkHeader", defaults)) {
      String name = header.trim();
      if (!FIELD_NAME.matcher(name).matches()) {
        node.problem("notificationLinkHeader", "'" + header + "' is not a header name (write Location or"
            + " Operation-Location, without ':' or a value)");
      } else if (headers.stream().noneMatch(name::equalsIgnoreCase)) {
        headers.add(name);
      }
    }
    if (type == ProviderType.HTTP_LRO && headers.isEmpty()) {
      node.problem("notificationLinkHeader", "an http-lro provider needs at least one header that carries the status"
          + " URL (default: " + String.join(", ", HTTP_LRO_HEADERS) + ")");
    }
    return List.copyOf(headers);
  }

  private String template() {
    String template = node.string("pollUrlTemplate", DEFAULT_POLL_URL_TEMPLATE).trim();
    Matcher placeholders = PLACEHOLDER.matcher(template);
    while (placeholders.find()) {
      String word = placeholders.group(1);
      if (!word.equals("baseUrl") && !word.equals("name")) {
        node.problem("pollUrlTemplate", "'{" + word + "}' is not a placeholder (use {baseUrl} and {name})");
        return DEFAULT_POLL_URL_TEMPLATE;
      }
    }
    if (!template.contains("{name}")) {
      node.problem("pollUrlTemplate", "'" + template + "' has no {name}: the operation's name must go into the URL"
          + " (default " + DEFAULT_POLL_URL_TEMPLATE + ")");
      return DEFAULT_POLL_URL_TEMPLATE;
    }
    String sample = fill(template, baseUrl.map(URI::toString).orElse("https://api.example.com"), "operations/sample");
    try {
      URI uri = new URI(sample);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        node.problem("pollUrlTemplate", "'" + template + "' does not make an http(s) URL (start it with {baseUrl} or"
            + " https://host)");
      }
    } catch (URISyntaxException e) {
      node.problem("pollUrlTemplate", "'" + template + "' does not make a valid URL: " + e.getReason());
    }
    return template;
  }

  /** The template with its placeholders replaced; a trailing slash of the base URL is not doubled. */
  static String fill(String template, String baseUrl, String name) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return template.replace("{baseUrl}", base).replace("{name}", name);
  }
}
