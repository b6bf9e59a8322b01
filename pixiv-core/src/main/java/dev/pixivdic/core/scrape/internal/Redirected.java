package dev.pixivdic.core.scrape.internal;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.ParseResult;
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
 * detail names the redirect. Stateless.
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
   * @throws dev.pixivdic.core.parse.PageTooLargeException as the parser does
   */
  public static ParseResult parse(ArticleParser parser, ArticleUrl asked,
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
    String via = asked + " redirected to " + response.finalUri() + hops(response);
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
