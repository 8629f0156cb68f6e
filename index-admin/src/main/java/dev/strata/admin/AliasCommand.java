package dev.strata.admin;

import dev.strata.core.serving.IndexAlias;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alias set|show}: stable names that services follow, repointed atomically. */
@Command(
    name = "alias",
    header = "Point a stable name (an alias file) at an index and snapshot.",
    description = {
      "Point a stable name (an alias file) at an index and snapshot; services that open the alias",
      "follow it on refresh. The file is replaced atomically: a crash leaves the old or the new target."
    },
    subcommands = {AliasCommand.Set.class, AliasCommand.Show.class})
final class AliasCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The JSON shape of an alias in {@code alias show --json} and {@code alias set --json}. */
  static Map<String, Object> json(IndexAlias alias) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alias", alias.aliasFile().toString());
    m.put("index", alias.index().toString());
    m.put("snapshot", alias.snapshotId() == null ? "latest" : alias.snapshotId());
    m.put("dimension", alias.dimension());
    m.put("similarity", alias.similarity().externalName());
    m.put("modelFingerprint", alias.modelFingerprint());
    m.put("generation", alias.generation());
    m.put("updatedAt", alias.updatedAt().toString());
    return m;
  }

  static void print(PrintWriter out, IndexAlias alias) {
    out.printf("%s -> %s, snapshot %s (%d-d %s%s), generation %d, set %s%n",
        alias.aliasFile(), alias.index(), alias.snapshotId() == null ? "latest" : alias.snapshotId(),
        alias.dimension(), alias.similarity().externalName(),
        alias.modelFingerprint() == null ? "" : ", model " + alias.modelFingerprint(),
        alias.generation(), alias.updatedAt());
  }

  @Command(
      name = "set",
      description = {
        "Create or repoint an alias. Repointing to an index whose dimension, similarity or model",
        "differs from the current target's is refused (exit 3) unless --force is given."
      })
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ALIASFILE", description = "The alias file (created if absent).")
    Path aliasFile;

    @Parameters(index = "1", paramLabel = "DIR", description = "The index directory to point at.")
    Path index;

    @Option(names = "--snapshot", paramLabel = "ID|TAG",
        description = "Pin a snapshot (default: follow the index's latest commit).")
    String snapshot;

    @Option(names = "--force", description = "Repoint even to an index of another shape or model.")
    boolean force;

    @Mixin OutputFormat format;

    @Override
    public Integer call() {
      IndexAlias alias = IndexAlias.set(aliasFile, index, snapshot, force);
      if (format.json) {
        Json.print(spec.commandLine().getOut(), json(alias));
      } else {
        print(spec.commandLine().getOut(), alias);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Print where an alias points.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ALIASFILE", description = "The alias file.")
    Path aliasFile;

    @Mixin OutputFormat format;

    @Override
    public Integer call() {
      IndexAlias alias = IndexAlias.read(aliasFile);
      if (format.json) {
        Json.print(spec.commandLine().getOut(), json(alias));
      } else {
        print(spec.commandLine().getOut(), alias);
      }
      return ExitCodes.OK;
    }
  }
}
