package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.internal.Progress;
import dev.pixivdic.core.run.internal.RunEngine;
import java.io.PrintWriter;

/**
 * The one structured line a fetching command prints last, for machines: {@value #MARKER}
 * followed by a JSON object on the same line. {@code pixiv-launch} finds it in each pod's log
 * to build the Job report; docs/operations.md gives the schema. The line is printed in both log
 * formats, on stderr like the summary, and holds counts and ids only: no URL, no option value
 * that could carry a credential. It is kept short, well under the 16 KiB at which container
 * runtimes split a log line.
 */
final class FinalLine {

  /** What starts the line; followed by one space and the JSON object. */
  static final String MARKER = "PIXIV_RESULT";
  /** The schema's version: a reader ignores fields it does not know, and a newer version. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private FinalLine() {}

  /** The JSON object of the line, from the run's report and the command's context. */
  static ObjectNode json(RunReport r, ReportWriter.Context c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("command", c.command());
    o.put("run_id", r.runId());
    o.put("shard", r.shard());
    o.put("stop_reason", r.stopReason().name());
    o.put("exit_code", c.exitCode());
    o.put("items_read", r.itemsRead());
    o.put("items_skipped", r.skipped());
    o.put("items_processed", r.processed());
    o.put("items_failed", r.failed());
    o.put("items_failed_for_good", r.failedForGood());
    o.put("rows_written", r.rowsWritten());
    o.put("rows_dropped", r.rowsDropped());
    FetchStats f = c.fetch();
    o.put("requests", f == null ? 0 : f.requestsSent());
    o.put("retries", f == null ? 0 : f.retries());
    o.put("elapsed_seconds", r.duration().toMillis() / 1000.0);
    o.put("qps", c.qpsBudget());
    o.put("drift", r.drift().verdict());
    return o;
  }

  /** The whole line, without a line end. */
  static String line(RunReport r, ReportWriter.Context c) {
    return MARKER + " " + json(r, c);
  }

  /**
   * A fetching command, whose run is followed by {@link Pending} so that an unexpected error
   * that escapes it still ends the log with the line ({@code Main}'s handler prints it).
   */
  interface Command {
    /** The run being set up, or empty when the command has not started. */
    java.util.Optional<Pending> pending();
  }

  /**
   * What a fetching command knows of its run, so that a run that ends before its engine
   * reports (an option refused after parsing, a source or sink that cannot be opened, a sink
   * held by another run, a bug) still ends its log with the line: with zero counts before the
   * engine runs, with the engine's counts so far after. A pod's log always ends with the line,
   * and the exit code is the line's once it is printed. Used by the command's own thread, and
   * by a signal's before the engine runs ({@link #interrupted}).
   */
  static final class Pending {
    /** The stop reason of a run refused before it opened anything (exit 2). */
    static final String REFUSED = "REFUSED";
    /** The stop reason of a run ended by an unexpected error (exit 1). */
    static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    /** The stop reason of a run stopped by a signal before its engine started (130, 143). */
    static final String INTERRUPTED = "INTERRUPTED";

    private final String command;
    private final long startNanos = System.nanoTime();
    private final java.time.Instant started = java.time.Instant.now();
    /** The run's {@code --report}, once checked ({@link #reportTo}); else null. */
    private volatile java.nio.file.Path report;
    private volatile String sourceName = "";
    private volatile String runId = "";
    private volatile String shard = "";
    private volatile String stage = REFUSED;
    private volatile double qps;
    private volatile boolean noLine;
    private volatile RunEngine<?, ?> engine;
    private volatile java.util.function.Supplier<FetchStats> fetchStats;
    /** Whether a command took this line up ({@link #of}): else it is still {@code main}'s. */
    private volatile boolean takenUp;
    /** Standard error as {@code main} gated it ({@link #gate}), or null. */
    private volatile Gate gate;
    private Integer printedCode;
    /** The run's own line and code, once decided ({@link #decided}); else null. */
    private String decidedLine;
    private int decidedCode;
    /** A dry run's code once it has listed its items ({@link #listed}); else null. */
    private Integer listedCode;
    /** The code of a signal taken while the command printed no line; else 0. */
    private int signalled;

    Pending(String command) {
      this.command = command;
    }

    /** The line {@code main} made for the command it is about to run; else null. */
    private static Pending startup; // guarded by Pending.class

    /**
     * The line of the command {@code main} is about to run, made before it reads the command
     * line, so that a signal then prints it ({@link StopOnSignal#atStartup}); the command takes
     * it up with {@link #of}, and one line is printed at most.
     */
    static synchronized Pending atStartup(String command) {
      startup = new Pending(command);
      return startup;
    }

    /** The line of {@code command}: the one {@code main} made for it, else a new one. */
    static synchronized Pending of(String command) {
      Pending p = startup != null && startup.command.equals(command) ? startup
          : new Pending(command);
      startup = null;
      p.takenUp = true;
      return p;
    }

    /**
     * {@code out}, as the command's standard error, with this line printed through it
     * ({@link #emit}): nothing passes once the line is printed, so a signal's line stays last
     * while the main thread still writes; and a write before a command took the line up (a
     * usage error: no command runs) means no line follows. The gate has a lock of its own, which
     * nothing holds while waiting on another (the writers above it, such as the masking one,
     * hold theirs while they write here, and the line's printer holds this line's).
     */
    java.io.Writer gate(java.io.Writer out) {
      Gate g = new Gate(out);
      gate = g;
      return g;
    }

    /**
     * {@code bytes}, for the log's lines, through the gate {@link #gate} made (which must have
     * been made): each write is whole before the line or dropped after it, so a log line that a
     * run's thread writes as a signal's line is printed cannot follow the line. A log line does
     * not count as a usage error written before a command took the line up.
     */
    java.io.OutputStream logs(java.io.OutputStream bytes) {
      Gate g = java.util.Objects.requireNonNull(gate, "no gate");
      return new java.io.OutputStream() {
        @Override
        public void write(int b) throws java.io.IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
          synchronized (g.lock) {
            if (!g.closed) {
              bytes.write(b, off, len);
              bytes.flush();
            }
          }
        }

        @Override
        public void close() {
          // Logback closes its stream when its appender stops: standard error stays open.
        }
      };
    }

    /** See {@link #gate}. */
    private final class Gate extends java.io.Writer {
      private final java.io.Writer out;
      private final Object lock = new Object();
      private boolean closed; // guarded by lock
      private boolean written; // guarded by lock: something passed before a command ran

      Gate(java.io.Writer out) {
        this.out = out;
      }

      @Override
      public void write(char[] chars, int off, int len) throws java.io.IOException {
        synchronized (lock) {
          if (closed) {
            return;
          }
          written |= !takenUp;
          // Flushed under the lock: bytes left in a buffer would come after the line.
          out.write(chars, off, len);
          out.flush();
        }
      }

      /** Writes the line and closes the gate; false when it is closed or a usage error passed. */
      boolean emit(String line) {
        synchronized (lock) {
          if (closed || written && !takenUp) {
            return false;
          }
          try {
            out.write(line + System.lineSeparator());
            out.flush();
          } catch (java.io.IOException e) {
            // Standard error is gone: the exit code still says what the line would have.
          }
          closed = true;
          return true;
        }
      }

      @Override
      public void flush() throws java.io.IOException {
        synchronized (lock) {
          out.flush();
        }
      }

      @Override
      public void close() throws java.io.IOException {
        flush();
      }
    }

    /**
     * Prints {@code line}, this line's text, last: through the gate {@code main} made, else on
     * {@code err}. False when it is not printed (the gate refused it). Waits for the write at
     * most {@link #WRITE_WAIT} ({@link #bounded}).
     */
    boolean emit(String line, PrintWriter err) {
      Gate g = gate;
      return bounded(() -> {
        if (g != null) {
          return g.emit(line);
        }
        err.println(line);
        err.flush();
        return true;
      });
    }

    /**
     * How long the line's write (and a signal's warning before it) may keep the exit waiting:
     * a standard error that nobody reads (a full pipe) would otherwise hold the process forever,
     * with the locks that decide its exit code.
     */
    static final java.time.Duration WRITE_WAIT = java.time.Duration.ofSeconds(3);

    /**
     * Runs {@code write} on a daemon thread and waits for it at most {@link #WRITE_WAIT}: its
     * answer, or true when it has not finished by then (the text is handed to standard error,
     * which may take it later; nothing else is printed after it, and the exit does not wait).
     */
    private static boolean bounded(java.util.function.BooleanSupplier write) {
      java.util.concurrent.FutureTask<Boolean> task =
          new java.util.concurrent.FutureTask<>(write::getAsBoolean);
      Thread t = new Thread(task, "pixiv-final-line");
      t.setDaemon(true);
      t.start();
      try {
        return task.get(WRITE_WAIT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    /**
     * The run's {@code --report} ({@code null}: none), once it is checked ({@link
     * ReportWriter#checkTarget}), and what the report names as its source: a signal before the
     * engine runs writes there that the run was stopped before it started ({@link #interrupted}).
     * Before, nothing is written: the file may be one the report must not replace.
     */
    void reportTo(java.nio.file.Path file, String source) {
      this.sourceName = java.util.Objects.requireNonNull(source, "source");
      this.report = file;
    }

    /**
     * Writes the run's report {@code json} to {@code file}, unless a line was printed before:
     * then a signal ended the run before its engine started ({@link #running} waited for it), and
     * the report written with that line says so ({@link #interrupted}); the process is exiting
     * with its code, and a run that ended meanwhile must not replace it.
     *
     * @throws java.io.IOException as {@link ReportWriter#write} throws it
     */
    void writeReport(java.nio.file.Path file, ObjectNode json) throws java.io.IOException {
      if (printedCode().isEmpty()) {
        ReportWriter.write(file, json);
      }
    }

    /** The run's budget of requests a second, as the line reports it. */
    Pending qps(double budget) {
      this.qps = budget;
      return this;
    }

    /** The run's id and shard, once its configuration is built. */
    void run(String id, String shardText) {
      this.runId = id;
      this.shard = shardText;
    }

    String runId() {
      return runId;
    }

    String shard() {
      return shard;
    }

    /**
     * What is being done now, as the stop reason of a failure there: {@code SOURCE_FAILED} or
     * {@code SINK_FAILED} while the source or the sink is opened (a file that is not there is
     * a source that failed, whatever the exception), {@link #REFUSED} while options are checked.
     */
    void opening(String stopReason) {
      this.stage = stopReason;
    }

    /** A dry run: it lists what it would do, and prints no line. */
    void noLine() {
      noLine = true;
    }

    /**
     * A dry run has listed its items with {@code code}: the code to exit with, decided once
     * against a signal's ({@link #interrupted}), which may come at the same moment on its own
     * thread. A signal taken before makes it the signal's code, as for any run that a signal
     * stopped; one taken after exits with {@code code}, so the process ends with one code
     * whichever thread calls {@code System.exit} first.
     */
    synchronized int listed(int code) {
      if (signalled != 0) {
        return signalled;
      }
      listedCode = code;
      return code;
    }

    /** The fetcher's counts so far, for a line printed before the run's own. */
    void fetching(java.util.function.Supplier<FetchStats> stats) {
      this.fetchStats = stats;
    }

    /**
     * The engine runs now: a line printed for a failure from here on holds its counts. Waits for
     * a signal's line being printed ({@link #interrupted}): a signal either comes before, and
     * its report is written, or after, and the run's own report is.
     */
    synchronized void running(RunEngine<?, ?> runEngine) {
      this.engine = runEngine;
    }

    /**
     * The run's outcome is decided ({@link RunSupport}): the summary and the report say
     * {@code code}, and a signal's forced exit from now on prints {@code line} with it.
     */
    synchronized void decided(String line, int code) {
      decidedLine = line;
      decidedCode = code;
    }

    /** The exit code of the line printed, if it was. */
    synchronized java.util.Optional<Integer> printedCode() {
      return java.util.Optional.ofNullable(printedCode);
    }

    /**
     * Prints the line {@link #decided} (the run's own), unless a line was printed (a second
     * signal's forced exit prints the decided one), and returns the code of the line printed:
     * the decided one when the gate refused it.
     */
    synchronized int printDecided(PrintWriter err) {
      if (printedCode != null) {
        return printedCode;
      }
      if (emit(java.util.Objects.requireNonNull(decidedLine, "not decided"), err)) {
        printedCode = decidedCode;
      }
      return decidedCode;
    }

    /**
     * Prints why the command stopped ({@link Outcomes#refused}) and its line, and returns the
     * exit code; once the line was printed, only returns its code: nothing follows the line.
     */
    synchronized int failed(String commandName, Exception e, PrintWriter err) {
      if (printedCode != null) {
        return printedCode;
      }
      int code = Outcomes.refused(commandName, e, err);
      printIfEarly(code, err);
      return code;
    }

    /**
     * Prints the line of a run that ended before its engine reported, unless a line was
     * printed or the command prints none.
     */
    void printIfEarly(int exitCode, PrintWriter err) {
      printIfEarly(exitCode, stage, err);
    }

    /**
     * A signal came before the engine ran: writes the report ({@link #reportTo}, if one was
     * given and checked), prints the line with {@link #INTERRUPTED} and the signal's code, and
     * returns the code to exit with; once a line was printed, its code.
     */
    synchronized int interrupted(int signalCode, PrintWriter err) {
      if (takenUp && engine == null && !noLine && printedCode == null) {
        // Said only when the line follows: after a line, nothing is said (a refusal's line
        // was printed as the signal came), and before the command runs, logging is not set.
        // Bounded as the line is: the log writes to the same standard error.
        bounded(() -> {
          org.slf4j.LoggerFactory.getLogger(StopOnSignal.class).warn("stopped by {} before"
              + " the run started: nothing was fetched or written",
              signalCode == ExitCodes.SIGINT ? "SIGINT" : "SIGTERM");
          return true;
        });
      }
      if (decidedLine != null && printedCode == null && !noLine) {
        if (emit(decidedLine, err)) {
          printedCode = decidedCode;
        }
        return printedCode != null ? printedCode : decidedCode;
      }
      if (noLine && listedCode != null) {
        return listedCode; // a dry run that has listed its items exits with its own code
      }
      if (engine == null && !noLine && printedCode == null) {
        writeInterruptedReport(signalCode);
      }
      printIfEarly(signalCode, INTERRUPTED, err);
      if (printedCode == null && signalled == 0) {
        signalled = signalCode;
      }
      return printedCode != null ? printedCode : signalCode;
    }

    /**
     * Writes the report of a run stopped by a signal before its engine ran, to its checked
     * {@code --report} if it has one: zero counts, {@code stop_reason} {@link #INTERRUPTED}, the
     * signal's exit code, no drift verdict (no page was judged), as the line says. Waited for as
     * the line is ({@link #bounded}); a report that cannot be written is said, and the exit code
     * stays the signal's (the run did not start: a retry is right either way).
     */
    private void writeInterruptedReport(int signalCode) {
      java.nio.file.Path file = report;
      if (file == null) {
        return;
      }
      String signal = signalCode == ExitCodes.SIGINT ? "SIGINT" : "SIGTERM";
      RunReport r = RunReport.builder().runId(runId).shard(shard).startedAt(started)
          .finishedAt(java.time.Instant.now())
          .stopReason(dev.pixivdic.core.run.StopReason.INTERRUPTED)
          .problems(java.util.List.of("stopped by " + signal + " before the run started:"
              + " nothing was fetched or written"))
          .build();
      ReportWriter.Context c = new ReportWriter.Context(command, signalCode, null, qps,
          sourceName, 0, 0, java.util.List.of());
      ObjectNode json = ReportWriter.json(r, c);
      ((ObjectNode) json.get("drift")).putNull("verdict");
      bounded(() -> {
        try {
          ReportWriter.write(file, json);
        } catch (java.io.IOException e) {
          org.slf4j.LoggerFactory.getLogger(StopOnSignal.class).warn("the report {} was not"
              + " written: {}", file, Outcomes.message(e));
        }
        return true;
      });
    }

    /**
     * {@code main}'s command line is done with {@code code}: the code to exit with, that of the
     * line if one was printed (a signal's may have come while the command line was read), and
     * no line is printed from now on.
     */
    synchronized int finish(int code) {
      if (printedCode != null) {
        return printedCode;
      }
      noLine = true;
      return code;
    }

    /** As {@link #printIfEarly(int, PrintWriter)}, whatever was being done, with this reason. */
    synchronized void printIfEarly(int exitCode, String stopReason, PrintWriter err) {
      if (noLine || printedCode != null) {
        return;
      }
      if (emit(MARKER + " " + json(exitCode, stopReason), err)) {
        printedCode = exitCode;
      } else {
        noLine = true;
      }
    }

    private ObjectNode json(int exitCode, String stopReason) {
      ObjectNode o = JSON.createObjectNode();
      o.put("v", VERSION);
      o.put("command", command);
      o.put("run_id", runId);
      o.put("shard", shard);
      o.put("stop_reason", stopReason);
      o.put("exit_code", exitCode);
      Progress p = engine == null ? null : engine.progress();
      o.put("items_read", p == null ? 0 : p.read());
      o.put("items_skipped", p == null ? 0 : p.skipped());
      o.put("items_processed", p == null ? 0 : p.processed());
      o.put("items_failed", p == null ? 0 : p.failed());
      // The engine's progress does not know which failures are for good (that is judged at the
      // end of a run), nor the rows it would drop; the fetcher counts as it goes.
      o.put("items_failed_for_good", 0);
      o.put("rows_written", p == null ? 0 : p.rowsWritten());
      o.put("rows_dropped", 0);
      java.util.function.Supplier<FetchStats> fetched = fetchStats;
      FetchStats f = fetched == null ? null : fetched.get();
      o.put("requests", f == null ? 0 : f.requestsSent());
      o.put("retries", f == null ? 0 : f.retries());
      o.put("elapsed_seconds", (System.nanoTime() - startNanos) / 1_000_000 / 1000.0);
      o.put("qps", qps);
      // No verdict: the drift guard's is in the engine's report, which this run did not reach
      // (TOO_FEW_PAGES would say the run judged pages, too few of them).
      o.putNull("drift");
      return o;
    }
  }
}
