package dev.pixivdic.examples.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link Rehearsal} of this JVM: the stand-ins start once for every rehearsal
 * test (their start-up is most of a short test's time) and close when the run ends. Tests keep
 * apart by session and dataset; after each, the site works normally again and the cluster's hook is
 * cleared.
 */
final class RehearsalExtension implements ParameterResolver, AfterEachCallback {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Rehearsal.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context).rehearsal;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Rehearsal r = shared(context).rehearsal;
    r.site.mode(Site.Mode.NORMAL);
    r.cluster.onPodExit(e -> {});
  }

  private static Shared shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
  }

  /** Closed by JUnit when the test run ends (the store closes AutoCloseable values). */
  private static final class Shared implements AutoCloseable {
    final Rehearsal rehearsal;

    Shared() {
      try {
        rehearsal =
            new Rehearsal(
                Files.createTempDirectory("rehearsal"),
                Boolean.getBoolean("rehearsal.watch") ? System.out : null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the rehearsal's stand-ins", e);
      }
    }

    @Override
    public void close() {
      rehearsal.close();
    }
  }
}
