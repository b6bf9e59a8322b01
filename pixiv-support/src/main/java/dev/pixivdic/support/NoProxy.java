package dev.pixivdic.support;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts that bypass the proxy, read from {@code no_proxy} / {@code NO_PROXY} the way curl
 * and kubectl read it: host names, domains (with or without a leading dot, matching their
 * subdomains), IP literals, CIDR ranges, and {@code *} for every host. Immutable.
 */
final class NoProxy {
  private final List<String> entries;

  private NoProxy(List<String> entries) {
    this.entries = List.copyOf(entries);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public String toString() {
    return String.join(",", entries);
  }

  /** Whether a request to {@code host} goes direct. */
  boolean bypasses(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    for (String entry : entries) {
      if (entry.equals("*") || h.equals(entry) || h.endsWith("." + entry)
          || inRange(h, entry)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code host}, an IP address literal, lies in {@code entry}, a CIDR range such as
   * {@code 10.0.0.0/8} (kubectl's reading of NO_PROXY). Host names are not looked up.
   */
  private static boolean inRange(String host, String entry) {
    int slash = entry.indexOf('/');
    if (slash < 0 || !isAddressLiteral(host) || !isAddressLiteral(entry.substring(0, slash))) {
      return false;
    }
    try {
      byte[] a = InetAddress.getByName(host).getAddress();
      byte[] net = InetAddress.getByName(entry.substring(0, slash)).getAddress();
      int bits = Integer.parseInt(entry.substring(slash + 1));
      if (a.length != net.length || bits < 0 || bits > a.length * 8) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (net[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  /** An IPv4 or IPv6 literal, which {@link InetAddress#getByName} parses without a lookup. */
  private static boolean isAddressLiteral(String s) {
    return s.matches("[0-9.]+") || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"));
  }

  /** Parses a NO_PROXY value; empty or null means none. */
  static NoProxy parse(String value) {
    if (value == null) {
      return new NoProxy(List.of());
    }
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      while (p.startsWith(".")) {
        p = p.substring(1);
      }
      if (p.startsWith("[") && p.endsWith("]")) {
        p = p.substring(1, p.length() - 1);
      }
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return new NoProxy(out);
  }
}
