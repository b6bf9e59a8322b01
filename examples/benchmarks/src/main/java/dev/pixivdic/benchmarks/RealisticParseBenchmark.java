package dev.pixivdic.benchmarks;

import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Parse throughput on pages of realistic size ({@link RealisticPages}, 160-340 KB) in each
 * markup, one thread, one page per operation (ops/s is pages/s): {@code parse} is
 * {@link ArticleParser#parse}, {@code parseFull} the same with the fast path turned off (system
 * property {@code pixiv.parse.full=true}), {@code jsoupParse} builds the DOM of the same bytes
 * the way the parser's full path does ({@code Jsoup.parse} of the bytes, charset from the
 * content type). {@link ParseRatios} runs them in one JMH run and prints their ratios.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class RealisticParseBenchmark {

  private static final ArticleParser PARSER = ArticleParser.create();
  /** The documented switch to the full path (docs/parsing.md). */
  private static final String FULL_PATH_PROPERTY = "pixiv.parse.full";

  @Param({"NEXT_DATA", "CURRENT_DOM", "LEGACY"})
  public RealisticPages.Markup markup;

  private List<Page> pages;
  private int next;

  @Setup
  public void generate() {
    pages = RealisticPages.of(markup).stream().map(RealisticPages.Generated::page).toList();
  }

  @Benchmark
  public Object parse() {
    return PARSER.parse(nextPage());
  }

  /** The full path alone: the fast path turned off in this benchmark's own JVM. */
  @State(Scope.Benchmark)
  public static class FullPath {
    @Setup(Level.Trial)
    public void forceFullPath() {
      System.setProperty(FULL_PATH_PROPERTY, "true");
    }

    @TearDown(Level.Trial)
    public void restore() {
      System.clearProperty(FULL_PATH_PROPERTY);
    }
  }

  @Benchmark
  public Object parseFull(FullPath fullPath) {
    return PARSER.parse(nextPage());
  }

  @Benchmark
  public Object jsoupParse() throws IOException {
    Page p = nextPage();
    return Jsoup.parse(new ByteArrayInputStream(p.body()), "UTF-8", p.url().canonical());
  }

  private Page nextPage() {
    Page p = pages.get(next);
    next = (next + 1) % pages.size();
    return p;
  }
}
