package dev.pixivdic.core.scrape.internal;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.ParseResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a fetched page as the page of the URL that answered. When the site redirected an
 * article to another one (a renamed or merged article, a spelling the site normalises), the page
 * is the other article's, and is judged against that article's title: never against the title
 * asked for, which the page need not name. The row it yields is the item's, keyed by the URL
 * asked for (so a later run finds it stored), with the values of the page that answered; its
 * {@code title} is that article's. A page that names neither stays unrecognised, and so does one
 * the site redirected to that is no article (a search, the top page); their detail names the
 * redirect. Stateless.
 */
final class Redirected {

  private static final Logger log = LoggerFactory.getLogger(ArticleScraper.class);

  private Redirected() {}

  /**
   * The parser's result for {@code response}, the answer to {@code asked}.
   *
   * @throws dev.pixivdic.core.parse.PageTooLargeException as the parser does
   */
  static ParseResult parse(ArticleParser parser, ArticleUrl asked, FetchResponse response) {
    if (response.finalUri().equals(response.uri())) {
      return parser.parse(page(asked, response));
    }
    Optional<ArticleUrl> served = ArticleUrl.tryParse(response.finalUri().toString())
        .filter(target -> !target.equals(asked));
    ParseResult parsed = parser.parse(page(served.orElse(asked), response));
    String via = asked + " redirected to " + response.finalUri();
    if (parsed.row().isEmpty()) {
      return new ParseResult(parsed.outcome(), parsed.row(), parsed.provenance(),
          via + ": " + parsed.detail(), parsed.disagreements());
    }
    if (served.isEmpty()) {
      return parsed;
    }
    log.info("{}: the row of {} is stored under {}", via, served.get(), asked);
    String detail = parsed.detail().isEmpty() ? via : via + "; " + parsed.detail();
    return new ParseResult(parsed.outcome(), Optional.of(parsed.row().get().withUrl(asked)),
        parsed.provenance(), detail, parsed.disagreements());
  }

  private static Page page(ArticleUrl url, FetchResponse response) {
    return new Page(url, response.status(), response.contentType(), response.body());
  }
}
