/**
 * What {@code pixiv} (with its libraries) and {@code pixiv-launch} share, so that each exists
 * once. This package is API: {@link dev.pixivdic.support.ProxySettings}, which embedders pass to
 * pixiv-core's {@code HttpFetcher} and {@code PixivScraper} builders and to pixiv-bigquery. The
 * sub-packages serve the project's own commands and carry no compatibility promise:
 * {@code internal} (the duration grammar), {@code notify} (the webhook notice), {@code cli}
 * (picocli pieces) and {@code logging} (the JSON log layout for logback). The last two need
 * picocli and logback, which this module declares optional: only the commands load them.
 */
package dev.pixivdic.support;
