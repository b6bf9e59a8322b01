package dev.pixivdic.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why a text is not valid JSON, and where, for a person: Jackson's messages end with
 * {@code at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line:
 * 1, column: 7]} and name characters by their code, which tell a user of the command nothing.
 * Stateless.
 */
public final class JsonErrors {

  /** A location as Jackson writes it inside its messages. */
  private static final Pattern SOURCE = Pattern.compile(
      "\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", Pattern.DOTALL);
  /** A character as Jackson names it: {@code ('}' (code 125))}. */
  private static final Pattern CHARACTER = Pattern.compile("\\(('.*?'|\\S+) \\(code \\d+\\)\\)");
  private static final Pattern UNCLOSED = Pattern.compile(
      "Unexpected end-of-input: expected close marker for (Object|Array) \\(start marker at "
          + "line (\\d+), column (\\d+)\\)");

  private JsonErrors() {}

  /**
   * Why the text is not valid JSON, in a few words and without Jackson's names or its location
   * text: {@code unexpected character '}': was expecting double-quote to start field name}, or
   * {@code the text ends before the object opened at line 1, column 1 is closed}.
   *
   * @param withLine whether to say the line of a place named in it ({@link #where})
   */
  public static String reason(JsonProcessingException e, boolean withLine) {
    String m = e.getOriginalMessage();
    if (m == null || m.isBlank()) {
      return "malformed JSON";
    }
    m = SOURCE.matcher(m).replaceAll("line $1, column $2");
    m = CHARACTER.matcher(m).replaceAll("$1");
    Matcher unclosed = UNCLOSED.matcher(m);
    if (unclosed.find()) {
      m = "the text ends before the " + unclosed.group(1).toLowerCase(Locale.ROOT)
          + " opened at " + (withLine ? "line " + unclosed.group(2) + ", " : "") + "column "
          + unclosed.group(3) + " is closed";
    }
    m = m.strip().replaceAll("\\s+", " ");
    return Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  /**
   * Where the error is: {@code line 3, column 7}; {@code column 7} when {@code withLine} is false
   * (the caller names the line itself); empty when Jackson does not know.
   */
  public static String where(JsonProcessingException e, boolean withLine) {
    JsonLocation at = e.getLocation();
    if (at == null || at.getColumnNr() < 1) {
      return "";
    }
    return withLine && at.getLineNr() > 0 ? "line " + at.getLineNr() + ", column "
        + at.getColumnNr() : "column " + at.getColumnNr();
  }

  /**
   * {@code not valid JSON at line 3, column 7: unexpected character '}': ...}, as a message says
   * it.
   *
   * @param withLine whether to say the line too ({@link #where})
   */
  public static String describe(JsonProcessingException e, boolean withLine) {
    String where = where(e, withLine);
    return "not valid JSON" + (where.isEmpty() ? "" : " at " + where) + ": "
        + reason(e, withLine);
  }
}
