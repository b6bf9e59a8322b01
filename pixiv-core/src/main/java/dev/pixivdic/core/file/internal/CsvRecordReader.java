package dev.pixivdic.core.file.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 4180 CSV with a header row naming a {@code url} column (any case; or another key column
 * given to the constructor, whose value is then the record's "url"). The other columns pass
 * through; an empty cell is an absent value. A row with fewer cells than the header leaves the
 * missing columns absent; a row with more is rejected. A quote left open (a quoted cell that
 * runs to the end of the input, over 8 KiB of lines, over line ends in the key column, or over a
 * line that reads as a row) stops the reading: the rows it swallowed would be lost in silence.
 */
final class CsvRecordReader implements RecordReader {
  /**
   * The longest cell read at all, 16 MiB, the bound of a line of a text list. A row over {@link
   * UrlListReader#MAX_LINE} is a bad line (an unquoted line of a few MB too, as in a text list);
   * a quoted cell that runs over line ends past that is a quote left open, and a cell over this
   * bound is taken for one as well: reading stops within it (not at the parser's own 20,000,000
   * characters, after which it went on mid-file).
   */
  static final int MAX_CELL = 16 * 1024 * 1024;

  private static final CsvFactory CSV = CsvFactory.builder()
      .enable(CsvParser.Feature.WRAP_AS_ARRAY)
      .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_CELL).build())
      .build();

  private final String source;
  private final String column;
  private final LineTail lines;
  private final CsvParser parser;
  private List<String> header;
  private int urlColumn = -1;
  private boolean started;
  private long lastErrorOffset = -1;

  CsvRecordReader(Reader in, String source) throws IOException {
    this(in, source, "url");
  }

  CsvRecordReader(Reader in, String source, String column) throws IOException {
    this.source = source;
    this.column = column;
    this.lines = new LineTail(in);
    this.parser = CSV.createParser(lines);
  }

  @Override
  public Raw next() throws IOException {
    if (header == null && !readHeader()) {
      return null;
    }
    Row row = readRow();
    if (row == null) {
      return null;
    }
    if (row.problem != null) {
      return Raw.bad(row.line, row.problem);
    }
    List<String> cells = row.cells;
    if (cells.size() > header.size()) {
      return Raw.bad(row.line,
          "expected " + header.size() + " columns as in the header, found " + cells.size());
    }
    String url = urlColumn < cells.size() ? cells.get(urlColumn).strip() : "";
    if (url.isEmpty()) {
      return Raw.bad(row.line, "the '" + column + "' cell is empty");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      String name = header.get(i);
      if (i != urlColumn && !cells.get(i).isEmpty() && !name.isEmpty()) {
        attributes.putIfAbsent(name, cells.get(i));
      }
    }
    return Raw.ok(row.line, url, attributes);
  }

  private boolean readHeader() throws IOException {
    Row row = readRow();
    if (row == null) {
      return false;
    }
    if (row.problem != null) {
      throw new BadSourceLineException(source, row.line, "unreadable CSV header: " + row.problem);
    }
    List<String> names = new ArrayList<>();
    List<Integer> caseless = new ArrayList<>();
    for (String cell : row.cells) {
      String name = cell.strip();
      if (name.equals(column) && urlColumn < 0) {
        urlColumn = names.size();
      }
      if (name.equalsIgnoreCase(column)) {
        caseless.add(names.size());
      }
      names.add(name);
    }
    // As for NDJSON: the column named exactly wins, wherever it stands; two that differ only
    // in case, without it, are ambiguous (the first one was taken in silence).
    if (urlColumn < 0 && caseless.size() > 1) {
      String a = names.get(caseless.get(0));
      String b = names.get(caseless.get(1));
      throw new BadSourceLineException(source, row.line, "both '" + a + "' and '" + b
          + "' could be the '" + column + "' column; rename the one meant to '" + column
          + "', or ask for the column '" + a + "' or '" + b + "' as written");
    }
    if (urlColumn < 0 && caseless.size() == 1) {
      urlColumn = caseless.get(0);
    }
    if (urlColumn < 0) {
      throw new BadSourceLineException(source, row.line,
          "the CSV header has no '" + column + "' column; found " + names);
    }
    refuseTwice(names, row.line);
    header = names;
    return true;
  }

  /**
   * Refuses a header naming one column twice, or two that differ only in case (BigQuery, where
   * pass-through columns go, does not tell them apart): one cell of each row was dropped in
   * silence (the second {@code url} was never fetched). Another spelling of the key column is
   * left to the rule above (the one named exactly is the key), but only one.
   */
  private void refuseTwice(List<String> names, long line) throws BadSourceLineException {
    String key = names.get(urlColumn);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name.isEmpty() || i == urlColumn) {
        continue;
      }
      Integer first = name.equals(key) ? Integer.valueOf(urlColumn)
          : seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
      if (first != null) {
        String earlier = names.get(first);
        int a = Math.min(first, i) + 1;
        int b = Math.max(first, i) + 1;
        throw new BadSourceLineException(source, line, "the CSV header names the column '"
            + earlier + "'" + (earlier.equals(name) ? "" : " and '" + name + "', which differ"
            + " only in case,") + " twice (columns " + a + " and " + b + "): one cell of every"
            + " row would be lost; rename or drop one of them");
      }
    }
  }

  private static final class Row {
    long line = -1;
    long length;
    int count;
    final List<String> cells = new ArrayList<>();
    String problem;
  }

  /** The next row, skipping to its end after a syntax error; null at the end of input. */
  private Row readRow() throws IOException {
    if (!started) {
      // The whole document is one outer array of row arrays.
      started = true;
      if (nextToken(null) != JsonToken.START_ARRAY) {
        return null;
      }
    }
    if (nextToken(null) != JsonToken.START_ARRAY) {
      return null;
    }
    Row row = new Row();
    while (true) {
      JsonToken v = nextToken(row);
      if (v == null || v == JsonToken.END_ARRAY) {
        if (row.line < 0) {
          row.line = Math.max(1, parser.currentLocation().getLineNr());
        }
        return row;
      }
      if (v.isScalarValue()) {
        if (row.line < 0) {
          row.line = parser.currentTokenLocation().getLineNr();
        }
        String cell = parser.getText();
        if (cell.indexOf(UrlListReader.NOT_UTF8) >= 0 && row.problem == null) {
          row.problem = UrlListReader.NOT_UTF8_MESSAGE;
        }
        int index = row.count++;
        row.length += cell.length() + 1;
        if (row.length > UrlListReader.MAX_LINE && spansLines(cell)) {
          // A quoted field that runs over line ends past the row bound is a quote left open:
          // the lines it swallowed were rows, lost as one bad line.
          throw openQuote(row.line, null);
        }
        if (header != null && spansLines(cell)) {
          refuseSwallowedRows(index, cell, parser.currentTokenLocation().getLineNr());
        }
        if (row.length > UrlListReader.MAX_LINE) {
          if (row.problem == null) {
            row.problem = "the row is over " + UrlListReader.MAX_LINE + " characters long;"
                + " skipped unread";
          }
          row.cells.clear();
          continue;
        }
        row.cells.add(cell);
      }
    }
  }

  private JsonToken nextToken(Row row) throws IOException {
    while (true) {
      // Where the next cell starts: a quoted one that breaks off on a later line ran over line
      // ends, and its text never reaches a token.
      long before = parser.currentLocation().getLineNr();
      try {
        return parser.nextToken();
      } catch (JsonProcessingException e) {
        long line = lineOf(e.getLocation());
        String message = "malformed CSV: " + e.getOriginalMessage();
        long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
        boolean stuck = offset >= 0 && offset == lastErrorOffset;
        lastErrorOffset = offset;
        if (e.getOriginalMessage().startsWith("String value length")) {
          // A cell over MAX_CELL: a quote left open, as below, whatever follows it.
          throw openQuote(row != null && row.line > 0 ? row.line
              : lineOf(parser.currentTokenLocation()), e);
        }
        if (e.getOriginalMessage().startsWith("Missing closing quote")) {
          // It swallowed the rest of the input, rows and all: named where it opened.
          throw new BadSourceLineException(source, row != null && row.line > 0 ? row.line
              : lineOf(parser.currentTokenLocation()),
              "a quoted field opened here has no closing quote before the end of the file:"
              + " a quote left open? Close or double the quote (\"\")", e);
        }
        if (row != null && header != null && before > 0 && line > before) {
          refuseBrokenCell(row.count, before, line, e);
        }
        if (row == null || stuck) {
          // Nothing after an unclosed quote can be trusted: it swallowed the rest of the input.
          throw new BadSourceLineException(source, row != null && row.line > 0 ? row.line : line,
              message, e);
        }
        if (row.problem == null) {
          row.problem = message;
          if (row.line < 0) {
            row.line = line;
          }
        }
      }
    }
  }

  /**
   * Refuses a quoted cell that holds line ends where they are a quote left open, however short
   * the cell: one in the key column (no URL or name holds a line break), or one with a line
   * that reads as a row of the file (its first cell, or its cell where the key column stands,
   * starts with {@code http://} or {@code https://}). A stray quote closed by another one a few
   * rows further on swallowed those rows into one cell, in silence. Text over several lines in
   * another column, without such a line, is read as it is.
   *
   * @param index the cell's column, from 0
   * @param opened the line where the cell opened
   */
  private void refuseSwallowedRows(int index, String cell, long opened)
      throws BadSourceLineException {
    String[] cellLines = cell.split("\r\n|\r|\n", -1);
    List<Long> rows = new ArrayList<>();
    for (int i = 1; i < cellLines.length; i++) {
      if (readsAsRow(cellLines[i])) {
        rows.add(opened + i);
      }
    }
    refuse(index, opened, opened + cellLines.length - 1, rows, null);
  }

  /**
   * As {@link #refuseSwallowedRows}, for a quoted cell that ran from line {@code opened} over
   * line ends and broke off on line {@code broke}, at a character after its closing quote: a
   * stray quote closed by the one that opens a later row ({@code "https://...}), whose rows
   * were lost as one bad line. The swallowed lines are read back from {@link #lines}; when they
   * are no longer kept, the cell ran on for tens of KiB, a quote left open as any cell over
   * {@link UrlListReader#MAX_LINE}.
   */
  private void refuseBrokenCell(int index, long opened, long broke, Throwable cause)
      throws BadSourceLineException {
    List<Long> rows = new ArrayList<>();
    for (long n = opened + 1; n <= broke; n++) {
      Optional<String> text = lines.line(n);
      if (text.isEmpty()) {
        throw openQuote(opened, cause);
      }
      if (readsAsRow(text.get())) {
        rows.add(n);
      }
    }
    refuse(index, opened, broke, rows, cause);
  }

  private void refuse(int index, long opened, long last, List<Long> rows, Throwable cause)
      throws BadSourceLineException {
    String fix = "; close the quote where the cell ends, or double it (\"\") where it is part"
        + " of the text";
    String swallowed = "It swallowed line" + (last > opened + 1 ? "s " + (opened + 1) + " to "
        + last : " " + last) + ", up to the next quote";
    if (index == urlColumn) {
      throw new BadSourceLineException(source, opened, "the quoted '" + column + "' cell"
          + " opened here runs over a line end, which no " + column + " holds: a quote left"
          + " open? " + swallowed + fix, cause);
    }
    if (!rows.isEmpty()) {
      String name = index < header.size() && !header.get(index).isEmpty()
          ? "'" + header.get(index) + "'" : String.valueOf(index + 1);
      String read = rows.size() == 1 ? "its line " + rows.get(0) + " reads as a row (it starts"
          + " with a URL)" : "its lines " + ranges(rows) + " read as rows (they start with a URL)";
      throw new BadSourceLineException(source, opened, "the quoted field opened here (column "
          + name + ") runs over line ends, and " + read + ": a quote left open? " + swallowed
          + fix, cause);
    }
  }

  /** Line numbers in order as ranges ({@code 4 to 6, 9}), the first ten of them. */
  static String ranges(List<Long> numbers) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    int i = 0;
    while (i < numbers.size()) {
      int j = i;
      while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) {
        j++;
      }
      if (shown++ == 10) {
        out.append(" and ").append(numbers.size() - i).append(" more");
        break;
      }
      out.append(out.length() == 0 ? "" : ", ").append(numbers.get(i));
      if (j > i) {
        out.append(" to ").append(numbers.get(j));
      }
      i = j + 1;
    }
    return out.toString();
  }

  /** Whether a line of a cell reads as a row of a file whose key column is {@link #urlColumn}. */
  private boolean readsAsRow(String line) {
    String[] cells = line.split(",", -1);
    return isUrl(cells[0]) || urlColumn < cells.length && isUrl(cells[urlColumn]);
  }

  private static boolean isUrl(String cell) {
    String s = cell.strip();
    if (s.startsWith("\"")) {
      s = s.substring(1);
    }
    return s.regionMatches(true, 0, "http://", 0, 7) || s.regionMatches(true, 0, "https://", 0, 8);
  }

  private static boolean spansLines(String cell) {
    return cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0;
  }

  private BadSourceLineException openQuote(long line, Throwable cause) {
    return new BadSourceLineException(source, line, "a quoted field opened here runs over line"
        + " ends for more than " + UrlListReader.MAX_LINE + " characters: a quote left open?"
        + " Nothing after it can be trusted; close or double the quote (\"\")", cause);
  }

  private static long lineOf(JsonLocation location) {
    return location == null ? 1 : Math.max(1, location.getLineNr());
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
