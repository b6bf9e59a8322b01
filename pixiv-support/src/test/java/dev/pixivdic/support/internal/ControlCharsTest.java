package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharsTest {
  @Test
  void wholeCharactersOutsideTheBasicPlanePassAndHalvesAreNamedWithTheirIndex() {
    assertThat(ControlChars.first("😀ミク😀")).isEmpty();
    assertThat(ControlChars.first("ミク\ud83d")).hasValueSatisfying(
        m -> assertThat(m).startsWith("an unpaired surrogate U+D83D at index 2"));
    assertThat(ControlChars.first("\ude00😀")).hasValueSatisfying(
        m -> assertThat(m).startsWith("an unpaired surrogate U+DE00 at index 0"));
    assertThat(ControlChars.first("\ud83d\ud83d\ude00")).hasValueSatisfying(
        m -> assertThat(m).startsWith("an unpaired surrogate U+D83D at index 0"));
  }

  @Test
  void aControlCharacterIsNamedWithItsIndex() {
    assertThat(ControlChars.first("a\tb")).hasValue("a control character U+0009 at index 1");
  }
}
