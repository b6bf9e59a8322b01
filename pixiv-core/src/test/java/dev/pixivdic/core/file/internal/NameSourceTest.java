package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.resolve.NameItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NameSourceTest {

  @TempDir Path tmp;
  private final List<SourceProblem> problems = new ArrayList<>();

  private Path file(String name, String content) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private NameSource names(Path f, String column) {
    return NameSource.of(FileSource.builder(f).problems(problems::add).build(), column);
  }

  private static List<NameItem> read(NameSource s) throws IOException {
    try (Stream<NameItem> items = s.items(Shard.ALL)) {
      return items.toList();
    }
  }

  @Test
  void aPlainListHasOneNameALineSkippingCommentsBlanksAndRepeats() throws Exception {
    Path f = file("names.txt", "# works\n初音ミク\n\n  東方Project  \n初音ミク\nRe:ゼロ -Starting Life-\n");

    NameSource s = names(f, NameSource.DEFAULT_COLUMN);

    assertThat(read(s)).extracting(NameItem::name)
        .containsExactly("初音ミク", "東方Project", "Re:ゼロ -Starting Life-");
    assertThat(problems).isEmpty();
    assertThat(s.input().duplicateCount()).isEqualTo(1);
  }

  @Test
  void csvTakesTheNameFromItsColumnAndPassesTheOthersThrough() throws Exception {
    Path f = file("names.csv", "genre,MIDDLE_CLASS_IP_NAME\nmusic,初音ミク\ngame,\n");

    List<NameItem> items = read(names(f, "middle_class_ip_name"));

    assertThat(items).singleElement().satisfies(i -> {
      assertThat(i.name()).isEqualTo("初音ミク");
      assertThat(i.attributes()).containsExactly(Map.entry("genre", "music"));
    });
    assertThat(problems).extracting(SourceProblem::line, SourceProblem::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3L,
            "the 'middle_class_ip_name' cell is empty"));
  }

  @Test
  void ndjsonTakesTheNameFromAnotherColumnWhenAsked() throws Exception {
    Path f = file("names.ndjson",
        "{\"title\":\"猫\",\"rank\":1}\n{\"title\":null}\n{\"other\":\"x\"}\n");

    List<NameItem> items = read(names(f, "title"));

    assertThat(items).extracting(NameItem::name).containsExactly("猫");
    assertThat(items.get(0).attributes()).containsExactly(Map.entry("rank", "1"));
    assertThat(problems).extracting(SourceProblem::message)
        .containsExactly("no name in 'title'", "no 'title' field");
  }

  @Test
  void aCsvWithoutTheColumnFailsNamingIt() throws Exception {
    Path f = file("names.csv", "name\n猫\n");

    assertThatThrownBy(() -> read(names(f, NameSource.DEFAULT_COLUMN)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no 'middle_class_ip_name' column");
  }

  @Test
  void strictModeStopsAtTheFirstBadLine() throws Exception {
    Path f = file("names.ndjson", "{\"middle_class_ip_name\":\"猫\"}\n{bad\n");
    NameSource s = NameSource.of(FileSource.builder(f).strict(true).build(),
        NameSource.DEFAULT_COLUMN);

    assertThatThrownBy(() -> read(s)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(":2");
  }

  @Test
  void namesAreShardedByName() throws Exception {
    Path f = file("names.txt", "a\nb\nc\nd\ne\nf\ng\nh\n");
    NameSource s = names(f, NameSource.DEFAULT_COLUMN);
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (Stream<NameItem> items = s.items(new Shard(i, 3))) {
        items.forEach(n -> all.add(n.name()));
      }
    }
    assertThat(all).containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f", "g", "h");
  }

  @Test
  void standardInputIsReadOnce() throws Exception {
    byte[] in = "猫\n".getBytes(StandardCharsets.UTF_8);
    NameSource s = NameSource.of(FileSource.stdin(() -> new ByteArrayInputStream(in)).build(),
        NameSource.DEFAULT_COLUMN);

    assertThat(read(s)).extracting(NameItem::name).containsExactly("猫");
    assertThatThrownBy(() -> s.items(Shard.ALL)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aNameHoldingAControlCharacterIsABadLineWhileWhiteSpaceAtItsEndsIsTrimmed()
      throws Exception {
    Path f = file("names.txt", "初音ミク\t\r\n初音\tミク\nbell\u0007\nDEL\u007f\n東方Project\n");

    NameSource s = names(f, NameSource.DEFAULT_COLUMN);

    assertThat(read(s)).extracting(NameItem::name).containsExactly("初音ミク", "東方Project");
    assertThat(problems).extracting(SourceProblem::line).containsExactly(2L, 3L, 4L);
    assertThat(problems).extracting(SourceProblem::message).containsExactly(
        "a name must not hold a control character U+0009 at index 2",
        "a name must not hold a control character U+0007 at index 4",
        "a name must not hold a control character U+007F at index 3");
  }

  @Test
  void aNameOfSpacesThatStripDoesNotRemoveIsABadLineNotAnEmptySearch() throws Exception {
    // NFKC makes U+00A0 and U+2007 spaces: such a name was searched as an empty query, by
    // every run, since nothing was stored for it.
    Path f = file("names.txt", "\u00a0\u00a0\n\u2007\n猫\u00a0\n\u200b\n\u00a0\ufeff\u2060\n"
        + "\u3164\n\u034f\u2800\n\ud834\udd75\n\u200b猫\n\u309b\n\uff9e\n\u00b4\n");

    NameSource s = names(f, NameSource.DEFAULT_COLUMN);

    assertThat(read(s)).extracting(NameItem::name).as("゛, ﾞ and ´ show, though NFKC makes"
        + " them a space and a mark").containsExactly("猫\u00a0", "\u200b猫", "\u309b", "\uff9e",
        "\u00b4");
    assertThat(problems).extracting(SourceProblem::line).containsExactly(1L, 2L, 4L, 5L, 6L,
        7L, 8L);
    assertThat(problems).extracting(SourceProblem::message).containsOnly("a name must hold a"
        + " visible character, not only white space or characters that show as nothing");
  }

}
