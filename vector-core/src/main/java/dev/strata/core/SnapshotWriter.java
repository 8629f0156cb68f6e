package dev.strata.core;

/**
 * Who made a snapshot, as its manifest records it: for an operator asking "which process wrote
 * this", never for a decision (a host name or a process id means nothing on another machine).
 * Snapshots written before Strata recorded it have none ({@code null} where a writer is read).
 *
 * @param host the writing machine's host name
 * @param user the operating-system user of the writing process
 * @param process the writing process's id on that host
 * @param strataVersion the Strata version that wrote it ("development" for a build outside Maven)
 */
public record SnapshotWriter(String host, String user, long process, String strataVersion) {
  @Override
  public String toString() {
    return user + "@" + host + " pid " + process + ", Strata " + strataVersion;
  }
}
