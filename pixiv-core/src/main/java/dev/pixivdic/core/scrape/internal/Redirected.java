package dev.pixivdic.core.scrape.internal;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.internal.SiteChosenUrls;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.core.run.internal.RedirectedForNowException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a fetched page as the page of the URL that answered. When the site redirected an
 * article to another one for good (301 or 308 at every hop: a renamed or merged article), the
 * page is the other article's, and is judged against that article's title: never against the
 * title asked for, which the page need not name. The row it yields is the item's, keyed by the
 * URL asked for (so a later run finds it stored), with the values of the page that answered; its
 * {@code title} is that article's. A redirect to another article that is not permanent (a 302,
 * 303 or 307 anywhere on the way: maintenance, a campaign, a catch-all notice) says nothing of
 * the article asked for, so the page that answered gives no row of it: it is unrecognised, or
 * blocked or under maintenance when the page says so. A page that names neither stays
 * unrecognised, and so does one the site redirected to that is no article (a search, the top
 * page), judged against the title asked for as a redirect to another spelling of it is; their
 * detail names the redirect. An unrecognised page reached for now is no page of the article, nor
 * a sign of a broken parser: it is thrown as {@link RedirectedForNowException}. Stateless.
 *
 * <p>{@code pixiv replay} judges an archived page through the same rules, from where the archive
 * says it was served.
 */
public final class Redirected {

  private static final Logger log = LoggerFactory.getLogger(ArticleScraper.class);

  private Redirected() {}

  /**
   * The parser's result for {@code response}, the answer to {@code asked}.
   *
   * @throws RedirectedForNowException when the site sent {@code asked} to that page for now (a
   *     302, 303 or 307 at some hop) and the page is unrecognised (another article's, a notice,
   *     a login wall): it says nothing of the article, which the next run asks again, nor of the
   *     markup, so the drift guard never judges it. An answer that is no page (a server error, a
   *     400) is left unrecognised wherever the redirects led: it says nothing of where the site
   *     sends the article, and the scraper fails it as the answer it is (an archive replays no
   *     such answer).
   * @throws dev.pixivdic.core.parse.PageTooLargeException as the parser does
   */
  public static ParseResult parse(ArticleParser parser, ArticleUrl asked,
      FetchResponse response) throws RedirectedForNowException {
    return checked(served(parser, asked, response), response);
  }

  /**
   * {@code parsed}, the result of {@link #judged} for {@code response}, as {@link #parse} gives
   * it.
   *
   * @throws RedirectedForNowException as {@link #parse} does
   */
  public static ParseResult checked(ParseResult parsed, FetchResponse response)
      throws RedirectedForNowException {
    if (parsed.outcome() == Outcome.UNRECOGNIZED && forNow(response)
        && isPage(response.status())) {
      throw new RedirectedForNowException(parsed.detail(), response.finalUri());
    }
    return parsed;
  }

  /**
   * Whether {@code status} answers with a page of the site: a 2xx, or the site's "not found"
   * (404 or 410), which the parser reads as NOT_FOUND. Such a page is unrecognised for good, not
   * a failed fetch, even when it is the "not found" of another article that a redirect not known
   * to be permanent led to.
   */
  static boolean isPage(int status) {
    return status / 100 == 2 || status == 404 || status == 410;
  }

  /**
   * Whether {@code response} reached its page through a redirect that is not permanent (a 302,
   * 303 or 307 at some hop). A response without the statuses of its redirects (a fetcher of the
   * embedder's) tells nothing of them, and is judged as before.
   */
  private static boolean forNow(FetchResponse response) {
    return !response.finalUri().equals(response.uri()) && !response.redirects().isEmpty()
        && !response.permanentRedirect();
  }

  /** The parser's result for the page that answered, as the page of that URL's article. */
  private static ParseResult served(ArticleParser parser, ArticleUrl asked,
      FetchResponse response) {
    return judged(parser, asked, response).result();
  }

  /**
   * As {@link #parse}, also telling whether the page ends before its document does, from the
   * same parse ({@link ArticleParser#parseJudged}).
   *
   * @throws dev.pixivdic.core.parse.PageTooLargeException as the parser does
   */
  public static ArticleParser.Judged judged(ArticleParser parser, ArticleUrl asked,
      FetchResponse response) {
    if (response.finalUri().equals(response.uri())) {
      return parser.parseJudged(page(asked, response));
    }
    Optional<ArticleUrl> served = ArticleUrl.tryParse(response.finalUri().toString())
        .filter(target -> !target.equals(asked));
    ArticleParser.Judged judged = parser.parseJudged(page(served.orElse(asked), response));
    return new ArticleParser.Judged(redirected(asked, response, served, judged.result()),
        judged.cutShort());
  }

  private static ParseResult redirected(ArticleUrl asked, FetchResponse response,
      Optional<ArticleUrl> served, ParseResult parsed) {
    // Where the site sent it, as a message may name it: a login wall's query may hold a token.
    String via = asked + " redirected to " + SiteChosenUrls.shown(response.finalUri())
        + hops(response);
    if (parsed.row().isEmpty()) {
      return new ParseResult(parsed.outcome(), parsed.row(), parsed.provenance(),
          via + ": " + parsed.detail(), parsed.disagreements());
    }
    if (served.isEmpty()) {
      return parsed;
    }
    if (!response.permanentRedirect()) {
      // Its values (or its "not found") are another article's, for as long as the redirect
      // lasts: stored under the URL asked for, they would replace that article's own row.
      return new ParseResult(Outcome.UNRECOGNIZED, Optional.empty(), Map.of(), via
          + ": not a permanent redirect (301 or 308 at every hop), so the page of "
          + served.get() + " is no page of " + asked, List.of());
    }
    log.info("{}: the row of {} is stored under {}", via, served.get(), asked);
    String detail = parsed.detail().isEmpty() ? via : via + "; " + parsed.detail();
    return new ParseResult(parsed.outcome(), Optional.of(parsed.row().get().withUrl(asked)),
        parsed.provenance(), detail, parsed.disagreements());
  }

  /** The statuses of the redirects, {@code " (301, 302)"}, or nothing when none are told. */
  private static String hops(FetchResponse response) {
    return response.redirects().isEmpty() ? "" : response.redirects().stream()
        .map(String::valueOf).collect(Collectors.joining(", ", " (", ")"));
  }

  private static Page page(ArticleUrl url, FetchResponse response) {
    return new Page(url, response.status(), response.contentType(), response.body());
  }
}
