package dev.pixivdic.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The command's standard output, and the check every command's results pass once the command is
 * done. A {@link PrintWriter} never throws: a full disk, a closed descriptor or a reader that
 * went away ({@code | head}) would lose the output and still exit 0. This writer keeps the first
 * error of its stream, so that the check can say why.
 */
final class StandardOutput extends PrintWriter {

  private final Recording stream;

  /** Writes to {@code stream} in the platform's charset, flushing at each line. */
  StandardOutput(OutputStream stream) {
    this(new Recording(stream));
  }

  private StandardOutput(Recording stream) {
    super(new OutputStreamWriter(stream, Charset.defaultCharset()), true);
    this.stream = stream;
  }

  /**
   * The exit code of a command that printed its results to {@code out} and would exit with
   * {@code code}: {@link ExitCodes#NOT_RECORDED} when {@code out} could not be written and the
   * command would exit 0 (any other code already tells the caller not to trust the run), the
   * code otherwise. A failed write is said once on {@code err}, whatever the code.
   */
  static int checked(int code, PrintWriter out, PrintWriter err) {
    if (!out.checkError()) {
      return code;
    }
    IOException why = out instanceof StandardOutput s ? s.stream.failure : null;
    err.println("pixiv: cannot write to standard output: "
        + Logging.escape(why == null || why.getMessage() == null ? "write error"
            : why.getMessage()));
    return code == ExitCodes.OK ? ExitCodes.NOT_RECORDED : code;
  }

  /** A stream that remembers its first failure, which the writer above it swallows. */
  private static final class Recording extends FilterOutputStream {
    private volatile IOException failure;

    Recording(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private IOException failed(IOException e) {
      if (failure == null) {
        failure = e;
      }
      return e;
    }
  }
}
