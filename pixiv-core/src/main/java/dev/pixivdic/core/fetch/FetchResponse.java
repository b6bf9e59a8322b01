package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.internal.SiteChosenUrls;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A response of the site, after in-site redirects and retries.
 *
 * @param uri the site URI that was asked for
 * @param finalUri the site form ({@code https://dic.pixiv.net/...}) of the URI that answered,
 *     after in-site redirects; equal to {@code uri} when there was no redirect
 * @param redirects the statuses of the redirects followed on the way to {@code finalUri}, in
 *     order (301, then 302, ...); empty when there was none, or when the fetcher does not tell
 *     them (see {@link #permanentRedirect()}); copied
 * @param status the HTTP status code of the final response (the fetcher returns 100..599 only)
 * @param contentType the {@code Content-Type} header, or null when absent
 * @param body the decoded body (gzip already undone); not copied, so callers must not modify it
 * @param attempts how many attempts were made (1 when the first one was final)
 * @param elapsed time from the call to the return, including waits
 */
public record FetchResponse(
    URI uri,
    URI finalUri,
    List<Integer> redirects,
    int status,
    String contentType,
    byte[] body,
    int attempts,
    Duration elapsed) {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /**
   * @throws IllegalArgumentException when {@code redirects} holds a status that is no redirect
   *     ({@link #isRedirect}), or {@code attempts} is below 1
   */
  public FetchResponse {
    requireNonNull(uri, "uri");
    requireNonNull(finalUri, "finalUri");
    redirects = List.copyOf(requireNonNull(redirects, "redirects"));
    for (int hop : redirects) {
      if (!isRedirect(hop)) {
        throw new IllegalArgumentException("redirects must be redirect statuses (301, 302, 303,"
            + " 307, 308), was " + redirects);
      }
    }
    requireNonNull(body, "body");
    requireNonNull(elapsed, "elapsed");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
  }

  /**
   * A response that does not tell the statuses of its redirects ({@code redirects} empty): one
   * whose {@code finalUri} differs from {@code uri} is not known to be permanent.
   */
  public FetchResponse(URI uri, URI finalUri, int status, String contentType, byte[] body,
      int attempts, Duration elapsed) {
    this(uri, finalUri, List.of(), status, contentType, body, attempts, elapsed);
  }

  /**
   * Whether the answer came from another URI through permanent redirects only: at least one
   * redirect was followed, and every one was a 301 or 308. A 302, 303 or 307 anywhere in the
   * chain (a maintenance notice, a campaign, a catch-all) makes the whole move temporary: the
   * URI asked for may answer for itself again. False when {@code finalUri} differs from
   * {@code uri} but the fetcher did not tell the redirects.
   */
  public boolean permanentRedirect() {
    return !redirects.isEmpty() && redirects.stream().allMatch(s -> s == 301 || s == 308);
  }

  /**
   * Whether {@code status} is one of HTTP's, 100..599. An answer with another is malformed: no
   * page of the site, nor any answer a fetcher returns ({@link #requireHttpStatus}).
   */
  public static boolean isHttpStatus(int status) {
    return status >= 100 && status <= 599;
  }

  /**
   * This response, when its status is one of HTTP's ({@link #isHttpStatus}). A fetcher that
   * returned another one handed over a malformed answer, as an {@link HttpFetcher} never does:
   * it tries such an answer again and fails the call when every attempt got one. So it is taken
   * as that failure: a run counts the page as failed, to be tried again, never as a bug.
   *
   * @throws FetchException naming the URI, the status and the attempts made
   */
  public FetchResponse requireHttpStatus() throws FetchException {
    if (isHttpStatus(status)) {
      return this;
    }
    throw new FetchException("GET " + uri + ": malformed response: status " + status
        + " is no HTTP status (100..599), after " + attempts + " attempt"
        + (attempts == 1 ? "" : "s"), uri, attempts, -1, null);
  }

  /**
   * Whether {@code status} is a redirect (301, 302, 303, 307, 308). The fetcher follows those
   * whose {@code Location} stays within the site, so one that reaches its caller had none.
   */
  public static boolean isRedirect(int status) {
    return REDIRECTS.contains(status);
  }

  /** The body as text, in the charset named by the Content-Type, UTF-8 when none or unknown. */
  public String bodyText() {
    return new String(body, charset());
  }

  private Charset charset() {
    if (contentType == null) {
      return StandardCharsets.UTF_8;
    }
    for (String part : contentType.split(";")) {
      String p = part.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        String name = p.substring("charset=".length()).replace("\"", "").trim();
        try {
          return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  @Override
  public String toString() {
    // Where a redirect led is the site's choice: shown without its query, which may hold a token.
    return "FetchResponse[" + uri + " -> "
        + (finalUri.equals(uri) ? finalUri : SiteChosenUrls.shown(finalUri))
        + (redirects.isEmpty() ? "" : " via " + redirects) + ", status=" + status + ", "
        + body.length + " bytes, attempts=" + attempts + ", elapsed=" + elapsed + "]";
  }
}
