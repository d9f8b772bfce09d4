package dev.switchboard.server.http;

import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The methods each route path answers, for the {@code Allow} header of a 405. Paths are templates
 * whose {@code :name} segments match any one non-empty segment, as in the router.
 */
final class AllowedMethods {

  private final Map<String, Set<String>> byTemplate = new LinkedHashMap<>();

  void add(HttpMethod method, String template) {
    byTemplate.computeIfAbsent(template, t -> new TreeSet<>()).add(method.name());
  }

  /** The methods of every template that matches {@code path}, sorted; empty when none does. */
  Set<String> of(String path) {
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1); // the router matches with or without it
    }
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, Set<String>> e : byTemplate.entrySet()) {
      if (matches(e.getKey(), path)) {
        out.addAll(e.getValue());
      }
    }
    return out;
  }

  static boolean matches(String template, String path) {
    String[] t = template.split("/", -1);
    String[] p = path.split("/", -1);
    if (t.length != p.length) {
      return false;
    }
    for (int i = 0; i < t.length; i++) {
      boolean param = t[i].startsWith(":") && !p[i].isEmpty();
      if (!param && !t[i].equals(p[i])) {
        return false;
      }
    }
    return true;
  }
}
