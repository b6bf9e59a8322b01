package dev.pixivdic.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.support.cli.FileName;
import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pixiv trends}: the weekly table of the BigQuery view, from an NDJSON history. */
@Command(name = "trends", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Print the weekly counts of each article from an NDJSON history, with their change.",
    description = {"One row per article and ISO week (Asia/Tokyo): the counts of "
        + "the week's newest row,",
        "and their change from the week before, empty where that week has no row. The same table",
        "as the BigQuery view <table>_weekly (docs/bigquery.md). Exit 0, or 2 when the "
            + "file cannot be read",
        "or none of its lines is a row (an empty file is an empty table)."})
final class TrendsCommand implements Callable<Integer> {

  /** Lines that are not rows are named up to this many; the rest are only counted. */
  private static final int MAX_NAMED_BAD_LINES = 5;

  /** Output formats. */
  enum Format { table, csv }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1",
      description = "The NDJSON rows written by `pixiv scrape` (e.g. "
          + "out/pixiv_detail_info.ndjson).")
  Path file;

  @Option(names = "--format", paramLabel = "table|csv", defaultValue = "table",
      description = "table (aligned, for a terminal) or csv (every column of the view; "
          + "default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--url", paramLabel = "URL",
      description = "Only this article (repeatable); any spelling of its URL.")
  List<String> urls = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Set<String> only = new HashSet<>();
    for (String u : urls) {
      var parsed = ArticleUrl.tryParse(u);
      if (parsed.isEmpty()) {
        err.println("pixiv trends: --url is not an article URL of dic.pixiv.net: " + u);
        return ExitCodes.USAGE;
      }
      only.add(parsed.get().canonical());
    }
    String notRows = notRows(file);
    if (notRows != null) {
      err.println("pixiv trends: " + file + " " + notRows + "; give the NDJSON file of pixiv"
          + " scrape's --sink, e.g. out/pixiv_detail_info.ndjson");
      return ExitCodes.USAGE;
    }
    WeeklyTrends trends = new WeeklyTrends();
    long rows = 0;
    long bad = 0;
    long noWeek = 0;
    try (Utf8Lines in = new Utf8Lines(Files.newInputStream(file))) {
      while (true) {
        String line;
        ArticleRow row;
        String why;
        try {
          line = in.next();
          if (line == null) {
            break;
          }
          if (line.isBlank()) {
            continue;
          }
          row = RowJson.read(line);
          why = WeeklyTrends.noWeek(row);
        } catch (CharacterCodingException | Utf8Lines.TooLongException
            | IllegalArgumentException e) {
          // A torn last line (the next scrape repairs it) or a foreign line: the rest still counts.
          String reason = e instanceof CharacterCodingException ? "not UTF-8 text" : e.getMessage();
          skipped(err, ++bad, in.number(), "not a row: " + reason);
          continue;
        }
        if (why != null) {
          noWeek++;
          skipped(err, ++bad, in.number(), "not a week: " + why);
          continue;
        }
        rows++;
        if (only.isEmpty() || only.contains(row.url())) {
          trends.add(row);
        }
      }
    } catch (NoSuchFileException e) {
      err.println("pixiv trends: no such file: " + file);
      return ExitCodes.USAGE;
    } catch (IOException e) {
      err.println("pixiv trends: cannot read " + file + ": " + Outcomes.message(e));
      return ExitCodes.USAGE;
    }
    if (rows == 0 && noWeek == 0 && bad > 0) {
      // An HTML page, a resolution file, a lock file: not the history the user meant.
      err.println("pixiv trends: no line of " + file + " is a row of pixiv scrape (" + bad
          + " lines skipped): give the NDJSON file of its --sink, e.g. "
          + "out/pixiv_detail_info.ndjson");
      return ExitCodes.USAGE;
    }
    List<WeeklyTrends.Week> weeks = trends.weeks();
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (format == Format.csv) {
        csv(weeks, out);
      } else {
        table(weeks, out);
      }
    } catch (IOException e) {
      err.println("pixiv trends: cannot write the table: " + e);
      return ExitCodes.USAGE;
    }
    out.flush();
    err.printf(Locale.ROOT, "pixiv trends: %d rows read, %d weeks of %d articles%s%n", rows,
        weeks.size(), weeks.stream().map(WeeklyTrends.Week::url).distinct().count(),
        bad == 0 ? "" : bad == 1 ? ", 1 line skipped" : ", " + bad + " lines skipped");
    return ExitCodes.OK;
  }

  /** Names the {@code count}th skipped line, up to {@link #MAX_NAMED_BAD_LINES} of them. */
  private void skipped(PrintWriter err, long count, long number, String why) {
    if (count <= MAX_NAMED_BAD_LINES) {
      err.println("pixiv trends: " + file + ":" + number + ": skipped, " + shown(why));
    }
  }

  /**
   * Text from the file (a title comes from the site) as a terminal may show it: control
   * characters and the line separators as escapes ({@link LogText#escaped}), and so are the
   * bidirectional formatting characters, which would reorder what follows them on the line.
   */
  static String shown(String text) {
    String escaped = LogText.escaped(text);
    StringBuilder out = new StringBuilder(escaped.length());
    escaped.codePoints().forEach(c -> {
      if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  /** Every column of the BigQuery view, in its order. */
  static List<String> csvColumns() {
    List<String> cols = new ArrayList<>(List.of("url", "week", "iso_year", "iso_week", "title",
        "loaded_at"));
    for (WeeklyTrends.Count c : WeeklyTrends.Count.values()) {
      cols.add(c.column);
    }
    for (WeeklyTrends.Count c : WeeklyTrends.Count.values()) {
      cols.add(c.column + "_change");
    }
    return cols;
  }

  /**
   * Why {@code file} cannot hold rows, or null: a directory, or a device ({@code /dev/zero} was
   * read for ever, one endless line). A pipe is read ({@code pixiv trends <(zcat rows.gz)}).
   */
  private static String notRows(Path file) {
    FileName.Kind kind = FileName.kind(file);
    if (kind == FileName.Kind.DIRECTORY) {
      return "is a directory";
    }
    // Missing: said when it is opened.
    return kind == FileName.Kind.DEVICE ? "is a device, not a file" : null;
  }

  private static void csv(List<WeeklyTrends.Week> weeks, PrintWriter out) throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    csvColumns().forEach(schema::addColumn);
    // The writer is the command's stdout: the command's caller closes it.
    CsvMapper mapper = CsvMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    try (var writer = mapper.writer(schema.build()).writeValues(out)) {
      for (WeeklyTrends.Week w : weeks) {
        List<Object> values = new ArrayList<>(List.of(w.url(), w.monday().toString(),
            w.isoYear(), w.isoWeek(), w.title() == null ? "" : w.title(), w.loadedAt().toString()));
        w.counts().forEach(c -> values.add(c == null ? "" : c));
        w.changes().forEach(c -> values.add(c == null ? "" : c));
        writer.write(values);
      }
    }
  }

  private static void table(List<WeeklyTrends.Week> weeks, PrintWriter out) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"week", "views", "+/-", "works", "+/-", "comments", "+/-",
        "checklists", "+/-", "title"});
    for (WeeklyTrends.Week w : weeks) {
      String[] cells = new String[10];
      cells[0] = String.format(Locale.ROOT, "%d-W%02d", w.isoYear(), w.isoWeek());
      for (int i = 0; i < 4; i++) {
        Long count = w.counts().get(i);
        Long change = w.changes().get(i);
        cells[1 + 2 * i] = count == null ? "" : count.toString();
        cells[2 + 2 * i] = change == null ? "" : (change > 0 ? "+" : "") + change;
      }
      // The CSV keeps the title as it is; the terminal gets escapes (shown) for a row a line.
      cells[9] = shown(w.title() == null ? w.url() : w.title());
      lines.add(cells);
    }
    int[] width = new int[10];
    for (String[] l : lines) {
      for (int i = 0; i < 9; i++) {
        width[i] = Math.max(width[i], l[i].length());
      }
    }
    for (String[] l : lines) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 9; i++) {
        // The week is text, read from the left; numbers line up on the right.
        String pad = " ".repeat(width[i] - l[i].length());
        s.append(i == 0 ? l[i] + pad : pad + l[i]).append("  ");
      }
      // The title comes last: its width on a terminal depends on its script.
      out.println(s.append(l[9]));
    }
  }
}
