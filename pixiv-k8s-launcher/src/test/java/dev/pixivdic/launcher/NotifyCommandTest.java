package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pixiv-launch notify} is a workflow's failure notice: whatever the file named by
 * {@code --job-report} is, the notice is posted and says what became of the report.
 */
@Timeout(60)
class NotifyCommandTest {
  @TempDir Path dir;
  private HttpServer hook;
  private final List<String> posted = Collections.synchronizedList(new ArrayList<>());
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void webhook() throws Exception {
    hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", ex -> {
      posted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    hook.start();
  }

  @AfterEach
  void stop() {
    hook.stop(0);
  }

  private int notify(Path report) {
    return Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "notify", "--notify", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
        "--notify-format", "json", "--title", "workflow w failed", "--job-report",
        report.toString());
  }

  /** A 3 GB file used to end the command out of memory, with a stack trace and no notice. */
  @Test
  void aHugeFileIsSaidInTheNoticeWhichIsStillPosted() throws Exception {
    Path huge = dir.resolve("report.json");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: takes no room on the disk
    }

    assertThat(notify(huge)).isZero();

    assertThat(err.toString()).doesNotContain("Exception");
    assertThat(posted).singleElement().asString()
        .contains("workflow w failed")
        .contains("the Job report " + huge + " cannot be read: larger than 16777216 bytes");
  }

  @Test
  void aMissingFileIsSaidInTheNotice() {
    assertThat(notify(dir.resolve("missing.json"))).isZero();

    assertThat(posted).singleElement().asString().contains("no Job report at ");
  }
}
