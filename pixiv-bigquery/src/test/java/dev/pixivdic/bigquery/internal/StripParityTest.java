package dev.pixivdic.bigquery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StripParityTest {

  /**
   * The pattern {@link Sql#strip} hands to REGEXP_REPLACE, read by Java's engine (same syntax
   * here).
   */
  static final Pattern ENDS = Pattern.compile("^" + Sql.WHITESPACE_CLASS + "+|"
      + Sql.WHITESPACE_CLASS + "+$");

  @Test
  void theWhiteSpaceClassIsExactlyWhatStringStripRemovesForEveryCodePoint() {
    Pattern one = Pattern.compile(Sql.WHITESPACE_CLASS);
    List<String> differing = new ArrayList<>();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      String s = new String(Character.toChars(cp));
      if (one.matcher(s).matches() != s.strip().isEmpty()) {
        differing.add(String.format("U+%04X", cp));
      }
    }
    assertThat(differing).isEmpty();
  }

  @Test
  void replacingTheEndsGivesWhatStripGives() {
    for (String s : new String[] {"  初音ミク\t", "\u3000東方Project\u3000", "a b", "\u00a0nbsp\u00a0",
        "\n\r\u2028x\u2029", "   ", "", "x\u200b"}) {
      assertThat(ENDS.matcher(s).replaceAll("")).as(s).isEqualTo(s.strip());
    }
  }

  @Test
  void theKeyExpressionWrapsItsArgumentAndCarriesNoQuoteButItsOwn() {
    assertThat(Sql.strip("k")).isEqualTo("REGEXP_REPLACE(k, r'^" + Sql.WHITESPACE_CLASS + "+|"
        + Sql.WHITESPACE_CLASS + "+$', '')");
    assertThat(Sql.WHITESPACE_CLASS).doesNotContain("'");
  }
}
