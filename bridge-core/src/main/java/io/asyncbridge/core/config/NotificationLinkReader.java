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

  static final String DEFAULT_POLL_URL_TEMPLATE = ProviderOptions.POLL_URL_TEMPLATE.defaultValue().orElseThrow();

  /** An RFC 9110 field name (a token). */
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

  private final ConfigNode node;
  private final ProviderPreset preset;
  private final Optional<URI> baseUrl;

  NotificationLinkReader(ConfigNode node, ProviderPreset preset, Optional<URI> baseUrl) {
    this.node = node;
    this.preset = preset;
    this.baseUrl = baseUrl;
  }

  NotificationLinks read() {
    List<String> headers = headers();
    Optional<String> pointer = node.pointer(ProviderOptions.NOTIFICATION_LINK_POINTER,
        preset.notificationLinkPointer());
    Optional<String> template = preset.pollsByOperationName() ? Optional.of(template()) : Optional.empty();
    if (preset.type() == ProviderType.GENERIC && pointer.isEmpty() && headers.isEmpty()) {
      node.problem(ProviderOptions.NOTIFICATION_LINK_POINTER, "is required for a generic poll provider (e.g. /_links/notification/href),"
          + " unless notificationLinkHeader names the header that carries the link (e.g. Location)");
    }
    return new NotificationLinks(pointer, headers, template);
  }

  private List<String> headers() {
    List<String> defaults = preset.notificationLinkHeaders();
    List<String> headers = new ArrayList<>();
    for (String header : node.stringList(ProviderOptions.NOTIFICATION_LINK_HEADER, defaults)) {
      String name = header.trim();
      if (!FIELD_NAME.matcher(name).matches()) {
        node.problem(ProviderOptions.NOTIFICATION_LINK_HEADER, "'" + header + "' is not a header name (write Location or"
            + " Operation-Location, without ':' or a value)");
      } else if (headers.stream().noneMatch(name::equalsIgnoreCase)) {
        headers.add(name);
      }
    }
    if (!defaults.isEmpty() && headers.isEmpty()) {
      node.problem(ProviderOptions.NOTIFICATION_LINK_HEADER, "an " + ProviderConfigReader.typeName(preset.type())
          + " provider needs at least one header that carries the status URL (default: " + String.join(", ", defaults)
          + ")");
    }
    return List.copyOf(headers);
  }

  private String template() {
    String template = node.string(ProviderOptions.POLL_URL_TEMPLATE).trim();
    Matcher placeholders = PLACEHOLDER.matcher(template);
    while (placeholders.find()) {
      String word = placeholders.group(1);
      if (!word.equals("baseUrl") && !word.equals("name")) {
        node.problem(ProviderOptions.POLL_URL_TEMPLATE, "'{" + word + "}' is not a placeholder (use {baseUrl} and {name})");
        return DEFAULT_POLL_URL_TEMPLATE;
      }
    }
    if (!template.contains("{name}")) {
      node.problem(ProviderOptions.POLL_URL_TEMPLATE, "'" + template + "' has no {name}: the operation's name must go into the URL"
          + " (default " + DEFAULT_POLL_URL_TEMPLATE + ")");
      return DEFAULT_POLL_URL_TEMPLATE;
    }
    String sample = fill(template, baseUrl.map(URI::toString).orElse("https://api.example.com"), "operations/sample");
    try {
      URI uri = new URI(sample);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        node.problem(ProviderOptions.POLL_URL_TEMPLATE, "'" + template + "' does not make an http(s) URL (start it with {baseUrl} or"
            + " https://host)");
      }
    } catch (URISyntaxException e) {
      node.problem(ProviderOptions.POLL_URL_TEMPLATE, "'" + template + "' does not make a valid URL: " + e.getReason());
    }
    return template;
  }

  /** The template with its placeholders replaced; a trailing slash of the base URL is not doubled. */
  static String fill(String template, String baseUrl, String name) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return template.replace("{baseUrl}", base).replace("{name}", name);
  }
}
