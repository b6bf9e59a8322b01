package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.InvalidArticleUrlException;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.internal.SourceUrls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work items read from a file or stdin: a URL list, CSV or NDJSON (see {@link Format}), UTF-8,
 * optionally gzip-compressed ({@code .gz}). Every URL is canonicalised with
 * {@link ArticleUrl#parse}; columns other than {@code url} pass through as the item's
 * attributes.
 *
 * <p>Streaming: each {@link #items} call reads the input anew, lazily, holding one record at a
 * time; the returned stream must be closed (it closes the file). Items come in file order.
 * Standard input can be read once: a second {@code items} call on a stdin source throws
 * {@link IllegalStateException}.
 *
 * <p>Duplicates: a URL met again in the same {@code items} stream (after canonicalisation) is
 * yielded once, with the first occurrence's attributes. This keeps a 64-bit fingerprint per
 * distinct URL of the shard (about 16 bytes each: 16 MB for a million); turn it off with
 * {@link Builder#deduplicate(boolean)} when the input is known to be distinct.
 *
 * <p>Bad lines (a URL that is not a pixiv encyclopedia article, malformed CSV or JSON, a missing
 * {@code url}, bytes that are not UTF-8) are reported to the problem listener (by default logged
 * at WARN), counted and skipped. An NDJSON record whose {@code url} is an explicit JSON
 * {@code null} (a name that {@code pixiv resolve} found no article for) is not a bad line: it is
 * skipped quietly, logged at DEBUG and counted by {@link #noUrlCount()}. In strict mode the first
 * bad line ends the stream with an {@link UncheckedIOException} whose cause is a
 * {@link BadSourceLineException}; some errors are fatal in every mode (see that class). Read
 * errors arrive the same way, wrapped in {@link UncheckedIOException}.
 *
 * <p>Thread-safe: streams may be consumed from different threads; each stream is for one thread.
 * The problem listener is called on the consuming thread.
 *
 * <p>The opening of the input is a {@link SourceInput}, the stream of its records a
 * {@link RecordStream}; this class turns records into work items.
 */
public final class FileSource implements Source<WorkItem> {
  private static final Logger LOG = LoggerFactory.getLogger(FileSource.class);

  /** The name that stands for standard input on a command line. */
  public static final String STDIN = "-";

  /** How a source file is laid out. */
  public enum Format {
    /** One URL a line; blank lines and lines starting with {@code #} are ignored. */
    URL_LIST,
    /** RFC 4180 CSV with a header row naming a {@code url} column (any case). */
    CSV,
    /** One JSON object a line with a string {@code url} field. */
    NDJSON;

    /**
     * The format a file name implies: {@code .csv} is CSV, {@code .ndjson} and {@code .jsonl}
     * are NDJSON, anything else (such as {@code .txt}, {@code .list}) is a URL list. A trailing
     * {@code .gz} is looked through.
     */
    public static Format ofFileName(String name) {
      String n = stripGz(requireNonNull(name, "name").toLowerCase(Locale.ROOT));
      if (n.endsWith(".csv")) {
        return CSV;
      }
      if (n.endsWith(".ndjson") || n.endsWith(".jsonl")) {
        return NDJSON;
      }
      return URL_LIST;
    }
  }

  private final RecordStream records;
  private final boolean deduplicate;
  private final AtomicLong noUrlCount = new AtomicLong();

  private FileSource(Builder b) {
    this.records = new RecordStream(new SourceInput(b.origin, b.format, b.gzip), b.strict,
        b.problems);
    this.deduplicate = b.deduplicate;
  }

  /** A lenient, de-duplicating source over {@code file}, its format implied by its name. */
  public static FileSource open(Path file) {
    return builder(file).build();
  }

  /** A builder for a source over {@code file}; the format defaults to the one its name implies. */
  public static Builder builder(Path file) {
    requireNonNull(file, "file");
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return new Builder(SourceInput.Origin.file(file), Format.ofFileName(fileName),
        fileName.toLowerCase(Locale.ROOT).endsWith(".gz"));
  }

  /**
   * A builder for a source named on a command line: {@code -} is standard input (a URL list
   * unless a format is set), anything else a path.
   */
  public static Builder builder(String location) {
    requireNonNull(location, "location");
    return STDIN.equals(location) ? stdin(() -> System.in) : builder(Path.of(location));
  }

  /**
   * A builder for a source reading standard input, or whatever stream {@code in} supplies (in
   * tests). It can be read once; the format defaults to {@link Format#URL_LIST}.
   */
  public static Builder stdin(Supplier<? extends InputStream> in) {
    requireNonNull(in, "in");
    return new Builder(SourceInput.Origin.stdin(in), Format.URL_LIST, false);
  }

  /** The source's name in messages: the path as given, or {@code stdin}. */
  public String name() {
    return records.input().name();
  }

  /** The format the source is read as. */
  public Format format() {
    return records.input().format();
  }

  /** Bad lines reported so far, over all streams of this source. */
  public long problemCount() {
    return records.problemCount();
  }

  /** Repeated URLs left out so far, over all streams of this source. */
  public long duplicateCount() {
    return records.duplicateCount();
  }

  /** NDJSON records with {@code "url": null} skipped so far, over all streams of this source. */
  public long noUrlCount() {
    return noUrlCount.get();
  }

  /**
   * Opens the input and streams the items of {@code shard} in file order. Read errors and bad
   * lines in strict mode arrive as {@link UncheckedIOException} while the stream is consumed.
   *
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   * @throws IOException when it cannot be opened
   * @throws IllegalStateException when standard input was already read
   */
  @Override
  public Stream<WorkItem> items(Shard shard) throws IOException {
    requireNonNull(shard, "shard");
    return records.stream("url", shard, this::toItem, WorkItem::key, deduplicate);
  }

  /**
   * The stream of this source's records, which counts its bad lines and duplicates; a
   * {@link NameSource} reads names through it.
   */
  RecordStream records() {
    return records;
  }

  private static String stripGz(String name) {
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  private WorkItem toItem(RecordReader.Raw raw, RecordStream.Problems problems)
      throws BadSourceLineException {
    if (raw.isNoKey()) {
      noUrlCount.incrementAndGet();
      LOG.debug("{}:{}: no url (null), skipped", name(), raw.line());
      return null;
    }
    String problem = raw.problem();
    if (problem == null) {
      try {
        return new WorkItem(SourceUrls.parse(raw.url()), raw.attributes());
      } catch (InvalidArticleUrlException e) {
        problem = e.getMessage();
      }
    }
    problems.report(raw.line(), problem);
    return null;
  }

  /** Options of a {@link FileSource}. Not thread-safe; {@link #build} copies the settings. */
  public static final class Builder {
    private final SourceInput.Origin origin;
    private Format format;
    private boolean gzip;
    private boolean strict;
    private boolean deduplicate = true;
    private Consumer<SourceProblem> problems =
        p -> LOG.warn("skipped a bad source line: {}", p);

    private Builder(SourceInput.Origin origin, Format format, boolean gzip) {
      this.origin = origin;
      this.format = format;
      this.gzip = gzip;
    }

    /** Reads the input as {@code format} whatever its name. */
    public Builder format(Format format) {
      this.format = requireNonNull(format, "format");
      return this;
    }

    /** Whether the input is gzip-compressed; by default, when its name ends with {@code .gz}. */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /** Whether a bad line ends the stream instead of being skipped; default false. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** Whether a repeated URL is yielded once; default true. */
    public Builder deduplicate(boolean deduplicate) {
      this.deduplicate = deduplicate;
      return this;
    }

    /** Receives each skipped bad line (not called in strict mode); default: a WARN log line. */
    public Builder problems(Consumer<SourceProblem> listener) {
      this.problems = requireNonNull(listener, "listener");
      return this;
    }

    public FileSource build() {
      return new FileSource(this);
    }
  }
}
