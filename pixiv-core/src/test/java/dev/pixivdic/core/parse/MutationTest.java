package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.parse.Mutations.Mutation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every golden-corpus article page goes through every {@link Mutations mutation}; each column of
 * the parsed row must then be the expected value or absent, never another value. A column the
 * mutation removed from the page must be absent. Mutations are seeded per page and mutation, so
 * a failure reproduces; a page that gave a wrong value is written under
 * {@code target/mutations/} for adding to the corpus.
 *
 * <p>The shares of right, absent and wrong values per mutation are the table of
 * {@code docs/parsing.md}; {@code -Dpixiv.docs.write=true} rewrites it from this run.
 */
class MutationTest {

  /** The documented table's seed; {@code -Dpixiv.mutations.seed=N} explores other variants. */
  static final long DOCUMENTED_SEED = 20250615L;
  static final long SEED = Long.getLong("pixiv.mutations.seed", DOCUMENTED_SEED);

  private static final Path OUT = Path.of("target", "mutations");
  private static final Path DOC = Path.of("..", "docs", "parsing.md");
  private static final String BEGIN = "<!-- mutations:begin -->";
  private static final String END = "<!-- mutations:end -->";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ArticleParser PARSER = ArticleParser.create();

  /** The columns the parser fills; url and run metadata are not the parser's. */
  static final List<String> COLUMNS = List.of("title", "sub_title", "bookmark", "summary",
      "illust_view_url", "novel_view_url", "illust_post_url", "novel_post_url", "view_count",
      "comment_count", "works_count", "article_id", "checklist_count", "parent_article",
      "child_articles", "sibling_articles", "related_tags", "breadcrumbs", "updated_at",
      "main_illust_url", "status");

  /** What one mutation did over the corpus. */
  record Tally(Mutation mutation, int pages, int right, int absent, int wrong) {
    int values() {
      return right + absent + wrong;
    }
  }

  /** One wrong value. */
  record Wrong(String mutation, String page, Path file, String column, String expected,
      String got) {
    @Override
    public String toString() {
      return file + " (" + mutation + " of " + page + "): " + column + " expected " + expected
          + ", got " + got;
    }
  }

  record Results(List<Tally> tallies, List<Wrong> wrongs) {}

  private static Results results;

  static synchronized Results results() {
    if (results == null) {
      results = run();
    }
    return results;
  }

  @Test
  void everyMutatedCorpusArticleGivesEachColumnRightOrAbsent() {
    List<Wrong> wrongs = results().wrongs();
    assertThat(wrongs)
        .as("wrong values; add the mutated pages to the corpus once the parser is fixed:%n%s",
            String.join("\n", wrongs.stream().map(Wrong::toString).toList()))
        .isEmpty();
  }

  @Test
  void everyMutationChangesSomePagesAndLeavesMostOfTheValues() {
    for (Tally t : results().tallies()) {
      assertThat(t.pages()).as("pages %s applies to", t.mutation()).isPositive();
    }
    Tally none = results().tallies().get(0);
    assertThat(none.absent() + none.wrong()).as("a page that is only re-serialised").isZero();
  }

  @Test
  void anotherArticlesNumberCountsAsWrongAndAMissingOneAsAbsent() {
    GoldenCorpus.Case c = articleCases().stream()
        .filter(x -> x.name().equals("article/current-dom-full")).findFirst().orElseThrow();
    Mutation none = Mutations.all().get(0);
    ArticleRow row = RowJson.read(c.expected().get("row").toString()).toBuilder()
        .viewCount(345_680L).commentCount(null).build();
    int[] counts = new int[3];
    List<Wrong> wrong = judge(none, c, mutate(c, none), new ParseResult(Outcome.ARTICLE,
        Optional.of(row), Map.of(), "by hand"), counts, new ArrayList<>());

    assertThat(wrong).singleElement().satisfies(w -> {
      assertThat(w.column()).isEqualTo("view_count");
      assertThat(w.got()).isEqualTo("345680");
      assertThat(w.file()).hasToString(Path.of("target", "mutations", "none",
          "article-current-dom-full.html").toString());
    });
    assertThat(counts[1]).isEqualTo(1);
  }

  @Test
  void aSeedReproducesTheSameMutatedPage() {
    GoldenCorpus.Case c = articleCases().get(0);
    for (Mutation m : Mutations.all()) {
      assertThat(mutate(c, m).render()).as(m.name()).isEqualTo(mutate(c, m).render());
    }
  }

  @Test
  void docsParsingMdShowsTheMeasuredShares() throws IOException {
    assumeTrue(SEED == DOCUMENTED_SEED, "the documented table is for the documented seed");
    String table = table(results().tallies());
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("%s marker in docs/parsing.md", BEGIN).isNotNegative();
    assertThat(end).as("%s marker in docs/parsing.md", END).isGreaterThan(begin);
    String onDisk = doc.substring(begin + BEGIN.length(), end).strip();
    if (Boolean.getBoolean("pixiv.docs.write") && !onDisk.equals(table)) {
      Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + "\n" + table + "\n"
          + doc.substring(end), StandardCharsets.UTF_8);
      onDisk = table;
    }
    assertThat(onDisk).as("docs/parsing.md's mutation table is stale; rewrite it with "
        + "-Dpixiv.docs.write=true -Dtest=MutationTest, or paste:%n%s", table).isEqualTo(table);
  }

  static List<GoldenCorpus.Case> articleCases() {
    return GoldenCorpus.cases().stream()
        .filter(c -> c.kind() == GoldenCorpus.Kind.ARTICLE_HTML)
        .filter(c -> c.expected().path("outcome").asText().equals("ARTICLE"))
        .toList();
  }

  static MutablePage mutate(GoldenCorpus.Case c, Mutation m) {
    ArticleUrl url = ArticleUrl.parse(c.url());
    MutablePage page = new MutablePage(url, c.expected().path("row").path("title").asText(),
        c.body());
    long seed = (SEED * 31 + m.name().hashCode()) * 31 + c.name().hashCode();
    page.applied = m.mutator().apply(page, new Random(seed));
    return page;
  }

  private static Results run() {
    List<Tally> tallies = new ArrayList<>();
    List<Wrong> wrongs = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    List<GoldenCorpus.Case> cases = articleCases();
    for (Mutation m : Mutations.all()) {
      int pages = 0;
      int[] counts = new int[3];
      for (GoldenCorpus.Case c : cases) {
        MutablePage page = mutate(c, m);
        if (!page.applied) {
          continue;
        }
        pages++;
        byte[] body = page.render();
        ParseResult r = PARSER.parse(new Page(page.url, c.httpStatus(), c.contentType(), body));
        List<Wrong> here = judge(m, c, page, r, counts, absent);
        if (!here.isEmpty() || Boolean.getBoolean("pixiv.mutations.keep")) {
          write(OUT.resolve(m.name()).resolve(c.name().replace('/', '-') + ".html"), body, here,
              r);
          wrongs.addAll(here);
        }
      }
      tallies.add(new Tally(m, pages, counts[0], counts[1], counts[2]));
    }
    try {
      Files.createDirectories(OUT);
      // Where the parser gave nothing: the place to look for more "right".
      Files.write(OUT.resolve("absent.tsv"), absent, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Results(List.copyOf(tallies), List.copyOf(wrongs));
  }

  /** Counts right [0], absent [1] and wrong [2] values of one parsed page. */
  static List<Wrong> judge(Mutation m, GoldenCorpus.Case c, MutablePage page, ParseResult r,
      int[] counts, List<String> absent) {
    JsonNode want = readRow(RowJson.write(RowJson.read(c.expected().get("row").toString())));
    JsonNode got = r.outcome() == Outcome.ARTICLE ? readRow(RowJson.write(r.row().orElseThrow()))
        : null;
    Path file = OUT.resolve(m.name()).resolve(c.name().replace('/', '-') + ".html");
    List<Wrong> out = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    // A column the page's own strategies disagree on has no true value to compare with.
    c.expected().path("disagreements").forEach(d -> unknown.add(d.asText()));
    for (String col : COLUMNS) {
      if (unknown.contains(col)) {
        continue;
      }
      JsonNode w = page.removed.contains(col) ? null : value(want, col);
      JsonNode g = got == null ? null : value(got, col);
      if (g == null && w == null) {
        continue;
      }
      if (g == null) {
        counts[1]++;
        absent.add(m.name() + "\t" + c.name() + "\t" + col);
      } else if (g.equals(w)) {
        counts[0]++;
      } else {
        counts[2]++;
        out.add(new Wrong(m.name(), c.name(), file, col, String.valueOf(w), String.valueOf(g)));
      }
    }
    return out;
  }

  private static JsonNode value(JsonNode row, String col) {
    JsonNode v = row.get(col);
    if (v == null || v.isNull() || (v.isArray() && v.isEmpty())) {
      return null;
    }
    return v;
  }

  private static JsonNode readRow(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, byte[] body, List<Wrong> wrongs, ParseResult r) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, body);
      List<String> lines = new ArrayList<>(wrongs.stream().map(Wrong::toString).toList());
      lines.add("outcome: " + r.outcome());
      lines.add("detail: " + r.detail());
      Files.write(Path.of(file + (wrongs.isEmpty() ? ".txt" : ".wrong.txt")), lines,
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  static String table(List<Tally> tallies) {
    StringBuilder s = new StringBuilder(
        "| mutation | what changes | pages | values | right | absent | wrong |\n"
        + "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (Tally t : tallies) {
      s.append("| `").append(t.mutation().name()).append("` | ")
          .append(t.mutation().description()).append(" | ").append(t.pages()).append(" | ")
          .append(t.values()).append(" | ").append(share(t.right(), t.values())).append(" | ")
          .append(share(t.absent(), t.values())).append(" | ").append(wrong(t.wrong(), t.values()))
          .append(" |\n");
    }
    int[] total = new int[4];
    tallies.forEach(t -> {
      total[0] += t.right();
      total[1] += t.absent();
      total[2] += t.wrong();
      total[3] += t.values();
    });
    s.append("| all | | | ").append(total[3]).append(" | ").append(share(total[0], total[3]))
        .append(" | ").append(share(total[1], total[3])).append(" | ")
        .append(wrong(total[2], total[3])).append(" |");
    return s.toString();
  }

  private static String wrong(int n, int of) {
    return share(n, of) + " (" + n + ")";
  }

  private static String share(int n, int of) {
    return of == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / of);
  }
}
