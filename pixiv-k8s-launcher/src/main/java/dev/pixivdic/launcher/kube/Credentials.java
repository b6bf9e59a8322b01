package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Supplies the bearer token of each request. Implementations are thread-safe.
 */
public interface Credentials {
  /**
   * The token to send now, or empty when the connection authenticates otherwise (client
   * certificate) or not at all.
   *
   * @throws IOException when the token cannot be obtained (unreadable file, failing exec plugin)
   */
  Optional<String> bearerToken() throws IOException;

  /**
   * Called after a 401 to the request that sent {@code refused}: forgets the cached token if it
   * is still that one, so the next request fetches a fresh one. A token fetched since (by another
   * request refused at the same time) is kept.
   */
  default void invalidate(String refused) {}

  /**
   * Ends the fetches asked for so far (an exec plugin that runs, or callers waiting for it) at
   * once with a {@link CredentialsException}, its processes stopped; later fetches run as usual.
   * For a signal's cleanup, which must neither wait for a plugin nor send a request the plugin's
   * token would let through after it. A no-op for credentials that do not run a plugin.
   */
  default void stop() {}

  /** No bearer token. */
  static Credentials none() {
    return Optional::empty;
  }

  /** A fixed token, as written in a kubeconfig. */
  static Credentials token(String token) {
    requireNonNull(token, "token");
    Optional<String> value = Optional.of(token);
    return () -> value;
  }

  /**
   * A token read from a file on each request, so a rotated token (projected service-account
   * tokens are rewritten by the kubelet) is picked up without a restart.
   */
  static Credentials tokenFile(Path file) {
    requireNonNull(file, "file");
    return () -> {
      String token;
      try {
        token = TextFiles.read(file, TextFiles.MAX_SECRET_BYTES).trim();
      } catch (IOException e) {
        throw new CredentialsException("cannot read token file " + file + ": "
            + TextFiles.reason(e), e);
      }
      if (token.isEmpty()) {
        // Sent as it is, an empty token is an anonymous request the server refuses with 401.
        throw new CredentialsException("token file " + file + " is empty");
      }
      return Optional.of(token);
    };
  }
}
