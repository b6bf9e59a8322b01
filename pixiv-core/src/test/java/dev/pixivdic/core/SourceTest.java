package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.scrape.PixivScraper;
import dev.pixivdic.core.testing.InMemorySink;
import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceTest {

  @ParameterizedTest
  @ValueSource(strings = {"0/1", "0/2", "1/2"})
  void aKeyFunctionAnsweringNullFailsNamingTheItemInEveryShard(String shard) {
    Source<String> source = Source.of(List.of("a", "b", "c"), x -> x.equals("b") ? null : x);

    assertThatNullPointerException().isThrownBy(() -> source.items(Shard.parse(shard)).toList())
        .withMessage("the key function given to Source.of answered null for item 1 (b): an item"
            + " needs a key to fall in a shard");
  }

  @Test
  void anEmptyKeyPutsEveryItemInOneShard() {
    Source<String> source = Source.of(List.of("a", "b", "c"), x -> "");
    int index = Shard.indexOf("", 3);

    List<List<String>> shards = IntStream.range(0, 3).mapToObj(i -> {
      try {
        return source.items(new Shard(i, 3)).toList();
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }).toList();

    for (int i = 0; i < 3; i++) {
      assertThat(shards.get(i)).as("shard %d/3", i)
          .isEqualTo(i == index ? List.of("a", "b", "c") : List.of());
    }
  }

  @Test
  void aRunOverASourceWhoseKeyFunctionAnswersNullEndsAsAnInternalErrorOfTheSource() {
    WorkItem item = WorkItem.of(ArticleUrl.parse("https://dic.pixiv.net/a/one"));
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    // Port 9 (discard) on loopback: nothing may be fetched, and nothing leaves the machine.
    PixivScraper scraper = PixivScraper.builder().sink(sink)
        .origin(URI.create("http://127.0.0.1:9")).respectRobots(false).maxAttempts(1).build();

    RunReport report = scraper.run(Source.of(List.of(item), w -> null));

    assertThat(report.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(report.itemsRead()).isZero();
    assertThat(report.problems()).singleElement().asString()
        .startsWith("internal error in the source (dev.pixivdic.core.Source lambda):"
            + " java.lang.NullPointerException: the key function given to Source.of answered"
            + " null for item 0 (")
        .contains("https://dic.pixiv.net/a/one");
  }
}
