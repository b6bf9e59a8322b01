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
  void malformedCrawlDelaysAreIgnored() {
    RobotsRules rules = RobotsRules.parse("User-agent: *\nCrawl-delay: soon\n", "pixiv-dic");
    assertThat(rules.crawlDelay()).isEmpty();
    assertThat(RobotsRules.parse("User-agent: *\nCrawl-delay: 0.5\n", "x").crawlDelay())
        .contains(Duration.ofMillis(500));
  }
}
