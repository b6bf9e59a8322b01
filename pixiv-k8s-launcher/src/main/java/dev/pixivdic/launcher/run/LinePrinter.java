package dev.pixivdic.launcher.run;

import java.io.PrintStream;

/**
 * Prints pod log lines with their prefix. One line is one write under a lock, so lines of
 * different pods never interleave mid-line. Thread-safe.
 */
final class LinePrinter {
  private final PrintStream out;

  LinePrinter(PrintStream out) {
    this.out = out;
  }

  /**
   * Prints {@code content} under {@code prefix}. Carriage returns (progress bars) would make a
   * terminal overwrite the prefix, so each {@code \r}-separated part becomes its own line.
   */
  void print(String prefix, String content) {
    String text = content.endsWith("\r") ? content.substring(0, content.length() - 1) : content;
    StringBuilder sb = new StringBuilder(prefix.length() + text.length() + 2);
    if (text.indexOf('\r') < 0) {
      sb.append(prefix).append(text).append('\n');
    } else {
      for (String part : text.split("\r")) {
        if (!part.isEmpty()) {
          sb.append(prefix).append(part).append('\n');
        }
      }
    }
    synchronized (out) {
      out.print(sb);
      out.flush();
    }
  }
}
