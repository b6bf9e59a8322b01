package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.internal.RowSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps docs/schema.md in step with {@link RowSchema}. */
class SchemaDocTest {

  static String table() {
    return RowSchema.COLUMNS.stream()
        .map(c -> "| `" + c.name() + "` | " + c.type() + " | "
            + (c.repeated() ? "REPEATED" : "NULLABLE")
            + " | " + (c.original() ? "yes" : "") + " | " + c.description() + " |")
        .collect(Collectors.joining("\n"));
  }

  @Test
  void schemaDocListsEveryColumnWithItsType() throws IOException {
    Path doc = Path.of("..", "docs", "schema.md");
    String text = Files.readString(doc);
    String body = text.substring(text.indexOf("<!-- schema:begin -->"),
        text.indexOf("<!-- schema:end -->"));
    List<String> rows = body.lines().filter(l -> l.startsWith("| `")).toList();
    assertThat(String.join("\n", rows))
        .as("docs/schema.md is out of date; regenerate the table from RowSchema:\n%s", table())
        .isEqualTo(table());
  }
}
