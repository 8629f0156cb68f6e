package dev.strata.admin;

import java.io.PrintWriter;
import java.util.List;

/** Long id lists in the snapshot commands' output: at most {@code --limit} of them, and how many more. */
final class IdLists {
  private IdLists() {}

  /** The first {@code limit} ids. */
  static List<String> first(List<String> ids, int limit) {
    return ids.subList(0, Math.min(limit, ids.size()));
  }

  /** "kind: a, b, ... (N more; --limit)" on one line; nothing for no ids. */
  static void print(PrintWriter out, String kind, List<String> ids, int limit) {
    if (!ids.isEmpty()) {
      out.printf("%s: %s%s%n", kind, String.join(", ", first(ids, limit)),
          ids.size() > limit ? ", ... (" + (ids.size() - limit) + " more; --limit)" : "");
    }
  }

  /** Refuses a negative {@code --limit}. */
  static void checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be at least 0, got " + limit);
    }
  }
}
