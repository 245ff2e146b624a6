package io.asyncbridge.core.config;

import java.util.Collection;
import java.util.Locale;

/** The key that was probably meant where an unknown key is found: the nearest known one, if it is near. */
final class KeySuggestion {

  private KeySuggestion() {
  }

  /** {@code " (did you mean 'bootstrapServers'?)"} when a known key is close enough to {@code key}, else "". */
  static String among(String key, Collection<String> knownKeys) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : knownKeys) {
      int distance = editDistance(key.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = known;
      }
    }
    return best != null && bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
