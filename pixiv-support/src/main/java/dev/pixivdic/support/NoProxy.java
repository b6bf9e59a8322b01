package dev.pixivdic.support;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hosts that bypass the proxy, read from {@code no_proxy} / {@code NO_PROXY} the way kubectl
 * reads it (Go's {@code golang.org/x/net/http/httpproxy}): host names with their subdomains
 * ({@code corp.example}); subdomains only
 * ({@code .corp.example}, {@code *.corp.example}); IP addresses; CIDR ranges; any of the names
 * and addresses with a port ({@code corp.example:8443}, {@code [fd00::1]:443}), then matching
 * that port only; and {@code *} for every host. Entries that are none of these are ignored.
 * Unlike Go, {@code localhost} and loopback addresses go through the proxy unless listed.
 * Immutable.
 */
final class NoProxy {
  /** One name or address entry; {@code port} 0 for any port. */
  private record Entry(String suffix, boolean matchesItself, InetAddress address, int port) {
    boolean matches(String host, Optional<InetAddress> ip, int requestPort) {
      if (port != 0 && port != requestPort) {
        return false;
      }
      if (address != null) {
        return ip.isPresent() && ip.get().equals(address);
      }
      return ip.isEmpty() && (host.endsWith(suffix)
          || (matchesItself && host.equals(suffix.substring(1))));
    }
  }

  /** A CIDR range: its address and the number of leading bits that count. */
  private record Range(byte[] network, int bits) {
    boolean contains(InetAddress ip) {
      byte[] a = ip.getAddress();
      if (a.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final String text;
  private final boolean all;
  private final List<Entry> entries;
  private final List<Range> ranges;

  private NoProxy(String text, boolean all, List<Entry> entries, List<Range> ranges) {
    this.text = text;
    this.all = all;
    this.entries = List.copyOf(entries);
    this.ranges = List.copyOf(ranges);
  }

  /** Whether the value listed nothing. */
  boolean isEmpty() {
    return text.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Whether a request to {@code host} (a name, or an address, in brackets or not) on
   * {@code port} goes direct.
   */
  boolean bypasses(String host, int port) {
    String h = unbracketed(host.toLowerCase(Locale.ROOT));
    Optional<InetAddress> ip = address(h);
    if (all || ip.isPresent() && ranges.stream().anyMatch(r -> r.contains(ip.get()))) {
      return true;
    }
    return entries.stream().anyMatch(e -> e.matches(h, ip, port));
  }

  /** Parses a NO_PROXY value; empty or null lists nothing. */
  static NoProxy parse(String value) {
    List<String> parts = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    boolean all = false;
    for (String part : value == null ? new String[0] : value.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      parts.add(p);
      all |= p.equals("*");
      int slash = p.indexOf('/');
      if (slash >= 0) {
        range(p.substring(0, slash), p.substring(slash + 1)).ifPresent(ranges::add);
      } else if (!p.equals("*")) {
        entry(p).ifPresent(entries::add);
      }
    }
    return new NoProxy(String.join(",", parts), all, entries, ranges);
  }

  private static Optional<Range> range(String network, String bits) {
    Optional<InetAddress> ip = address(network);
    if (ip.isEmpty() || !bits.matches("[0-9]{1,3}")) {
      return Optional.empty();
    }
    int n = Integer.parseInt(bits);
    byte[] a = ip.get().getAddress();
    return n > a.length * 8 ? Optional.empty() : Optional.of(new Range(a, n));
  }

  /** A name or address, perhaps with a port: {@code host:port}, {@code [v6]:port}. */
  private static Optional<Entry> entry(String p) {
    String host = p;
    String port = "";
    int colon = p.lastIndexOf(':');
    if (p.startsWith("[") && p.indexOf(']') > 0) {
      host = p.substring(1, p.indexOf(']'));
      String rest = p.substring(p.indexOf(']') + 1);
      port = rest.startsWith(":") ? rest.substring(1) : rest;
    } else if (colon > 0 && colon == p.indexOf(':')) {
      // One colon: a name or IPv4 address with a port (an IPv6 address has several).
      host = p.substring(0, colon);
      port = p.substring(colon + 1);
    }
    if (host.isEmpty() || !port.matches("|[0-9]{1,5}")) {
      return Optional.empty(); // malformed: ignored, as Go ignores it
    }
    int portNumber = port.isEmpty() ? 0 : Integer.parseInt(port);
    Optional<InetAddress> ip = address(host);
    if (ip.isPresent()) {
      return Optional.of(new Entry("", false, ip.get(), portNumber));
    }
    if (host.startsWith("*.")) {
      host = host.substring(1);
    }
    boolean itself = !host.startsWith(".");
    return Optional.of(new Entry(itself ? "." + host : host, itself, null, portNumber));
  }

  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
        : host;
  }

  /**
   * {@code s} as an address when it is an IPv4 (four dotted numbers) or IPv6 literal, which
   * {@link InetAddress#getByName} parses without a lookup; empty for a name.
   */
  private static Optional<InetAddress> address(String s) {
    if (!s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") && !(s.contains(":")
        && s.matches("[0-9a-f:.]+"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
