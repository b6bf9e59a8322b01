package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RobotsRulesTest {

  private static final String ROBOTS = String.join("\n",
      "# comment",
      "User-agent: *",
      "Disallow: /search",
      "Disallow: /private/",
      "Allow: /private/open",
      "Disallow: /*.json$",
      "Crawl-delay: 3",
      "",
      "User-agent: other-bot",
      "Disallow: /");

  @Test
  void theStarGroupAppliesWhenNoGroupNamesOurToken() {
    RobotsRules rules = RobotsRules.parse(ROBOTS, "pixiv-dic");
    assertThat(rules.allows("/a/foo")).isTrue();
    assertThat(rules.allows("/search?q=x")).isFalse();
    assertThat(rules.allows("/private/x")).isFalse();
    assertThat(rules.crawlDelay()).contains(Duration.ofSeconds(3));
  }

  @Test
  void theLongestMatchWinsAndAllowWinsTies() {
    RobotsRules rules = RobotsRules.parse(ROBOTS, "pixiv-dic");
    assertThat(rules.allows("/private/open/page")).isTrue();
    RobotsRules tie = RobotsRules.parse("User-agent: *\nDisallow: /a\nAllow: /a\n", "pixiv-dic");
    assertThat(tie.allows("/a/b")).isTrue();
  }

  @Test
  void wildcardsAndEndAnchorsAreHonoured() {
    RobotsRules rules = RobotsRules.parse(ROBOTS, "pixiv-dic");
    assertThat(rules.allows("/a/data.json")).isFalse();
    assertThat(rules.allows("/a/data.json?x=1")).isTrue();
  }

  @Test
  void aGroupNamingOurTokenReplacesTheStarGroup() {
    String text = ROBOTS + "\n\nUser-agent: Pixiv-Dic\nUser-agent: other\nDisallow: /a/\n";
    RobotsRules rules = RobotsRules.parse(text, "pixiv-dic");
    assertThat(rules.allows("/a/foo")).isFalse();
    assertThat(rules.allows("/search")).isTrue();
    assertThat(rules.crawlDelay()).isEmpty();
  }

  @Test
  void anEmptyDisallowAllowsEverythingAndRobotsTxtIsAlwaysAllowed() {
    RobotsRules rules = RobotsRules.parse("User-agent: *\nDisallow:\n", "pixiv-dic");
    assertThat(rules.allows("/anything")).isTrue();
    RobotsRules all = RobotsRules.parse("User-agent: *\nDisallow: /\n", "pixiv-dic");
    assertThat(all.allows("/a/x")).isFalse();
    assertThat(all.allows("/robots.txt")).isTrue();
  }

  @Test
  void nonAsciiPatternsMatchPercentEncodedPaths() {
    RobotsRules rules = RobotsRules.parse("User-agent: *\nDisallow: /a/初音\n", "pixiv-dic");
    assertThat(rules.allows("/a/%e5%88%9d%e9%9f%b3ミク".replace("ミク", "%E3%83%9F"))).isFalse();
    assertThat(rules.allows("/a/%E3%83%9F")).isTrue();
  }

  @Test
  void noMatchingGroupAllowsEverything() {
    RobotsRules rules = RobotsRules.parse("User-agent: other\nDisallow: /\n", "pixiv-dic");
    assertThat(rules.allows("/a/x")).isTrue();
    assertThat(rules.crawlDelay()).isEmpty();
  }

  @Test
  void aCrawlDelayOfMoreThanADayIsReadAsItIsNotAsDisallowingEverything() {
    RobotsRules r = RobotsRules.parse("User-agent: *\nCrawl-delay: 86401\n", "pixiv-dic");

    assertThat(r.allows("/a/x")).isTrue();
    assertThat(r.crawlDelay()).contains(Duration.ofSeconds(86401));
  }

  @Test
  void malformedCrawlDelaysAreIgnored() {
    RobotsRules rules = RobotsRules.parse("User-agent: *\nCrawl-delay: soon\n", "pixiv-dic");
    assertThat(rules.crawlDelay()).isEmpty();
    assertThat(RobotsRules.parse("User-agent: *\nCrawl-delay: 0.5\n", "x").crawlDelay())
        .contains(Duration.ofMillis(500));
  }

  // RFC 9309, section 5.1 (the example file) and 2.2.2 (longest match, allow wins a tie).
  private static final String RFC_EXAMPLE = String.join("\n",
      "User-Agent: *",
      "Disallow: *.gif$",
      "Disallow: /example/",
      "Allow: /publications/",
      "",
      "User-Agent: foobot",
      "Disallow:/",
      "Allow:/example/page.html",
      "Allow:/example/allowed.gif",
      "",
      "User-Agent: barbot",
      "User-Agent: bazbot",
      "Disallow: /example/page.html",
      "",
      "User-Agent: quxbot",
      "");

  @Test
  void theRfcExampleFileGivesTheRfcAnswers() {
    RobotsRules foobot = RobotsRules.parse(RFC_EXAMPLE, "foobot");
    assertThat(foobot.allows("/example/page.html")).isTrue();
    assertThat(foobot.allows("/example/allowed.gif")).isTrue();
    assertThat(foobot.allows("/other")).isFalse();
    RobotsRules barbot = RobotsRules.parse(RFC_EXAMPLE, "barbot");
    assertThat(barbot.allows("/example/page.html")).isFalse();
    assertThat(barbot.allows("/example/other.html")).isTrue();
    RobotsRules quxbot = RobotsRules.parse(RFC_EXAMPLE, "quxbot");
    assertThat(quxbot.allows("/example/page.html")).isTrue();
    RobotsRules other = RobotsRules.parse(RFC_EXAMPLE, "pixiv-dic");
    assertThat(other.allows("/a.gif")).isFalse();
    assertThat(other.allows("/example/x")).isFalse();
    assertThat(other.allows("/publications/x")).isTrue();
  }

  @Test
  void theRfcMatchingExamplesHold() {
    RobotsRules r = RobotsRules.parse(String.join("\n", "User-agent: *",
        "Allow: /example/page/", "Disallow: /example/page/disallowed.gif",
        "Allow: /this/*/$", "Disallow: /this/", "Disallow: /*.php$"), "pixiv-dic");
    assertThat(r.allows("/example/page/")).isTrue();
    assertThat(r.allows("/example/page/disallowed.gif")).isFalse();
    assertThat(r.allows("/this/a/")).isTrue();
    assertThat(r.allows("/this/a/b")).isFalse();
    assertThat(r.allows("/index.php")).isFalse();
    assertThat(r.allows("/index.php5")).isTrue();
  }

  @Test
  void aByteOrderMarkBeforeTheFirstGroupChangesNothing() {
    RobotsRules r = RobotsRules.parse("\uFEFFUser-agent: *\nDisallow: /secret\n", "pixiv-dic");
    assertThat(r.allows("/secret/x")).isFalse();
    assertThat(r.allows("/a/x")).isTrue();
  }

  @Test
  void aGroupHeadedByTheFullProductTokenIsOurs() {
    RobotsRules r = RobotsRules.parse("User-agent: *\nDisallow:\n\n"
        + "User-agent: pixiv-dic/1.0\nDisallow: /a/\n", "pixiv-dic");
    assertThat(r.allows("/a/x")).isFalse();
  }

  @Test
  void crlfLineEndsReadAsLineEnds() {
    RobotsRules r = RobotsRules.parse("User-agent: *\r\nDisallow: /x\r\nCrawl-delay: 7\r\n",
        "pixiv-dic");
    assertThat(r.allows("/x/1")).isFalse();
    assertThat(r.crawlDelay()).contains(java.time.Duration.ofSeconds(7));
  }

  @Test
  void manyStarsDoNotBacktrackForLong() {
    String pattern = "/" + "*a".repeat(40) + "b";
    RobotsRules r = RobotsRules.parse("User-agent: *\nDisallow: " + pattern + "\n", "pixiv-dic");
    assertThat(r.allows("/" + "a".repeat(5000))).isTrue();
  }
}
