package io.asyncbridge.core.upstream;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Resolves a link an upstream sent ({@code Location}, {@code Operation-Location}, ...) against the URL it answered,
 * as RFC 3986 section 5.2 says. {@link URI#resolve(URI)} follows the older RFC 2396 and drops the last path segment
 * of the base for a query-only reference ({@code ?page=2}); that case is resolved here.
 */
public final class RelativeLinks {

  private RelativeLinks() {
  }

  /** @throws URISyntaxException when {@code reference} is not a URI reference */
  public static URI resolve(URI base, String reference) throws URISyntaxException {
    if (reference.startsWith("?")) {
      // RFC 3986 5.2.2: the base's scheme, authority and path, the reference's query (and fragment).
      String text = base.toString();
      int end = text.length();
      for (char stop : new char[] {'?', '#'}) {
        int at = text.indexOf(stop);
        if (at >= 0 && at < end) {
          end = at;
        }
      }
      return new URI(text.substring(0, end) + reference);
    }
    return base.resolve(new URI(reference));
  }
}
