package dev.pixivdic.core.resolve.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameCleanerTest {

  private final NameCleaner cleaner = NameCleaner.defaults();

  @ParameterizedTest(name = "{0} cleans to {1}")
  @CsvSource(delimiter = '|', value = {
      "ＡＢＣ|abc",
      "ﾗﾌﾞﾗｲﾌﾞ|ラブライブ",
      "  初音ミク  |初音ミク",
      "ラブライブ!　サンシャイン!!|ラブライブ! サンシャイン!!",
      "Re:ゼロから始める異世界生活 -Starting Life-|re:ゼロから始める異世界生活",
      "ソードアート・オンライン －アリシゼーション－|ソードアート・オンライン",
      "劇場版 〜約束の日〜|劇場版",
      "劇場版 ～約束の日～|劇場版",
      "ONE PIECE ~FILM~|one piece",
      "-サブタイトル-|-サブタイトル-",
      "X-MEN|x-men",
      "A -b- 〜c〜|a",
  })
  void cleansNamesByTheDocumentedRules(String name, String cleaned) {
    assertThat(cleaner.clean(name)).isEqualTo(cleaned);
  }

  @Test
  void aRuleThatBacktracksWithoutBoundEndsAfterItsReadsNamingTheRuleAndTheName() {
    // (.*a){20}$ tries every way to split the a's into 20 parts at each start, for ever (the
    // JDK's regex engine remembers its way through (a+)+$, but not through this).
    NameCleaner slow = NameCleaner.defaults().plus(List.of(Pattern.compile("(.*a){20}$")));
    String name = "a".repeat(40) + "!";

    assertThatThrownBy(() -> slow.clean(name))
        .isInstanceOf(NameCleaner.RuleFailedException.class)
        .hasMessageContaining("the strip rules read more than 200000000 characters (about a"
            + " second of matching) over the name '" + name + "' (at rule '(.*a){20}$'");
    assertThat(slow.clean("初音ミク -派生-")).as("other names are cleaned as before")
        .isEqualTo("初音ミク");
  }

  @Test
  void whetherARuleFailsANameDependsOnTheReadsNotOnTheLoadOrTheWorkers() throws Exception {
    // Before, the bound was a second of time: (.*a){3}$ over 160 a's took 0.35 s alone and
    // failed every name when 8 workers shared 2 cores, so a run's verdict followed the load.
    NameCleaner rule = NameCleaner.of(List.of(Pattern.compile("(.*a){3}$")));
    String name = "a".repeat(160) + "!"; // about 86 million reads
    java.util.concurrent.ExecutorService eight =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<String>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(eight.submit(() -> rule.clean(name)));
      }
      for (java.util.concurrent.Future<String> f : all) {
        assertThat(f.get()).isEqualTo(name);
      }
    } finally {
      eight.shutdownNow();
    }
    assertThatThrownBy(() -> rule.clean("a".repeat(300) + "!"))
        .as("over its reads on any machine: about 570 million")
        .isInstanceOf(NameCleaner.RuleFailedException.class);
  }

  @Test
  void aRuleThatRecursesOnceACharacterOverALongNameFailsThatNameNotTheThread() throws Exception {
    NameCleaner deep = NameCleaner.of(List.of(Pattern.compile("(?:a|b)*x")));
    String name = "\u2028" + "ab".repeat(20_000);
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
        new java.util.concurrent.atomic.AtomicReference<>();
    // A worker's stack, as the run's threads have, rather than the test's main thread's.
    Thread worker = new Thread(null, () -> {
      try {
        deep.clean(name);
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "worker", 512 * 1024);
    worker.start();
    worker.join();

    assertThat(thrown.get()).isInstanceOf(NameCleaner.RuleFailedException.class)
        .hasMessageContaining("the strip rule '(?:a|b)*x' ran out of stack over the name"
            + " '\\u2028abab")
        .hasMessageContaining("(40001 characters)")
        .as("the message cannot be split into lines by the name").hasMessageNotContaining("\u2028");
  }

  @Test
  void theSearchQueryKeepsCaseButDropsDecorations() {
    assertThat(cleaner.query("ＯＮＥ　ＰＩＥＣＥ -ワンピース-")).isEqualTo("ONE PIECE");
  }

  @Test
  void aStripRuleStripsOnlyAMatchThatEndsTheNameAnchoredOrNot() {
    NameCleaner c = NameCleaner.of(List.of()).plus(List.of(java.util.regex.Pattern.compile("ミク"),
        java.util.regex.Pattern.compile("\\Q(仮)"), java.util.regex.Pattern.compile("^【[^】]+】")));
    assertThat(c.query("ミク初音ミク")).isEqualTo("ミク初音");
    assertThat(c.query("作品(仮)")).isEqualTo("作品");
    assertThat(c.query("【公式】作品")).isEqualTo("【公式】作品");
  }

  @Test
  void aTitleIsCloserAsWrittenThanInAnotherFormThanUndecorated() {
    NameCleaner c = NameCleaner.defaults();
    assertThat(c.tier("NARUTO", "NARUTO")).isZero();
    assertThat(c.tier(" NARUTO ", "NARUTO")).isZero();
    assertThat(c.tier("NARUTO", "ＮＡＲＵＴＯ")).isEqualTo(1);
    assertThat(c.tier("naruto", "NARUTO")).isEqualTo(1);
    assertThat(c.tier("劇場版 〜約束の日〜", "劇場版 〜約束の日〜")).isZero();
    assertThat(c.tier("劇場版 〜約束の日〜", "劇場版")).isEqualTo(2);
    assertThat(c.tier("劇場版 〜約束の日〜", "劇場版 -派生-")).isEqualTo(-1);
    assertThat(c.tier("初音", "初音ミク")).isEqualTo(-1);
  }

  @Test
  void fullWidthAndHalfWidthVariantsMatch() {
    // Invisible characters are kept: a title holding one is another article.
    assertThat(cleaner.matches("不可視", "不\u00ad可視")).isFalse();
    assertThat(cleaner.matches("不可視", "不可\u200b視")).isFalse();
    assertThat(cleaner.matches("ＡＢＣ", "abc")).isTrue();
    assertThat(cleaner.matches("ﾗﾌﾞﾗｲﾌﾞ", "ラブライブ")).isTrue();
    assertThat(cleaner.matches("ラブライブ", "ﾗﾌﾞﾗｲﾌﾞ")).isTrue();
    assertThat(cleaner.matches("初音ミク", "初音ミク")).isTrue();
  }

  @Test
  void nearMissesDoNotMatch() {
    assertThat(cleaner.matches("初音ミク", "初音ミクV4X")).isFalse();
    assertThat(cleaner.matches("初音ミク", "初音ミク -派生-")).isFalse();
    assertThat(cleaner.matches("初音", "初音ミク")).isFalse();
    assertThat(cleaner.matches("初音ミク", "")).isFalse();
  }

  @Test
  void aDecoratedNameMatchesItsBareTitleAndTheDecoratedTitleItself() {
    assertThat(cleaner.matches("Re:ゼロ -Starting Life-", "Re:ゼロ")).isTrue();
    assertThat(cleaner.matches("Re:ゼロ -Starting Life-", "Re:ゼロ -Starting Life-")).isTrue();
  }

  @Test
  void extraRulesApplyAfterTheDefaults() {
    NameCleaner withSeason = cleaner.plus(List.of(Pattern.compile("\\s*第\\d+期$")));
    assertThat(withSeason.clean("進撃の巨人 第3期")).isEqualTo("進撃の巨人");
    assertThat(cleaner.clean("進撃の巨人 第3期")).isEqualTo("進撃の巨人 第3期");
  }

  @Test
  void noRulesOnlyNormalises() {
    assertThat(NameCleaner.of(List.of()).clean("Re:ゼロ -Starting Life-"))
        .isEqualTo("re:ゼロ -starting life-");
  }

  @Test
  void aRuleMatchingTheEmptyStringIsRefusedWithItsPattern() {
    assertThatThrownBy(() -> NameCleaner.of(List.of(Pattern.compile("\\s*$"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\\s*$");
  }
}
