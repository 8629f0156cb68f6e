package dev.strata.core.serving;

import dev.strata.core.VectorEncoding;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link LiveMigrationCrashTest} kills: {@code ALIAS TARGET} migrates the alias's index
 * to a copy at TARGET (int8), printing {@code ready} first and {@code migrated} once the alias moved.
 */
public final class MigratingChild {
  private MigratingChild() {}

  public static void main(String[] args) {
    System.out.println("ready");
    System.out.flush();
    LiveMigration.migrate(Path.of(args[0]), Path.of(args[1]), null, b -> b.encoding(VectorEncoding.INT8),
        LiveMigration.Options.builder().smallEnough(20).fenceTimeout(Duration.ofSeconds(30)).build(), IndexRebuilder.Progress.NONE, () -> {});
    System.out.println("migrated");
    System.out.flush();
  }
}
