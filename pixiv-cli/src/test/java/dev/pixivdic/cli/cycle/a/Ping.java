package dev.pixivdic.cli.cycle.a;

import dev.pixivdic.cli.cycle.b.Pong;

/** With {@link Pong}, a package cycle for {@code PackageCyclesTest} to find. */
public final class Ping {
  public Pong pong() {
    return new Pong();
  }
}
