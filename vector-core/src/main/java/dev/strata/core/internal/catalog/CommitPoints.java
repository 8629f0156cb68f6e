package dev.strata.core.internal.catalog;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;

/**
 * Reads an index's commit points one by one, so that one damaged {@code segments_N} (or a damaged
 * {@code .si} it names) is reported as damaged instead of failing the whole listing, as Lucene's
 * {@code DirectoryReader.listCommits} does: an old damaged snapshot must never hide the intact ones.
 */
public final class CommitPoints {
  /** Where a damaged commit point is moved so that a writer can open: the bytes stay for forensics. */
  public static final String QUARANTINE_PREFIX = "strata-damaged-";

  private static final System.Logger LOG = System.getLogger(CommitPoints.class.getName());

  private CommitPoints() {}

  /** What reading one commit point found. */
  public sealed interface Reading permits Intact, Damaged {}

  /** A commit point that reads. */
  public record Intact(IndexCommit commit) implements Reading {}

  /** A commit point that cannot be read: its file and why. */
  public record Damaged(String file, long generation, String problem) implements Reading {}

  /** The segments files in {@code directory}, oldest first. */
  public static List<String> segmentsFiles(Directory directory) throws IOException {
    List<String> names = new ArrayList<>();
    for (String file : directory.listAll()) {
      if (file.startsWith(IndexFileNames.SEGMENTS + "_") && generationOf(file) >= 0) {
        names.add(file);
      }
    }
    names.sort(java.util.Comparator.comparingLong(CommitPoints::generationOf));
    return names;
  }

  /**
   * Reads commit point {@code file}: the commit, or the damage found in it, or null when the file
   * vanished meanwhile (retention deleted the commit: it is simply no longer kept).
   *
   * @throws IOException an I/O error that says nothing about the file's content
   */
  public static Reading read(Directory directory, String file) throws IOException {
    try {
      return new Intact(new KeptCommit(directory, SegmentInfos.readCommit(directory, file)));
    } catch (CorruptIndexException | EOFException e) {
      return damagedUnlessGone(directory, file, e);
    } catch (NoSuchFileException | FileNotFoundException e) {
      return damagedUnlessGone(directory, file, e); // a missing .si, or the whole commit deleted
    }
  }

  private static Damaged damagedUnlessGone(Directory directory, String file, IOException e) throws IOException {
    if (!Arrays.asList(directory.listAll()).contains(file)) {
      return null;
    }
    return new Damaged(file, generationOf(file), String.valueOf(e.getMessage()));
  }

  /** The damaged commit points in {@code directory}, oldest first. */
  public static List<Damaged> damaged(Directory directory) throws IOException {
    List<Damaged> out = new ArrayList<>();
    for (String file : segmentsFiles(directory)) {
      if (read(directory, file) instanceof Damaged d) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * Moves every damaged commit point except {@code keep} aside (renamed with {@link
   * #QUARANTINE_PREFIX}), since Lucene's writer refuses to open beside one. Called by a writer
   * only: the snapshot such a file held is lost already, the index behind it stays usable.
   *
   * @return what was moved aside
   */
  public static List<Damaged> quarantine(java.nio.file.Path path, Directory directory, String keep) throws IOException {
    List<Damaged> moved = new ArrayList<>();
    for (Damaged d : damaged(directory)) {
      if (d.file().equals(keep)) {
        continue;
      }
      // A fresh suffix, not a time: two quarantines of the same name must not collide.
      String aside = QUARANTINE_PREFIX + d.file() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
      directory.rename(d.file(), aside);
      directory.syncMetaData();
      moved.add(d);
      LOG.log(System.Logger.Level.ERROR, "index " + path + ": commit point " + d.file() + " is damaged (" + d.problem()
          + "); moved aside as " + aside + " so that the index takes writes again. The snapshot it held is lost;"
          + " 'index-admin verify' lists the intact ones");
    }
    return moved;
  }

  /** Files a writer moved aside, for verify to list. */
  public static List<String> quarantined(Directory directory) throws IOException {
    return Arrays.stream(directory.listAll()).filter(f -> f.startsWith(QUARANTINE_PREFIX)).sorted().toList();
  }

  static long generationOf(String segmentsFile) {
    try {
      return SegmentInfos.generationFromSegmentsFileName(segmentsFile);
    } catch (NumberFormatException e) {
      return -1; // not a commit point (Lucene tolerates such "trash" names too)
    }
  }

  /** A commit point read on its own; Lucene's own implementation is package-private. */
  private static final class KeptCommit extends IndexCommit {
    private final Directory directory;
    private final String segmentsFile;
    private final Collection<String> files;
    private final long generation;
    private final int segmentCount;
    private final Map<String, String> userData;

    KeptCommit(Directory directory, SegmentInfos infos) throws IOException {
      this.directory = directory;
      this.segmentsFile = infos.getSegmentsFileName();
      this.files = java.util.Collections.unmodifiableCollection(infos.files(true));
      this.generation = infos.getGeneration();
      this.segmentCount = infos.size();
      this.userData = Map.copyOf(infos.getUserData());
    }

    @Override
    public String getSegmentsFileName() {
      return segmentsFile;
    }

    @Override
    public Collection<String> getFileNames() {
      return files;
    }

    @Override
    public Directory getDirectory() {
      return directory;
    }

    @Override
    public void delete() {
      throw new UnsupportedOperationException("only the writer's deletion policy deletes a commit");
    }

    @Override
    public boolean isDeleted() {
      return false;
    }

    @Override
    public int getSegmentCount() {
      return segmentCount;
    }

    @Override
    public long getGeneration() {
      return generation;
    }

    @Override
    public Map<String, String> getUserData() {
      return userData;
    }

    @Override
    public String toString() {
      return "commit " + segmentsFile;
    }
  }
}
