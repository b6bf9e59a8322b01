package dev.pixivdic.support.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class LogOptionsTest {

  private final List<String> applied = new ArrayList<>();

  @Command(name = "tool", subcommands = {Sub.class})
  final class Tool implements Runnable {
    @Mixin LogOptions logging = new LogOptions(f -> applied.add("format " + f),
        v -> applied.add("verbosity " + v));

    @Override
    public void run() {}
  }

  @Command(name = "sub")
  static final class Sub implements Runnable {
    @Override
    public void run() {}
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new Tool());
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  void theOptionsReachTheCommandsLoggingAlsoAfterASubcommand() {
    assertThat(run("--log-format", "json", "-vv")).isZero();
    // picocli calls -v once per letter, with the count so far: the last call is what counts.
    assertThat(applied).startsWith("format json").endsWith("verbosity 2");

    applied.clear();
    assertThat(run("sub", "-q", "--log-format=text")).isZero();
    assertThat(applied).containsExactly("verbosity -1", "format text");
  }

  @Test
  void aFormatRefusedByTheCommandIsAUsageError() {
    CommandLine cli = new CommandLine(new Object() {
      @Mixin LogOptions logging = new LogOptions(f -> {
        throw new CommandLine.TypeConversionException("--log-format is text or json");
      }, v -> { });
      @CommandLine.Option(names = "--notify") String notify;
    });
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));

    assertThat(cli.execute("--notify", "https://hooks.example/T/s3cretTOKEN", "--log-format",
        "xml")).isEqualTo(2);
    assertThat(err.toString()).contains("--log-format is text or json")
        .as("the other arguments are not quoted back").doesNotContain("s3cretTOKEN");
  }
}
