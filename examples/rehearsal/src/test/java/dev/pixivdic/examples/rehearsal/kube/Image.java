package dev.pixivdic.examples.rehearsal.kube;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What the stand-in's registry holds for an image reference: the entrypoint a container of it runs
 * (a local command line) and the environment the image declares ({@code ENV}).
 *
 * @param reference the image as a pod spec names it, e.g. {@code registry/pixiv/pixiv:abc123}
 * @param entrypoint the command run before the container's {@code args}
 * @param env the image's environment, below the container's own {@code env}
 */
public record Image(String reference, List<String> entrypoint, Map<String, String> env) {
  public Image {
    requireNonNull(reference, "reference");
    entrypoint = List.copyOf(entrypoint);
    env = Map.copyOf(env);
    if (entrypoint.isEmpty()) {
      throw new IllegalArgumentException("an image needs an entrypoint: " + reference);
    }
  }
}
