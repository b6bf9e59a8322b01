package dev.pixivdic.examples.digdag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digdag.client.DigdagClient;
import io.digdag.client.config.Config;
import io.digdag.client.config.ConfigFactory;
import io.digdag.core.archive.WorkflowFile;
import io.digdag.core.config.ConfigLoaderManager;
import io.digdag.core.config.YamlConfigLoader;
import io.digdag.core.repository.WorkflowDefinition;
import io.digdag.core.workflow.Workflow;
import io.digdag.core.workflow.WorkflowCompiler;
import io.digdag.core.workflow.WorkflowTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads and compiles every workflow of this directory with Digdag's own loader and compiler,
 * as {@code digdag check} and {@code digdag push} do. (Schedules are validated by Digdag's
 * scheduler plugins, which are not loaded here; the manifests module checks the schedule.)
 */
class DigdagParserTest {

  private static final ConfigFactory CONFIG = new ConfigFactory(DigdagClient.objectMapper());

  static List<Path> workflows() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("").toAbsolutePath())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".dig")).sorted().toList();
    }
  }

  @Test
  void digdagRefusesAWorkflowWithATaskWrittenTwice() {
    String broken = "timezone: Asia/Tokyo\n+scrape:\n  sh>: echo a\n+scrape:\n  sh>: echo b\n";
    assertThatThrownBy(() -> {
      Config config = new YamlConfigLoader().loadString(broken).toConfig(CONFIG);
      WorkflowDefinition def = WorkflowFile.fromConfig("broken", config).toWorkflowDefinition();
      new WorkflowCompiler().compile(def.getName(), def.getConfig());
    }).hasMessageContaining("+scrape");
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void digdagLoadsAndCompilesTheWorkflow(Path file) throws IOException {
    String name = file.getFileName().toString().replaceFirst("\\.dig$", "");
    Config config = new ConfigLoaderManager(CONFIG, new YamlConfigLoader())
        .loadParameterizedFile(file.toFile(), CONFIG.create());
    WorkflowDefinition def = WorkflowFile.fromConfig(name, config).toWorkflowDefinition();
    Workflow workflow = new WorkflowCompiler().compile(def.getName(), def.getConfig());

    List<String> tasks = workflow.getTasks().stream().map(WorkflowTask::getFullName).toList();
    assertThat(tasks).contains("+" + name + "+scrape");
    WorkflowTask scrape = workflow.getTasks().stream()
        .filter(t -> t.getFullName().equals("+" + name + "+scrape")).findFirst().orElseThrow();
    assertThat(scrape.getConfig().get("sh>", String.class)).startsWith("exec ./pixiv-launch run ");
    assertThat(def.getTimeZone().getId()).isEqualTo("Asia/Tokyo");
    assertThat(def.getConfig().getNestedOrGetEmpty("schedule").get("weekly>", String.class))
        .isEqualTo("Mon,04:00:00");
  }
}
