package dev.pixivdic.cli;

import dev.pixivdic.support.cli.CompletionCommand;
import dev.pixivdic.support.cli.LogOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code pixiv} command: global options and the subcommands. */
@Command(
    name = "pixiv",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Collects article data from the pixiv encyclopedia (dic.pixiv.net) politely "
        + "into NDJSON files or BigQuery.",
    subcommands = {ScrapeCommand.class, ResolveCommand.class, ParseCommand.class,
        ReplayCommand.class, TrendsCommand.class, DemoCommand.class, CompletionCommand.class,
        HelpCommand.class},
    footer = {"",
        "Exit codes: 0 ok, 1 internal error, 2 usage or configuration, 65 parse breakage,",
        "69 source or sink unavailable, 74 rows stored but the run ledger row not (retry)",
        "or the results not written to standard output,",
        "75 blocked or temporary failure (retry later),",
        "130/143 interrupted after a clean flush. See docs/operations.md.",
        "", "Options can be kept in a file, one per line (# starts a comment), and given as @FILE:",
        "  pixiv scrape @weekly.args --limit 10"})
final class PixivCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin LogOptions logging = new LogOptions(Logging::format, Logging::verbosity);

  @Override
  public Integer call() {
    // No command is a usage error: said on stderr like every other one, with the usage after.
    spec.commandLine().getErr().println("pixiv: a command is required");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
