package dev.pixivdic.launcher.kube;

import java.util.List;
import java.util.Map;

/**
 * Defaults for what the API server leaves out: it omits empty fields, so an absent text is empty,
 * an absent list or map is empty.
 */
final class Fields {
  private Fields() {}

  static String text(String s) {
    return s == null ? "" : s;
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  static Map<String, String> map(Map<String, String> m) {
    return m == null ? Map.of() : Map.copyOf(m);
  }
}
