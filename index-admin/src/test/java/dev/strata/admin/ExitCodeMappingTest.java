package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.FenceLostException;
import dev.strata.core.IndexDamagedException;
import dev.strata.core.serving.CatchUpTooSlowException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Operators' scripts branch on exit codes: each failure a migration reports maps to its code. */
class ExitCodeMappingTest {
  @Test
  void aMigrationOutpacedByWritersIsAConflictToRetryLikeALostFence() {
    Path source = Path.of("blue");
    assertThat(IndexAdmin.exitCodeOf(new CatchUpTooSlowException(source, Path.of("green"), 10, 5_000, Duration.ofSeconds(40),
        Duration.ofSeconds(30)))).isEqualTo(ExitCodes.CONFLICT);
    assertThat(IndexAdmin.exitCodeOf(new FenceLostException(source, "broken"))).isEqualTo(ExitCodes.CONFLICT);
  }

  @Test
  void otherFailuresKeepTheirCodes() {
    assertThat(IndexAdmin.exitCodeOf(new IllegalArgumentException("bad flag"))).isEqualTo(ExitCodes.USAGE);
    assertThat(IndexAdmin.exitCodeOf(new IllegalStateException("bug"))).isEqualTo(ExitCodes.ERROR);
    assertThat(IndexAdmin.exitCodeOf(new IndexDamagedException(Path.of("blue"), "checksum"))).isEqualTo(ExitCodes.CORRUPT);
  }
}
