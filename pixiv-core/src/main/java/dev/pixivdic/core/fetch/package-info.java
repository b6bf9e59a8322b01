/**
 * The polite fetcher: {@link dev.pixivdic.core.fetch.Fetcher} and its implementation
 * {@link dev.pixivdic.core.fetch.HttpFetcher}, which GETs pages of dic.pixiv.net with an honest
 * User-Agent, one global rate limit, a bound on requests in flight, retries with backoff that
 * honour {@code Retry-After}, robots.txt, a body size cap and redirects kept within the site.
 *
 * <p>Null-safety: parameters and return values are non-null unless documented;
 * {@link dev.pixivdic.core.fetch.FetchResponse#contentType()} may be null.
 */
package dev.pixivdic.core.fetch;
