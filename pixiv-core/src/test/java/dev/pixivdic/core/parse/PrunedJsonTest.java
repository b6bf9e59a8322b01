package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrunedJsonTest {

  private static final String PREFIX = "<script id=\"__NEXT_DATA__\">";

  /** The tree of {@code json} read from the middle of a page's bytes, as the fast path does. */
  private static JsonNode read(byte[] json) {
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    page.writeBytes(PREFIX.getBytes(StandardCharsets.UTF_8));
    page.writeBytes(json);
    page.writeBytes("</script>".getBytes(StandardCharsets.UTF_8));
    byte[] b = page.toByteArray();
    int from = PREFIX.length();
    return PrunedJson.read(b, from, from + json.length);
  }

  private static JsonNode read(String json) {
    return read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void stringsTheReadersLookAtAreReadAndTheOthersAreSkipped() {
    String json = "{\"props\":{\"a\":{\"tagName\":\"初音ミク\",\"yomigana\":\"はつねみく\","
        + "\"nodes\":\"{\\\"text\\\":\\\"長い \\\\\\\"本文\\\\\\\"\\\"}\",\"views\":12,"
        + "\"relatedArticles\":{\"child_articles\":[{\"tagName\":\"A\"},\"B\"]},"
        + "\"illusts\":[{\"title\":\"作品\",\"id\":\"7\"}],"
        + "\"breadcrumbsList\":[{\"label\":\"音楽\"}]}},\"page\":\"/a/[name]\"}";
    JsonNode whole = JsonShapes.read(json);

    JsonNode pruned = read(json);

    JsonNode a = pruned.path("props").path("a");
    assertThat(a.path("tagName").asText()).isEqualTo("初音ミク");
    assertThat(a.path("yomigana").asText()).isEqualTo("はつねみく");
    assertThat(PrunedJson.isSkipped(a.path("nodes"))).isTrue();
    assertThat(a.path("views").asInt()).isEqualTo(12);
    assertThat(a.path("relatedArticles")).isEqualTo(whole.path("props").path("a")
        .path("relatedArticles"));
    assertThat(PrunedJson.isSkipped(a.path("illusts").path(0).path("title"))).isTrue();
    assertThat(a.path("illusts").path(0).path("id").asText()).isEqualTo("7");
    assertThat(a.path("breadcrumbsList").path(0).path("label").asText()).isEqualTo("音楽");
    assertThat(pruned.path("page").asText()).isEqualTo("/a/[name]");
    assertThat(PrunedJson.isSkipped(JsonShapes.read("{\"nodes\":\"" + PrunedJson.SKIPPED
        + "\"}").path("nodes"))).as("the same text in real JSON is not a skipped one").isFalse();
  }

  @Test
  void malformedUtf8IsRefusedInWhatJacksonSeesAndIgnoredInLongStringsLeftOut() {
    byte[] overlongInRead = utf8("{\"tagName\":\"a", 0xC0, 0xAF, "\"}");
    assertThatThrownBy(() -> read(overlongInRead)).isInstanceOf(Skeleton.Unsure.class);
    byte[] overlongInKey = utf8("{\"a", 0xC0, 0xAF, "\":1}");
    assertThatThrownBy(() -> read(overlongInKey)).isInstanceOf(Skeleton.Unsure.class);
    byte[] overlongInShortSkipped = utf8("{\"nodes\":\"a", 0xC0, 0xAF, "\",\"id\":\"1\"}");
    assertThatThrownBy(() -> read(overlongInShortSkipped)).isInstanceOf(Skeleton.Unsure.class);
    byte[] overlongInLongRead = utf8("{\"abstract\":\"" + LONG, 0xC0, 0xAF, "\"}");
    assertThatThrownBy(() -> read(overlongInLongRead)).isInstanceOf(Skeleton.Unsure.class);

    JsonNode skipped = read(utf8("{\"nodes\":\"" + LONG, 0xC0, 0xAF, 0xE3, "\",\"id\":\"é\"}"));

    assertThat(skipped.path("id").asText()).isEqualTo("é");
    assertThat(PrunedJson.isSkipped(skipped.path("nodes"))).isTrue();
  }

  /** Longer than the strings Jackson is shown, with escapes and multi-byte characters. */
  private static final String LONG = "本文 \\\"引用\\\" \\u00e9\\n".repeat(60);

  @Test
  void longStringsAreLeftOutOfWhatJacksonReadsYetReadWhenTheReadersLookAtThem() {
    String json = "{\"a\":{\"nodes\":\"" + LONG + "\",\"tagName\":\"\",\"abstract\":\""
        + LONG + "\",\"yomigana\":\"\",\"" + LONG + "\":{\"id\":\"7\"},"
        + "\"list\":[\"" + LONG + "\",\"\",{\"name\":\"\"}],\"query\":{\"name\":\"" + LONG
        + "x\"}}}";
    JsonNode whole = JsonShapes.read(json);
    assertThat(leftOut(json)).as("long values, not the long key").isEqualTo(4);

    JsonNode pruned = read(json);

    JsonNode a = pruned.path("a");
    assertThat(PrunedJson.isSkipped(a.path("nodes"))).isTrue();
    assertThat(PrunedJson.isSkipped(a.path("list").path(0))).isTrue();
    assertThat(a.path("tagName").asText()).isEmpty();
    assertThat(a.path("yomigana").asText()).isEmpty();
    assertThat(a.path("abstract")).isEqualTo(whole.path("a").path("abstract"));
    assertThat(a.path("query")).isEqualTo(whole.path("a").path("query"));
    assertThat(a.path("list").path(2).path("name").asText()).isEmpty();
    assertThat(a.fieldNames()).toIterable().containsExactlyElementsOf(
        () -> whole.path("a").fieldNames());
    assertThat(a.path(JsonShapes.read("\"" + LONG + "\"").asText()).path("id").asText())
        .isEqualTo("7");
  }

  @Test
  void aLongStringJacksonWouldRefuseIsShownToJacksonWhichRefusesIt() {
    for (String bad : new String[] {"\\x", "\\u12G4", "\t", "\\'"}) {
      String json = "{\"nodes\":\"" + LONG + bad + "\"}";
      assertThat(leftOut(json)).as(bad).isZero();
      assertThatThrownBy(() -> read(json)).as(bad).isInstanceOf(Skeleton.Unsure.class);
      assertThatThrownBy(() -> JsonShapes.read(json)).as(bad)
          .isInstanceOf(JsonShapes.MalformedJsonException.class);
    }
    assertThatThrownBy(() -> read("{\"nodes\":\"" + LONG)).isInstanceOf(Skeleton.Unsure.class);
  }

  @Test
  void wholeEntriesAreNotComparedWhenTheyHoldSkippedStrings() {
    JsonNode a = read("{\"tagName\":\"X\",\"nodes\":\"one\"}");
    JsonNode b = read("{\"tagName\":\"X\",\"nodes\":\"two\"}");
    assertThat(a).as("looks equal with the body skipped").isEqualTo(b);

    assertThatThrownBy(() -> PrunedJson.requireWhole(List.of(a, b)))
        .isInstanceOf(Skeleton.Unsure.class);
    PrunedJson.requireWhole(List.of(a));
    PrunedJson.requireWhole(List.of(JsonShapes.read("{\"nodes\":\"one\"}"),
        JsonShapes.read("{\"nodes\":\"two\"}")));
  }

  @Test
  void unreadableJsonIsUnsure() {
    assertThatThrownBy(() -> read("{\"nodes\":")).isInstanceOf(Skeleton.Unsure.class);
    assertThatThrownBy(() -> read("  ")).isInstanceOf(Skeleton.Unsure.class);
  }

  private static int leftOut(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return LongStrings.of(b, 0, b.length).count();
  }

  /** UTF-8 bytes of the strings, with the ints as raw bytes. */
  private static byte[] utf8(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer i) {
        out.write(i);
      } else {
        out.writeBytes(((String) p).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
