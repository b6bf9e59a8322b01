package dev.pixivdic.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the pixiv command in this JVM and captures what it prints. */
final class Cli {

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
