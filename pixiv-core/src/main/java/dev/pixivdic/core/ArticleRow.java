package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the destination table {@code pixiv_detail_info}: what is known of one article at
 * one time. The JSON and BigQuery column names are the snake_case forms documented in
 * {@code docs/schema.md}; {@link RowJson} reads and writes them.
 *
 * <p>Absent values are {@code null}, never an empty string and never 0; list fields are never
 * null (empty when absent, as BigQuery's REPEATED columns cannot be null). Counts are whole
 * numbers. Instances are immutable; build them with {@link #builder(ArticleUrl)}.
 *
 * @param url canonical article URL
 * @param title article title as the page shows it
 * @param subTitle the reading (yomigana)
 * @param bookmark kept from the original table: the checklist (bookmark) count, as
 *     {@code checklistCount}
 * @param summary the abstract, whitespace-normalised
 * @param illustViewUrl link to the article's illustrations
 * @param novelViewUrl link to the article's novels
 * @param illustPostUrl link to post an illustration with the tag
 * @param novelPostUrl link to post a novel with the tag
 * @param viewCount views
 * @param commentCount comments
 * @param worksCount works with the tag
 * @param loadedAt when the row was made (set by the run)
 * @param middleClassIpName passed through from the source item
 * @param articleId the site's article id
 * @param checklistCount the checklist count
 * @param parentArticle title of the parent article
 * @param childArticles titles of child articles
 * @param siblingArticles titles of sibling articles
 * @param relatedTags related tags named in the article
 * @param breadcrumbs category path, outermost first
 * @param updatedAt when the article was last edited
 * @param mainIllustUrl the header illustration
 * @param status {@link Outcome#ARTICLE} or {@link Outcome#NOT_FOUND}
 * @param contentHash SHA-256 (hex) of the article's content fields, for change detection
 * @param scraperVersion version of this software that made the row
 * @param runId the run that made the row
 * @param passThrough further source columns copied to the row as strings
 */
public record ArticleRow(
    String url,
    String title,
    String subTitle,
    Long bookmark,
    String summary,
    String illustViewUrl,
    String novelViewUrl,
    String illustPostUrl,
    String novelPostUrl,
    Long viewCount,
    Long commentCount,
    Long worksCount,
    Instant loadedAt,
    String middleClassIpName,
    String articleId,
    Long checklistCount,
    String parentArticle,
    List<String> childArticles,
    List<String> siblingArticles,
    List<String> relatedTags,
    List<String> breadcrumbs,
    Instant updatedAt,
    String mainIllustUrl,
    Outcome status,
    String contentHash,
    String scraperVersion,
    String runId,
    Map<String, String> passThrough) {

  public ArticleRow {
    requireNonNull(url, "url");
    requireNonNull(status, "status");
    childArticles = List.copyOf(requireNonNull(childArticles, "childArticles"));
    siblingArticles = List.copyOf(requireNonNull(siblingArticles, "siblingArticles"));
    relatedTags = List.copyOf(requireNonNull(relatedTags, "relatedTags"));
    breadcrumbs = List.copyOf(requireNonNull(breadcrumbs, "breadcrumbs"));
    passThrough = java.util.Collections.unmodifiableMap(
        new LinkedHashMap<>(requireNonNull(passThrough, "passThrough")));
    if (!status.isStored()) {
      throw new IllegalArgumentException("a row's status is ARTICLE or NOT_FOUND, was " + status);
    }
  }

  /** A builder for the article at {@code url}, with status {@link Outcome#ARTICLE}. */
  public static Builder builder(ArticleUrl url) {
    return new Builder(requireNonNull(url, "url").canonical());
  }

  /** A builder holding this row's values. */
  public Builder toBuilder() {
    return toBuilder(url);
  }

  /**
   * This row keyed by {@code url}, every other value kept (its {@code title} still names the
   * article it was read from).
   */
  public ArticleRow withUrl(ArticleUrl url) {
    return toBuilder(requireNonNull(url, "url").canonical()).build();
  }

  private Builder toBuilder(String url) {
    Builder b = new Builder(url);
    b.title = title;
    b.subTitle = subTitle;
    b.bookmark = bookmark;
    b.summary = summary;
    b.illustViewUrl = illustViewUrl;
    b.novelViewUrl = novelViewUrl;
    b.illustPostUrl = illustPostUrl;
    b.novelPostUrl = novelPostUrl;
    b.viewCount = viewCount;
    b.commentCount = commentCount;
    b.worksCount = worksCount;
    b.loadedAt = loadedAt;
    b.middleClassIpName = middleClassIpName;
    b.articleId = articleId;
    b.checklistCount = checklistCount;
    b.parentArticle = parentArticle;
    b.childArticles = childArticles;
    b.siblingArticles = siblingArticles;
    b.relatedTags = relatedTags;
    b.breadcrumbs = breadcrumbs;
    b.updatedAt = updatedAt;
    b.mainIllustUrl = mainIllustUrl;
    b.status = status;
    b.contentHash = contentHash;
    b.scraperVersion = scraperVersion;
    b.runId = runId;
    b.passThrough = new LinkedHashMap<>(passThrough);
    return b;
  }

  /** The article this row describes. */
  public ArticleUrl articleUrl() {
    return ArticleUrl.parse(url);
  }

  /** Collects a row's values; {@link #build()} copies them. Not thread-safe. */
  public static final class Builder {
    private final String url;
    private String title;
    private String subTitle;
    private Long bookmark;
    private String summary;
    private String illustViewUrl;
    private String novelViewUrl;
    private String illustPostUrl;
    private String novelPostUrl;
    private Long viewCount;
    private Long commentCount;
    private Long worksCount;
    private Instant loadedAt;
    private String middleClassIpName;
    private String articleId;
    private Long checklistCount;
    private String parentArticle;
    private List<String> childArticles = List.of();
    private List<String> siblingArticles = List.of();
    private List<String> relatedTags = List.of();
    private List<String> breadcrumbs = List.of();
    private Instant updatedAt;
    private String mainIllustUrl;
    private Outcome status = Outcome.ARTICLE;
    private String contentHash;
    private String scraperVersion;
    private String runId;
    private Map<String, String> passThrough = new LinkedHashMap<>();

    private Builder(String url) {
      this.url = url;
    }

    public Builder title(String v) { this.title = v; return this; }
    public Builder subTitle(String v) { this.subTitle = v; return this; }
    public Builder bookmark(Long v) { this.bookmark = v; return this; }
    public Builder summary(String v) { this.summary = v; return this; }
    public Builder illustViewUrl(String v) { this.illustViewUrl = v; return this; }
    public Builder novelViewUrl(String v) { this.novelViewUrl = v; return this; }
    public Builder illustPostUrl(String v) { this.illustPostUrl = v; return this; }
    public Builder novelPostUrl(String v) { this.novelPostUrl = v; return this; }
    public Builder viewCount(Long v) { this.viewCount = v; return this; }
    public Builder commentCount(Long v) { this.commentCount = v; return this; }
    public Builder worksCount(Long v) { this.worksCount = v; return this; }
    public Builder loadedAt(Instant v) { this.loadedAt = v; return this; }
    public Builder middleClassIpName(String v) { this.middleClassIpName = v; return this; }
    public Builder articleId(String v) { this.articleId = v; return this; }
    public Builder checklistCount(Long v) { this.checklistCount = v; return this; }
    public Builder parentArticle(String v) { this.parentArticle = v; return this; }
    public Builder childArticles(List<String> v) {
      this.childArticles = requireNonNull(v, "childArticles");
      return this;
    }
    public Builder siblingArticles(List<String> v) {
      this.siblingArticles = requireNonNull(v, "siblingArticles");
      return this;
    }
    public Builder relatedTags(List<String> v) {
      this.relatedTags = requireNonNull(v, "relatedTags");
      return this;
    }
    public Builder breadcrumbs(List<String> v) {
      this.breadcrumbs = requireNonNull(v, "breadcrumbs");
      return this;
    }
    public Builder updatedAt(Instant v) { this.updatedAt = v; return this; }
    public Builder mainIllustUrl(String v) { this.mainIllustUrl = v; return this; }
    public Builder status(Outcome v) { this.status = requireNonNull(v, "status"); return this; }
    public Builder contentHash(String v) { this.contentHash = v; return this; }
    public Builder scraperVersion(String v) { this.scraperVersion = v; return this; }
    public Builder runId(String v) { this.runId = v; return this; }

    /** Adds one pass-through column; a null value removes it. */
    public Builder passThrough(String column, String value) {
      requireNonNull(column, "column");
      if (value == null) {
        passThrough.remove(column);
      } else {
        passThrough.put(column, value);
      }
      return this;
    }

    /** Replaces all pass-through columns. */
    public Builder passThrough(Map<String, String> columns) {
      this.passThrough = new LinkedHashMap<>(requireNonNull(columns, "columns"));
      return this;
    }

    /**
     * Copies the values into a row.
     *
     * @throws IllegalArgumentException if the status is not a stored outcome
     */
    public ArticleRow build() {
      return new ArticleRow(url, title, subTitle, bookmark, summary, illustViewUrl, novelViewUrl,
          illustPostUrl, novelPostUrl, viewCount, commentCount, worksCount, loadedAt,
          middleClassIpName, articleId, checklistCount, parentArticle, childArticles,
          siblingArticles, relatedTags, breadcrumbs, updatedAt, mainIllustUrl, status,
          contentHash, scraperVersion, runId, passThrough);
    }
  }
}
