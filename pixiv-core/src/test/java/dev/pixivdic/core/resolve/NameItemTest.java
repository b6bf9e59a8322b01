package dev.pixivdic.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NameItemTest {

  @Test
  void aNameIsAtMostALineOfAListLong() {
    // A file's line is at most 8 KiB, but a name of a bq: table had no limit, and a strip rule
    // quadratic in the name's length could spend the rules' whole bound on it.
    assertThat(NameItem.of("猫".repeat(NameItem.MAX_LENGTH)).name()).hasSize(8192);
    assertThatThrownBy(() -> new NameItem("猫".repeat(NameItem.MAX_LENGTH + 1), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a name must be at most 8192 characters, was 8193");
  }
}
