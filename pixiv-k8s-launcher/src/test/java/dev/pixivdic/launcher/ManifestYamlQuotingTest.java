package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The printed YAML means what the JSON means to a YAML 1.1 reader (SnakeYAML resolves plain
 * scalars as kubectl's go-yaml v2 does): no string comes back as a number, boolean or null.
 */
class ManifestYamlQuotingTest {
  /** Strings that YAML 1.1 or 1.2 readers resolve to something else when written plain. */
  static final List<String> HOSTILE = List.of("on", "off", "y", "Y", "n", "NO", "Off", "True",
      "yes", "0777", "0o17", "0b11", "1_000", "0x1F", "12:30", "190:20:30", ".inf", ".NaN",
      "-.inf", "+.inf", "1e3", "1E3", "+1", "-1", "1.", ".5", "2001-12-14",
      "2001-12-14 21:59:43.10 -5", "2001-12-14t21:59:43.10-05:00", "~", "null", "Null", "NULL",
      "", "=", "<<", "!x", "&a", "*a", "|", ">", "%x", "@x", "`x", "? x", "- x", "-", ",x", "[x",
      "{x", "\"x", "'x", "x #y", "#x", "x:", "x: ", " x", "x ", "0.", "1e+3", "6.8523015e+5",
      "685.230_15e+03", "-0x1F", "+0x1F", "0X1F", "0xGG", "1__0", "_1", "2024_12_07", "8412e10",
      "0", "-0", "123", "1.5", "a\u0085b", "\u0085", "x\u2028y", "x\ny", "a\tb", "\ttab",
      "--", "-1x", "--1");

  @Test
  void everyStringOfThePrintedYamlReadsBackAsTheSameStringInYaml11() throws Exception {
    List<String> args = new ArrayList<>(List.of("manifest", "--name", "w", "--image", "img:1",
        "--label", "commit=8412e10", "--label", "day=2024_12_07", "--node-selector", "n=1e3"));
    for (int i = 0; i < HOSTILE.size(); i++) {
      args.add("--env");
      args.add("V" + i + "=" + HOSTILE.get(i));
    }
    args.addAll(List.of("--", "--source", "bq:myproj.d.t", "--run-id", "2024_12_07"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Main.execute(new PrintWriter(out), new PrintWriter(err),
        args.toArray(String[]::new));

    assertThat(code).as(err.toString()).isZero();
    Map<?, ?> read = new Yaml().load(out.toString());
    JsonNode tree = new ObjectMapper().valueToTree(read);
    JsonNode env = tree.at("/spec/template/spec/containers/0/env");
    for (int i = 0; i < HOSTILE.size(); i++) {
      JsonNode value = env.get(i + 1).get("value");
      assertThat(value.isTextual()).as("V%d=%s in%n%s", i, HOSTILE.get(i), out).isTrue();
      assertThat(value.textValue()).as("V%d", i).isEqualTo(HOSTILE.get(i));
    }
    assertThat(tree.at("/metadata/labels/commit").textValue()).isEqualTo("8412e10");
    assertThat(tree.at("/metadata/labels/day").textValue()).isEqualTo("2024_12_07");
    assertThat(tree.at("/spec/template/spec/nodeSelector/n").textValue()).isEqualTo("1e3");
    assertThat(tree.at("/spec/template/spec/containers/0/args").toString())
        .endsWith("\"--source\",\"bq:myproj.d.t\",\"--run-id\",\"2024_12_07\"]");
    // What needs no quotes keeps none: the manifest stays readable.
    assertThat(out.toString()).contains("- --source\n", "- bq:myproj.d.t\n", "image: img:1\n");
  }
}
