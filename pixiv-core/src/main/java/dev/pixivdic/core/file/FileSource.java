package dev.pixivdic.core.file;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.InvalidArticleUrlException;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
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
 * {@code url}, bytes that are not UTF-8) are reported to the problem listener (by default logged at WARN), counted and
 * skipped. An NDJSON record whose {@code url} is an explicit JSON {@code null} (a name that
 * {@code pixiv resolve} found no article for) is not a bad line: it is skipped quietly, logged at
 * DEBUG and counted by {@link #noUrlCount()}. In strict mode the first bad line ends the stream with an
 * {@link UncheckedIOException} whose cause is a {@link BadSourceLineException}; some errors
 * are fatal in every mode (see that class). Read errors arrive the same way, wrapped in
 * {@link UncheckedIOException}.
 *
 * <p>Thread-safe: streams may be consumed from different threads; each stream is for one thread.
 * The problem listener is called on the consuming thread.
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

  private final String name;
  private final Format format;
  private final boolean gzip;
  private final Opener opener;
  private final boolean readOnce;
  private final boolean strict;
  private final boolean deduplicate;
  private final Consumer<SourceProblem> problems;
  private final AtomicBoolean consumed = new AtomicBoolean();
  private final AtomicLong problemCount = new AtomicLong();
  private final AtomicLong duplicateCount = new AtomicLong();
  private final AtomicLong noUrlCount = new AtomicLong();

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  private FileSource(Builder b) {
    this.name = b.name;
    this.format = b.format;
    this.gzip = b.gzip;
    this.opener = b.opener;
    this.readOnce = b.readOnce;
    this.strict = b.strict;
    this.deduplicate = b.deduplicate;
    this.problems = b.problems;
  }

  /** A lenient, de-duplicating source over {@code file}, its format implied by its name. */
  public static FileSource open(Path file) {
    return builder(file).build();
  }

  /** A builder for a source over {@code file}; the format defaults to the one its name implies. */
  public static Builder builder(Path file) {
    requireNonNull(file, "file");
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return new Builder(file.toString(), Format.ofFileName(fileName),
        fileName.toLowerCase(Locale.ROOT).endsWith(".gz"), () -> newInputStream(file), false);
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
    return new Builder("stdin", Format.URL_LIST, false,
        () -> requireNonNull(in.get(), "the stdin supplier returned null"), true);
  }

  /** The source's name in messages: the path as given, or {@code stdin}. */
  public String name() {
    return name;
  }

  /** The format the source is read as. */
  public Format format() {
    return format;
  }

  /** Bad lines reported so far, over all streams of this source. */
  public long problemCount() {
    return problemCount.get();
  }

  /** Repeated URLs left out so far, over all streams of this source. */
  public long duplicateCount() {
    return duplicateCount.get();
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
    return records("url", shard, this::toItem, WorkItem::key, deduplicate);
  }

  /** What one record becomes: an item, or null to skip it (a bad line is reported first). */
  @FunctionalInterface
  interface RecordMapper<T> {
    T map(RecordReader.Raw raw) throws BadSourceLineException;
  }

  /**
   * Streams the input's records keyed by {@code column} (once for a stdin source), each mapped
   * by {@code toItem}, keeping those whose key is in {@code shard} and, when {@code deduplicate},
   * only the first of each key (the others are counted as duplicates). Closing the stream closes
   * the input. Shared by the URL items of this source and the names of {@link NameSource}.
   */
  <T> Stream<T> records(String column, Shard shard, RecordMapper<T> toItem,
      Function<? super T, String> key, boolean deduplicate) throws IOException {
    RecordReader reader = openRecords(column);
    return StreamSupport.stream(new Records<>(reader, shard, toItem, key, deduplicate), false)
        .onClose(() -> {
          try {
            reader.close();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + name, e);
          }
        });
  }

  /**
   * Opens the input as records keyed by {@code column} (in a URL list, each line is the key),
   * once for a stdin source.
   */
  private RecordReader openRecords(String column) throws IOException {
    if (readOnce && !consumed.compareAndSet(false, true)) {
      throw new IllegalStateException(
          name + " can be read only once; save it to a file to read it again");
    }
    return openReader(column);
  }

  /**
   * Reports a bad line: in strict mode by throwing, else to the listener.
   *
   * @throws BadSourceLineException in strict mode
   */
  void badLine(long line, String problem) throws BadSourceLineException {
    // A problem may quote the line: keep it short and free of control characters.
    problem = Preview.of(problem, 300);
    if (strict) {
      throw new BadSourceLineException(name, line, problem);
    }
    problemCount.incrementAndGet();
    problems.accept(new SourceProblem(name, line, problem));
  }

  private RecordReader openReader(String column) throws IOException {
    InputStream raw = opener.open();
    try {
      InputStream in = raw;
      if (gzip) {
        try {
          in = new GZIPInputStream(raw, 65536);
        } catch (java.util.zip.ZipException e) {
          throw new IOException(name + " is not gzip-compressed: " + e.getMessage(), e);
        }
      }
      // Bytes that are not UTF-8 decode to U+FFFD; the readers reject such lines one by one,
      // which reports the right line, where a decoding exception would stop the whole stream.
      BufferedReader text = new BufferedReader(
          new InputStreamReader(in, StandardCharsets.UTF_8), 65536);
      skipByteOrderMark(text);
      return switch (format) {
        case URL_LIST -> new UrlListReader(new UrlListReader.LineCountingReader(text));
        case NDJSON -> new NdjsonRecordReader(new UrlListReader.LineCountingReader(text), column);
        case CSV -> new CsvRecordReader(text, name, column);
      };
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static void skipByteOrderMark(BufferedReader r) throws IOException {
    r.mark(1);
    if (r.read() != '\uFEFF') {
      r.reset();
    }
  }

  private static InputStream newInputStream(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not a source file");
    }
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "the source file does not exist");
    }
  }

  private static String stripGz(String name) {
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  private WorkItem toItem(RecordReader.Raw raw) throws BadSourceLineException {
    if (raw.isNoKey()) {
      noUrlCount.incrementAndGet();
      LOG.debug("{}:{}: no url (null), skipped", name, raw.line());
      return null;
    }
    String problem = raw.problem();
    if (problem == null) {
      try {
        return new WorkItem(ArticleUrl.parse(raw.url()), raw.attributes());
      } catch (InvalidArticleUrlException e) {
        problem = e.getMessage();
      }
    }
    badLine(raw.line(), problem);
    return null;
  }

  private final class Records<T> extends Spliterators.AbstractSpliterator<T> {
    private final RecordReader reader;
    private final Shard shard;
    private final RecordMapper<T> toItem;
    private final Function<? super T, String> key;
    private final LongHashSet seen;

    Records(RecordReader reader, Shard shard, RecordMapper<T> toItem,
        Function<? super T, String> key, boolean deduplicate) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.reader = reader;
      this.shard = shard;
      this.toItem = toItem;
      this.key = key;
      this.seen = deduplicate ? new LongHashSet() : null;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      try {
        RecordReader.Raw raw;
        while ((raw = reader.next()) != null) {
          T item = toItem.map(raw);
          if (item == null || !shard.contains(key.apply(item))) {
            continue;
          }
          if (seen != null && !seen.add(Shard.fingerprint(key.apply(item)))) {
            duplicateCount.incrementAndGet();
            continue;
          }
          action.accept(item);
          return true;
        }
        return false;
      } catch (BadSourceLineException e) {
        throw new UncheckedIOException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(new IOException(
            "cannot read " + name + ": " + e.getMessage(), e));
      }
    }
  }

  /** Options of a {@link FileSource}. Not thread-safe; {@link #build} copies the settings. */
  public static final class Builder {
    private final String name;
    private final Opener opener;
    private final boolean readOnce;
    private Format format;
    private boolean gzip;
    private boolean strict;
    private boolean deduplicate = true;
    private Consumer<SourceProblem> problems =
        p -> LOG.warn("skipped a bad source line: {}", p);

    private Builder(String name, Format format, boolean gzip, Opener opener, boolean readOnce) {
      this.name = name;
      this.format = format;
      this.gzip = gzip;
      this.opener = opener;
      this.readOnce = readOnce;
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
