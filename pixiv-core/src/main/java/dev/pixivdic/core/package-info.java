/**
 * The model and extension points: {@link dev.pixivdic.core.ArticleUrl},
 * {@link dev.pixivdic.core.ArticleRow}, {@link dev.pixivdic.core.Shard},
 * {@link dev.pixivdic.core.Source} and {@link dev.pixivdic.core.Sink}.
 *
 * <p>Null-safety: parameters and return values are non-null unless documented; the nullable
 * fields of {@link dev.pixivdic.core.ArticleRow} are the row's absent values.
 */
package dev.pixivdic.core;
