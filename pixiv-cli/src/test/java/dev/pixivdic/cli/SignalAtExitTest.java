package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A SIGTERM as {@code pixiv} is about to exit, after its command put back its handlers: the
 * JVM's own handling then ended the process with 143, whatever its final line said. A real
 * {@code pixiv} process, the signal ordered into that step by {@link SignalAtExit}.
 */
class SignalAtExitTest {

  @ParameterizedTest
  @CsvSource({
    "2, scrape --no-such-option",
    "0, --version",
  })
  void aSignalAsPixivExitsLeavesTheCodeAndTheLineDecided(int code, String args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), SignalAtExit.class.getName()));
    command.addAll(Arrays.asList(args.split(" ")));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();

    assertThat(p.exitValue()).as(out).isEqualTo(code);
    List<String> lines = out.lines().filter(l -> l.startsWith(FinalLine.MARKER)).toList();
    if (args.startsWith("scrape")) {
      assertThat(lines).as(out).singleElement().asString()
          .contains("\"exit_code\":" + code, "REFUSED");
    } else {
      assertThat(lines).as(out).isEmpty();
    }
  }
}
