package dev.strata.admin;

import dev.strata.core.EmbeddingDriftException;
import dev.strata.core.IndexAlreadyExistsException;
import dev.strata.core.IndexDamagedException;
import dev.strata.core.IndexLockedException;
import dev.strata.core.WriteFencedException;
import dev.strata.core.FenceLostException;
import dev.strata.core.serving.AliasChangedException;
import dev.strata.core.serving.CatchUpTooSlowException;
import dev.strata.core.serving.MigrationInProgressException;
import dev.strata.core.IndexNotFoundException;
import dev.strata.core.SchemaMismatchException;
import dev.strata.core.StrataException;
import dev.strata.core.promotion.PromotionBlockedException;
import dev.strata.opensearch.PublishException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The operator CLI over Strata indexes. */
@Command(
    name = "index-admin",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // --help and --version on every command, declared once
    versionProvider = IndexAdmin.Version.class,
    description = "Create, fill, search and inspect Strata vector indexes.",
    subcommands = {
      InitCommand.class,
      IngestCommand.class,
      DeleteCommand.class,
      SearchCommand.class,
      EvalCommand.class,
      StatsCommand.class,
      DriftCommand.class,
      SnapshotCommand.class,
      VerifyCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      UpgradeCommand.class,
      EmbedCommand.class,
      AliasCommand.class,
      RebuildCommand.class,
      CompactCommand.class,
      GoldenCommand.class,
      MonitorCommand.class,
      PublishCommand.class,
      CommandLine.HelpCommand.class
    })
public final class IndexAdmin implements Runnable {
  /**
   * DJL (the tokenizer's wrapper) logs its CUDA probing and native-library lookup at INFO and
   * WARNING; for the tokenizer neither matters and the CLI's stderr is for the operator. Held in a
   * field: java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger DJL_LOG = java.util.logging.Logger.getLogger("ai.djl");

  /**
   * Every logger's parent: at WARNING unless --verbose, so Lucene's vector-API notice and the
   * kernel choice, logged at INFO on every start, stay off an operator's terminal.
   */
  private static final java.util.logging.Logger ROOT_LOG = java.util.logging.Logger.getLogger("");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Also print the libraries' informational log lines (Lucene's vector API, the distance kernels"
          + " chosen, compaction reports) on stderr.")
  void verbose(boolean on) {
    ROOT_LOG.setLevel(on ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
  }

  /** Runs one command and exits with its code (see docs/CLI.md for the codes). */
  public static void main(String[] args) {
    DJL_LOG.setLevel(java.util.logging.Level.SEVERE);
    ROOT_LOG.setLevel(java.util.logging.Level.WARNING);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    // A failure on a thread the command started (a merge, a background build) is reported by the
    // command that waits on it; the thread itself says one line, not a stack trace.
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> err.println("warning: background thread "
        + thread.getName() + " failed: " + rootCause(failure)));
    System.exit(commandLine(out, err).execute(args));
  }

  private static String rootCause(Throwable failure) {
    Throwable root = failure;
    for (int depth = 0; root.getCause() != null && depth < 20; depth++) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** The one place the CLI is assembled; {@code main} and the tests both use it. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new IndexAdmin());
    cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.descriptions());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(IndexAdmin::handle);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints the message, not a stack trace, and maps the failure to its exit code. */
  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    int code = exitCodeOf(e);
    err.println("error: " + e.getMessage());
    if (code == ExitCodes.ERROR && !(e instanceof StrataException) && !IoErrors.isIo(e)) {
      e.printStackTrace(err); // not one of ours: a bug or an environment problem, keep the trace
    }
    err.flush();
    return code;
  }

  static int exitCodeOf(Exception e) {
    if (e instanceof IndexNotFoundException
        || e instanceof IndexAlreadyExistsException
        || e instanceof SchemaMismatchException
        || e instanceof IndexLockedException
        || e instanceof WriteFencedException
        || e instanceof EmbeddingDriftException) {
      return ExitCodes.INDEX;
    }
    if (e instanceof AliasChangedException || e instanceof MigrationInProgressException
        || e instanceof FenceLostException || e instanceof CatchUpTooSlowException) {
      return ExitCodes.CONFLICT;
    }
    if (e instanceof IndexDamagedException) {
      return ExitCodes.CORRUPT;
    }
    if (e instanceof PromotionBlockedException) {
      return ExitCodes.REGRESSION;
    }
    if (e instanceof PublishException) {
      return ExitCodes.REMOTE;
    }
    if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.ERROR;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = IndexAdmin.class.getPackage().getImplementationVersion();
      return new String[] {"index-admin " + (version == null ? "(development build)" : version)};
    }
  }
}
