package dev.pixivdic.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pixivdic.launcher.run.ExitCodes;
import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pixiv-launch manifest}: prints the Job that {@code run} would create. */
@Command(name = "manifest", showDefaultValues = true,
    header = "Print the Job that 'run' would create, as YAML or JSON.",
    description = {"Nothing is sent to a cluster, and no kubeconfig is read."})
final class ManifestCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Mixin JobOptions job;

  @Option(names = {"-o", "--output"}, defaultValue = "yaml", paramLabel = "yaml|json",
      description = "Output format: yaml or json.")
  String output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!output.equals("yaml") && !output.equals("json")) {
      throw new IllegalArgumentException(
          "-o must be yaml or json, was '" + LogText.escaped(output) + "'");
    }
    ObjectNode manifest = job.manifest(Optional.empty());
    PrintWriter out = spec.commandLine().getOut();
    out.print(render(manifest, output));
    // A PrintWriter never throws: without this, `manifest > job.yaml` on a full disk would leave
    // an empty or cut file for `kubectl apply` and exit 0.
    if (out.checkError()) {
      spec.commandLine().getErr().println("pixiv-launch manifest: cannot write the manifest to"
          + " standard output (a full disk, or a closed output?)");
      return ExitCodes.NOT_WRITTEN;
    }
    return ExitCodes.SUCCESS;
  }

  private static final PlainScalars QUOTING = new PlainScalars();

  static String render(ObjectNode manifest, String format) throws IOException {
    if (format.equals("json")) {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(manifest)
          + "\n";
    }
    return YAMLMapper.builder(YAMLFactory.builder().stringQuotingChecker(QUOTING).build())
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .build()
        .writeValueAsString(manifest);
  }
}
