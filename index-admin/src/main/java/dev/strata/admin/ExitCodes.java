package dev.strata.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/** Exit codes of index-admin: a public contract that operators' scripts test for. */
public final class ExitCodes {
  /** Everything asked for was done. */
  public static final int OK = 0;
  /** An unexpected failure: I/O, a damaged index, a bug. The message says which. */
  public static final int ERROR = 1;
  /** The command line or an argument was wrong (bad flag, bad vector, missing input file). */
  public static final int USAGE = 2;
  /**
   * The index is missing, already exists, locked by a writer, fenced by a live migration (or
   * migrated away behind its alias), or has another schema.
   */
  public static final int INDEX = 3;
  /** {@code ingest}: the valid records went in, but some lines were rejected. */
  public static final int REJECTED = 4;
  /**
   * {@code verify}: a snapshot is damaged or its manifest disagrees with its data; {@code publish
   * --verify-only}: the published index differs from the snapshot.
   */
  public static final int CORRUPT = 5;
  /** golden check, alias set: the candidate snapshot fails the golden query set. */
  public static final int REGRESSION = 6;
  /**
   * {@code publish}: the OpenSearch cluster refused or failed (unreachable, overloaded past the
   * retry limit, a record refused, a count that does not match); the alias was not moved.
   */
  public static final int REMOTE = 7;
  /**
   * {@code rebuild --alias}, {@code alias set}: another operator or migration acted on the alias at
   * the same time (it moved since it was read, another migration of it is running, a writer broke
   * the migration's fence after its lease, or writers outpaced its catch-up before the fence); nothing
   * was moved. Read the alias again and retry.
   */
  public static final int CONFLICT = 8;

  private ExitCodes() {}

  /** Each code with the one line {@code --help} prints for it, in order: the help is generated from here. */
  static Map<String, String> descriptions() {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put(Integer.toString(OK), "done");
    lines.put(Integer.toString(ERROR), "unexpected failure (I/O, damaged index)");
    lines.put(Integer.toString(USAGE), "bad command line or argument");
    lines.put(Integer.toString(INDEX), "index missing, already existing, locked, fenced by a live migration, of another schema or another model");
    lines.put(Integer.toString(REJECTED), "ingest: some records rejected (the valid ones went in)");
    lines.put(Integer.toString(CORRUPT), "verify: corruption or an inconsistent manifest found; publish --verify-only:"
        + " the published index differs; any command: the latest snapshot is damaged");
    lines.put(Integer.toString(REGRESSION), "golden check, alias set: the candidate fails the golden query set");
    lines.put(Integer.toString(REMOTE), "publish: the OpenSearch cluster failed or refused; the alias was not moved");
    lines.put(Integer.toString(CONFLICT), "rebuild --alias: the alias moved, another migration runs, or the fence lapsed;"
        + " nothing was moved");
    return lines;
  }
}
