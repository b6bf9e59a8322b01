package dev.pixivdic.core.file.internal;

import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** NDJSON files of resolution rows ({@link ResolutionJson} lines). */
public final class ResolutionFiles {

  /** The default resolution file, relative to the working directory. */
  public static final Path DEFAULT_PATH =
      Path.of("out", "pixiv_search_middle_class_ip_name_url.ndjson");

  /** Rows keyed by {@code middle_class_ip_name} and dated by {@code update}. */
  static final NdjsonCodec<ResolutionRow> CODEC = new NdjsonCodec<>() {
    @Override
    public String toJson(ResolutionRow row) {
      return ResolutionJson.write(row);
    }

    @Override
    public boolean isRow(String line) {
      ResolutionJson.read(line);
      return true;
    }

    @Override
    public String keyField() {
      return ResolutionJson.MIDDLE_CLASS_IP_NAME;
    }

    @Override
    public String timeField() {
      return ResolutionJson.UPDATE;
    }

    @Override
    public List<String> signature() {
      return List.of(ResolutionJson.MIDDLE_CLASS_IP_NAME,
          ResolutionJson.CLEAN_MIDDLE_CLASS_IP_NAME, ResolutionJson.UPDATE,
          ResolutionJson.STATUS, ResolutionJson.RUN_ID, ResolutionJson.SCRAPER_VERSION);
    }

    @Override
    public String kind() {
      return "a resolution file";
    }
  };

  private ResolutionFiles() {}

  /**
   * Opens a resolution file for appending, with the crash safety, locking and
   * {@link NdjsonRowSink#stored} of {@link NdjsonSink}: a name counts as stored when a row for
   * it (matched or not) was made at or after the given time.
   *
   * @throws FileInUseException when another run writes to the file
   * @throws NotOurFileException when the file is not a resolution file this project wrote
   * @throws IOException when the file cannot be opened
   */
  public static NdjsonRowSink<ResolutionRow> sink(Path file) throws IOException {
    return NdjsonRowSink.open(file, CODEC);
  }

  /**
   * Opens a resolution file for {@link NdjsonRowSink#stored} only, for a dry run: no lock, no
   * repair, no file created.
   *
   * @throws IOException when the file is not a resolution file, or cannot be read
   */
  public static NdjsonRowSink<ResolutionRow> readOnly(Path file) throws IOException {
    return NdjsonRowSink.openReadOnly(file, CODEC);
  }
}
