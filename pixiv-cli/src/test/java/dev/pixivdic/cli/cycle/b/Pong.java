package dev.pixivdic.cli.cycle.b;

import dev.pixivdic.cli.cycle.a.Ping;

/** With {@link Ping}, a package cycle for {@code PackageCyclesTest} to find. */
public final class Pong {
  public Ping ping() {
    return new Ping();
  }
}
