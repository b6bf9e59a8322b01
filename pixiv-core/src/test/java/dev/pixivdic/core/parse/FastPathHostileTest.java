package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleUrl;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile embedded JSON and markup around it: whatever the page, the fast path either declines
 * or gives exactly the full path's result (outcome, row, provenance, notes).
 */
@Timeout(120)
class FastPathHostileTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final String UTF8 = "text/html; charset=utf-8";
  private static final GoldenCorpus.Case FULL = GoldenCorpus.cases().stream()
      .filter(c -> c.name().equals("article/current-nextdata-full")).findFirst().orElseThrow();
  private static final String HTML = new String(FULL.body(), StandardCharsets.UTF_8);
  private static final String ABSTRACT =
      "\"abstract\": \"クリプトン・フューチャー・メディアが発売した音声合成ソフト、およびそのキャラクター。\"";
  private static final String NODES = "\"nodes\": \"";

  /** Whether the fast path served the page; fails when it served it differently. */
  private static boolean sameAsFullPath(byte[] body, String what) {
    Page page = new Page(ArticleUrl.parse(FULL.url()), 200, UTF8, body);
    ParseResult whole = PARSER.parseWhole(page);
    ParseResult fast = PARSER.parseSkeleton(page);
    if (fast != null) {
      assertThat(fast).as("fast path of %s", what).isEqualTo(whole);
    }
    assertThat(PARSER.parse(page)).as("parse of %s", what).isEqualTo(whole);
    return fast != null;
  }

  private static boolean sameAsFullPath(String html, String what) {
    return sameAsFullPath(html.getBytes(StandardCharsets.UTF_8), what);
  }

  private static String replaced(String target, String replacement) {
    assertThat(HTML).contains(target);
    return HTML.replace(target, replacement);
  }

  private static String withAbstract(String jsonText) {
    return replaced(ABSTRACT, "\"abstract\": \"" + jsonText + "\"");
  }

  private static String withBody(String jsonText) {
    return replaced(NODES, NODES + jsonText);
  }

  /** JSON string text of about {@code bytes} bytes: ASCII, Japanese and escapes mixed. */
  private static List<String> hostileTexts() {
    List<String> texts = new ArrayList<>();
    String[] escapes = {"\\\"", "\\\\", "\\u0022", "\\u005c", "\\u005C", "\\/", "\\n",
        "\\ud83d\\ude00", "\\ud800", "\\udc00x", "\\u0000", "\\b\\f\\r\\t", "\\\\\\\"", "é",
        "初音", "😀", "</p>", "\\u003c/script>"};
    for (int length : new int[] {511, 512, 513, 1030}) {
      for (String escape : escapes) {
        for (int shift = 0; shift < 16; shift += 5) {
          StringBuilder s = new StringBuilder("x".repeat(shift));
          while (s.length() < length) {
            s.append(escape).append("abcdefg".substring(0, s.length() % 7));
          }
          texts.add(s.toString());
        }
      }
      texts.add("a".repeat(length));
      texts.add("ミ".repeat(length / 3));
    }
    return texts;
  }

  @Test
  void longReadAndUnreadStringsWithEveryKindOfEscapeGiveTheFullPathsRow() {
    int fast = 0;
    int pages = 0;
    for (String text : hostileTexts()) {
      if (sameAsFullPath(withAbstract(text), "abstract " + text)) {
        fast++;
      }
      if (sameAsFullPath(withBody(text), "body " + text)) {
        fast++;
      }
      pages += 2;
    }
    // Not vacuous: the fast path served most of them.
    assertThat(fast).isGreaterThan(pages / 2);
  }

  @Test
  void theEntriesFieldsAsLongStringsOrOddNumbersGiveTheFullPathsRow() {
    String longName = "初音ミク".repeat(60);
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("long tag name", replaced("\"tagName\": \"初音ミク\"",
        "\"tagName\": \"" + longName + "\""));
    pages.put("long yomigana", replaced("\"yomigana\": \"はつねみく\"",
        "\"yomigana\": \"" + "は\\\"つ".repeat(200) + "\""));
    pages.put("long image URL", replaced("\"imageUrl\": \"https://i.pximg.net/",
        "\"imageUrl\": \"https://i.pximg.net/" + "a/".repeat(400)));
    pages.put("long category", replaced("\"categories\": [\"音楽\"",
        "\"categories\": [\"" + "音楽".repeat(200) + "\""));
    pages.put("long child", replaced("{\"tagName\": \"雪ミク\"",
        "{\"tagName\": \"" + "雪".repeat(300) + "\""));
    pages.put("long breadcrumb url", replaced("\"url\": \"/category/VOCALOID\"",
        "\"url\": \"/category/" + "V".repeat(700) + "\""));
    pages.put("view count as a long string", replaced("\"articleViewCount\": 2052836",
        "\"articleViewCount\": \"" + "2".repeat(600) + "\""));
    pages.put("view count as a short string", replaced("\"articleViewCount\": 2052836",
        "\"articleViewCount\": \"2052836\""));
    for (String number : List.of("1e3", "2052836.0", "-1", "99999999999999999999", "1E400",
        "0123", "NaN", "0x10", "2052836 ", "null", "true", "[]", "{}", "-0", "1.5e-400")) {
      pages.put("view count " + number, replaced("\"articleViewCount\": 2052836",
          "\"articleViewCount\": " + number));
      pages.put("timestamp " + number, replaced("\"updatedAtTimestamp\": 1717200000",
          "\"updatedAtTimestamp\": " + number));
    }
    pages.put("long query name", replaced("\"query\": {\"name\": \"初音ミク\"}",
        "\"query\": {\"name\": \"" + longName + "\"}"));
    pages.put("long page", replaced("\"page\": \"/a/[name]\"",
        "\"page\": \"/a/[name]" + "x".repeat(600) + "\""));
    for (Map.Entry<String, String> e : pages.entrySet()) {
      sameAsFullPath(e.getValue(), e.getKey());
    }
  }

  @Test
  void longKeysDuplicateKeysAndDeepNestingGiveTheFullPathsRow() {
    String longKey = "k".repeat(700);
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("long key", withBody("\", \"" + longKey + "\": \"" + "v".repeat(600)));
    pages.put("long key named like a read field", withBody("\", \"tagName" + longKey
        + "\": \"x"));
    pages.put("long key before a colon after white space", withBody("\", \"" + longKey
        + "\" \n\t\r : 1, \"z\": \"x"));
    pages.put("tag name twice, the second long", replaced("\"tagName\": \"初音ミク\"",
        "\"tagName\": \"初音ミク\", \"tagName\": \"" + "長".repeat(300) + "\""));
    pages.put("tag name twice, the first long", replaced("\"tagName\": \"初音ミク\"",
        "\"tagName\": \"" + "長".repeat(300) + "\", \"tagName\": \"初音ミク\""));
    pages.put("deep arrays in the body", withBody("\", \"deep\": " + "[".repeat(3000)
        + "]".repeat(3000) + ", \"z\": \"x"));
    pages.put("deep arrays at the limit", withBody("\", \"deep\": " + "[".repeat(990)
        + "]".repeat(990) + ", \"z\": \"x"));
    pages.put("a long number", withBody("\", \"n\": " + "9".repeat(2000) + ", \"z\": \"x"));
    pages.put("a long string where an object is read", replaced(
        "\"mainIllust\": {\"imageUrl\":", "\"mainIllust\": \"" + "m".repeat(600)
            + "\", \"mainIllustX\": {\"imageUrl\":"));
    pages.put("relatedArticles as a long string", replaced("\"relatedArticles\": {",
        "\"relatedArticles\": \"" + "r".repeat(600) + "\", \"relatedArticlesX\": {"));
    for (Map.Entry<String, String> e : pages.entrySet()) {
      sameAsFullPath(e.getValue(), e.getKey());
    }
  }

  @Test
  void brokenJsonNeverGivesARowTheFullPathDoesNotGive() {
    Map<String, String> pages = new LinkedHashMap<>();
    String longText = "y".repeat(700);
    pages.put("unterminated long string", replaced("\"buildId\": \"b1d-2024\"}",
        "\"buildId\": \"b1d-2024" + longText));
    pages.put("unterminated after a long string", replaced("\"buildId\": \"b1d-2024\"}",
        "\"buildId\": \"" + longText + "\""));
    pages.put("a backslash before the closing quote", withBody(longText + "\\"));
    pages.put("an unknown escape in a long string", withBody(longText + "\\x"));
    pages.put("a short \\u escape in a long string", withBody(longText + "\\u12"));
    pages.put("a \\u escape with a non-hex digit", withBody(longText + "\\u12g4"));
    pages.put("a raw tab in a long string", withBody(longText + "\t"));
    pages.put("a raw newline in a long string", withBody(longText + "\n"));
    pages.put("a raw carriage return in a long string", withBody(longText + "\r"));
    pages.put("a raw NUL in a long string", withBody(longText + "\0"));
    pages.put("a raw NUL in the abstract", withAbstract("概要\0"));
    pages.put("a raw tab in the abstract", withAbstract("概要\t"));
    pages.put("a long value used as a key", withBody(longText + "\": 1, \"a\": \"x"));
    pages.put("a trailing comma", replaced("\"buildId\": \"b1d-2024\"}",
        "\"buildId\": \"b1d-2024\",}"));
    pages.put("a comment", replaced("\"buildId\": \"b1d-2024\"}",
        "\"buildId\": \"b1d-2024\" /* " + longText + " */}"));
    pages.put("single quotes", replaced("\"buildId\": \"b1d-2024\"}",
        "'buildId': '" + longText + "'}"));
    pages.put("a second JSON value", replaced("\"buildId\": \"b1d-2024\"}",
        "\"buildId\": \"b1d-2024\"} {\"x\": \"" + longText + "\"}"));
    pages.put("JSON cut in the middle", HTML.substring(0, HTML.indexOf("\"relatedArticles\""))
        + "</script></body></html>");
    for (Map.Entry<String, String> e : pages.entrySet()) {
      sameAsFullPath(e.getValue(), e.getKey());
    }
  }

  @Test
  void malformedUtf8InOrNextToLongStringsGivesTheFullPathsRow() {
    int[][] bad = {{0xff}, {0x80}, {0xc0, 0xaf}, {0xe0, 0x80, 0xaf}, {0xed, 0xa0, 0x80},
        {0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80}, {0xf0, 0x9f, 0x98}, {0xf4, 0x90, 0x80, 0x80},
        {0xe3, 0x22}, {0xe3, 0x5c}, {0xc3}};
    String[] places = {NODES, "\"abstract\": \"", "\"tagName\": \"初音ミク", "\"yomigana\": \""};
    byte[] page = withBody("n".repeat(700)).getBytes(StandardCharsets.UTF_8);
    byte[] longAbstract = withAbstract("a".repeat(600)).getBytes(StandardCharsets.UTF_8);
    for (byte[] base : List.of(page, longAbstract)) {
      String text = new String(base, StandardCharsets.UTF_8);
      for (String place : places) {
        int at = text.indexOf(place) + place.length();
        int offset = text.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
        for (int[] seq : bad) {
          for (int shift : new int[] {0, 1, 8, 9}) {
            sameAsFullPath(inserted(base, offset + shift, seq),
                "bytes " + java.util.Arrays.toString(seq) + " after " + place + " + " + shift);
          }
        }
      }
    }
  }

  @Test
  void aSecondOrHiddenNextDataScriptGivesTheFullPathsRow() {
    String script = HTML.substring(HTML.indexOf("<script id=\"__NEXT_DATA__\""),
        HTML.indexOf("</script>", HTML.indexOf("__NEXT_DATA__")) + "</script>".length());
    String other = script.replace("初音ミク", "偽物").replace("\"id\": 4391", "\"id\": 1");
    String longOther = other.replace(NODES, NODES + "z".repeat(700));
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("a second script after", HTML.replace(script, script + longOther));
    pages.put("a second script before", HTML.replace(script, longOther + script));
    pages.put("one in a textarea", HTML.replace(script, "<textarea>" + longOther
        + "</textarea>" + script));
    pages.put("one in a title", HTML.replace("<title>", "<title>" + longOther));
    pages.put("one in a noscript", HTML.replace(script, "<noscript>" + longOther
        + "</noscript>" + script));
    pages.put("one in a template", HTML.replace(script, "<template>" + longOther
        + "</template>" + script));
    pages.put("one in a style", HTML.replace(script, "<style>" + longOther + "</style>"
        + script));
    pages.put("one in an attribute", HTML.replace(script, "<div title='" + longOther
        + "'></div>" + script));
    pages.put("one in another script", HTML.replace(script, "<script>var s = '"
        + longOther.replace("</script>", "<\\/script>") + "';</script>" + script));
    pages.put("one in an xmp", HTML.replace(script, "<xmp>" + longOther + "</xmp>" + script));
    pages.put("one in svg", HTML.replace(script, "<svg>" + longOther + "</svg>" + script));
    pages.put("one in a comment without an end", HTML.replace(script, "<!-- " + longOther
        + script));
    pages.put("the real one in a comment with a bogus end", HTML.replace(script, "<!-- -!>"
        + longOther + " -->" + script));
    pages.put("the id in upper case", HTML.replace(script, longOther.replace("id=", "ID=")
        + script));
    pages.put("the id as a character reference", HTML.replace(script,
        longOther.replace("__NEXT_DATA__", "&#95;_NEXT_DATA__") + script));
    pages.put("the id unquoted", HTML.replace(script,
        longOther.replace("\"__NEXT_DATA__\"", "__NEXT_DATA__") + script));
    pages.put("the id twice", HTML.replace(script, longOther.replace("id=\"__NEXT_DATA__\"",
        "id=\"other\" id=\"__NEXT_DATA__\"") + script));
    pages.put("an end tag in upper case", HTML.replace(script,
        script.replace("</script>", "</SCRIPT >")));
    pages.put("an end tag with a slash", HTML.replace(script,
        script.replace("</script>", "</script/>")));
    pages.put("a script data escape in a long string", withBody("<!--<script>"
        + "e".repeat(600) + "</script>-->"));
    pages.put("a script data escape without its end", withBody("<!--<script>"
        + "e".repeat(600)));
    pages.put("a lookalike end tag", withBody("</scriptx>" + "e".repeat(600)));
    for (Map.Entry<String, String> e : pages.entrySet()) {
      sameAsFullPath(e.getValue(), e.getKey());
    }
  }

  @Test
  void randomMutationsOfTheEmbeddedJsonGiveTheFullPathsRow() {
    Random random = new Random(20261202);
    byte[] base = withBody("b".repeat(600) + "\\\"" + "c".repeat(600))
        .getBytes(StandardCharsets.UTF_8);
    String text = new String(base, StandardCharsets.UTF_8);
    int jsonStart = text.substring(0, text.indexOf("{\"props\""))
        .getBytes(StandardCharsets.UTF_8).length;
    int jsonEnd = base.length - "</script></body></html>".length();
    byte[] alphabet = "\"\\{}[]:,u0 \n\tabc<>/!-é".getBytes(StandardCharsets.UTF_8);
    int fast = 0;
    for (int n = 0; n < 150; n++) {
      byte[] page = base.clone();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = jsonStart + random.nextInt(jsonEnd - jsonStart);
        if (random.nextBoolean()) {
          page[at] = alphabet[random.nextInt(alphabet.length)];
        } else {
          page = inserted(page, at, new int[] {random.nextInt(256)});
        }
      }
      if (sameAsFullPath(page, "random mutation " + n)) {
        fast++;
      }
    }
    assertThat(fast).isPositive();
  }

  @Test
  void randomByteEditsOfEveryCorpusPageWithNextDataGiveTheFullPathsRow() {
    Random random = new Random(7);
    byte[] alphabet = "\"\\<>/!-:,{}[] u".getBytes(StandardCharsets.US_ASCII);
    int pages = 0;
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      String text = new String(c.body(), StandardCharsets.UTF_8);
      int json = text.indexOf("__NEXT_DATA__");
      if (c.kind() != GoldenCorpus.Kind.ARTICLE_HTML || json < 0) {
        continue;
      }
      // Edits fall after the script's start, where the fast path reads the bytes itself.
      int from = text.substring(0, json).getBytes(StandardCharsets.UTF_8).length;
      for (int n = 0; n < 12; n++) {
        byte[] page = c.body().clone();
        for (int e = 0; e < 1 + random.nextInt(3); e++) {
          int at = from + random.nextInt(page.length - from);
          int choice = random.nextInt(3);
          if (choice == 0) {
            page[at] = alphabet[random.nextInt(alphabet.length)];
          } else if (choice == 1) {
            page[at] = (byte) random.nextInt(256);
          } else {
            page = inserted(page, at, new int[] {0xe3, 0x81});
          }
        }
        Page p = new Page(ArticleUrl.parse(c.url()), c.httpStatus(), c.contentType(), page);
        ParseResult fast = PARSER.parseSkeleton(p);
        if (fast != null) {
          assertThat(fast).as("edit %d of %s", n, c.name()).isEqualTo(PARSER.parseWhole(p));
        }
        pages++;
      }
    }
    assertThat(pages).isGreaterThan(100);
  }

  private static byte[] inserted(byte[] base, int at, int[] seq) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(base, 0, at);
    for (int b : seq) {
      out.write(b);
    }
    out.write(base, at, base.length - at);
    return out.toByteArray();
  }
}
