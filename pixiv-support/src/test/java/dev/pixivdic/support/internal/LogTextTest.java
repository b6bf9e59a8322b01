package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void controlCharactersAndLineSeparatorsCannotBreakALogLine() {
    String forged = "ok\r\nERROR forged\tline\u001b[2J\u0000\u2028\u2029end";

    String escaped = LogText.escaped(forged);

    assertThat(escaped).isEqualTo(
        "ok\\r\\nERROR forged\\tline\\u001b[2J\\u0000\\u2028\\u2029end");
    assertThat(escaped).doesNotContain("\n", "\r", "\t", "\u001b", "\u2028", "\u2029");
  }

  @Test
  void plainTextIncludingJapaneseAndEmojiIsKeptAsItIs() {
    assertThat(LogText.escaped("ピクシブ百科事典 😀 a/b?c=d")).isEqualTo("ピクシブ百科事典 😀 a/b?c=d");
  }

  @Test
  void aLongTextIsCutAndSaysHowLongItWas() {
    assertThat(LogText.escaped("abcdefghij", 4)).isEqualTo("abcd... (10 characters)");
    assertThat(LogText.escaped("abcd", 4)).isEqualTo("abcd");
  }

  @Test
  void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
    String cut = LogText.escaped("a😀😀", 2);

    assertThat(cut).startsWith("a😀").endsWith("... (5 characters)");
  }

  @Test
  void marksThatReorderOrHideTextAndHalfCharactersAreEscaped() {
    String hidden = "a\u202eb\u2066c\u200fd\ufeffe\ud83df\ude00";

    assertThat(LogText.escaped(hidden))
        .isEqualTo("a\\u202eb\\u2066c\\u200fd\\ufeffe\\ud83df\\ude00");
    // A joiner inside an emoji sequence, and a whole pair, are text.
    assertThat(LogText.escaped("👨\u200d👩 😀")).isEqualTo("👨\u200d👩 😀");
  }
}
