package dev.pixivdic.core.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink file the system will not let a run write anywhere in, for an attribute of the file
 * (append-only, immutable), is recognised by asking the system, not by the words of its
 * message: those follow the system's language ("Vorgang nicht zulässig" for "Operation not
 * permitted" in German), and a refusal in another language was passed on with no advice. The
 * attribute cases need chattr and a file system that keeps attributes (ext4 as root); skipped
 * elsewhere.
 */
class FileAttributeTest {

  private static final String GERMAN_EPERM = "Vorgang nicht zulässig";

  @TempDir Path tmp;
  private Path file;
  private String flag;

  private Path sinkWithATornTail() throws IOException {
    file = tmp.resolve("rows.ndjson");
    try (NdjsonSink sink = NdjsonSink.open(file)) {
      sink.write(NdjsonSinkTest.rows("a", 1));
    }
    Files.delete(WriterLock.lockFile(file)); // as a file copied in place has none
    Files.writeString(file, "{\"url\":\"https://dic", StandardOpenOption.APPEND);
    return file;
  }

  private void set(String attribute) {
    assumeTrue(Chattr.run("+" + attribute, file),
        "chattr +" + attribute + " is not available here");
    flag = attribute;
  }

  @AfterEach
  void clearAttribute() {
    if (flag != null) {
      Chattr.run("-" + flag, file);
    }
  }

  /** Opens the sink as the system does, its refusal worded in German. */
  private static NdjsonSink openInGerman(Path f) throws IOException {
    return NdjsonSink.open(f, p -> {
      try {
        return AppendLog.ChannelFactory.DEFAULT.open(p);
      } catch (FileSystemException e) {
        FileSystemException german = new FileSystemException(e.getFile(), null, GERMAN_EPERM);
        german.initCause(e);
        throw german;
      }
    });
  }

  /**
   * A file the system refuses to write only for its permission bits (mode 0444, another user's)
   * gets no advice to remove an attribute it does not have: a file refused although the bits let
   * the process write it is immutable. Decided by the bits, for a user who is not root (the bits
   * do not bind root).
   */
  @Test
  void aFileWhosePermissionBitsRefuseWritingIsNotTakenForAnImmutableOne() throws IOException {
    Path f = Files.createFile(tmp.resolve("rows.ndjson"));
    String owner = Files.getOwner(f).getName();

    assertThat(LogFileCheck.modeLetsWrite(withMode(f, "r--r--r--"), owner, false))
        .as("mode 0444, its owner").isFalse();
    assertThat(LogFileCheck.modeLetsWrite(withMode(f, "r--r--r--"), owner, true))
        .as("mode 0444, root").isTrue();
    assertThat(LogFileCheck.modeLetsWrite(withMode(f, "rw-r--r--"), owner, false))
        .as("mode 0644, its owner").isTrue();
    assertThat(LogFileCheck.modeLetsWrite(withMode(f, "rw-r--r--"), "not-" + owner, false))
        .as("mode 0644, another user").isFalse();
    assertThat(LogFileCheck.modeLetsWrite(withMode(f, "rw-rw-rw-"), "not-" + owner, false))
        .as("mode 0666, another user").isTrue();
  }

  private static PosixFileAttributes withMode(Path f, String mode) throws IOException {
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return Files.readAttributes(f, PosixFileAttributes.class);
  }

  @Test
  void anAppendOnlySinkRefusedInAnotherLanguageIsExplained() throws Exception {
    Path f = sinkWithATornTail();
    set("a");

    assertThatThrownBy(() -> openInGerman(f)).isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining(f + ": cannot be opened for writing: " + GERMAN_EPERM)
        .hasMessageContaining("an append-only (chattr +a) file forbids", "Its last line is torn",
            "chattr -a " + f);
    assertThat(WriterLock.lockFile(f)).doesNotExist();
  }

  @Test
  void anImmutableSinkRefusedInAnotherLanguageIsExplained() throws Exception {
    Path f = sinkWithATornTail();
    set("i");

    assertThatThrownBy(() -> openInGerman(f)).isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining(f + ": cannot be opened for writing: " + GERMAN_EPERM)
        .hasMessageContaining("an immutable (chattr +i) file forbids", "chattr -i " + f);
  }

  @Test
  void aTornTailThatAnAttributeKeepsIsExplainedWhateverTheLanguage() throws Exception {
    Path f = sinkWithATornTail();
    long whole = Files.size(f) - 19;
    set("i");
    Chattr.run("-i", f);

    assertThatThrownBy(() -> NdjsonSink.open(f, p -> {
      FailingFileChannel ch = new FailingFileChannel(FileChannel.open(p,
          StandardOpenOption.READ, StandardOpenOption.WRITE));
      Chattr.run("+i", p); // made immutable once the run had opened it
      ch.failTruncate(GERMAN_EPERM);
      return ch;
    })).isInstanceOf(AccessDeniedException.class)
        .hasMessageStartingWith(f + ": its last line is torn (19 bytes left by an interrupted"
            + " write, kept in " + f + ".torn), and cutting it off failed: " + GERMAN_EPERM
            + ". An immutable (chattr +i) file cannot be cut")
        .hasMessageContaining("chattr -i " + f, "truncate -s " + whole + " " + f);
  }

  @Test
  void aRefusalOfAFileNoAttributeProtectsIsPassedOnAsTheSystemGaveIt() throws Exception {
    // Before, the English words alone were taken for an attribute, whatever refused the write.
    Path f = sinkWithATornTail();
    FileSystemException refused = new FileSystemException(f.toString(), null,
        "Operation not permitted");

    assertThatThrownBy(() -> NdjsonSink.open(f, p -> {
      throw refused;
    })).isSameAs(refused);
  }
}
