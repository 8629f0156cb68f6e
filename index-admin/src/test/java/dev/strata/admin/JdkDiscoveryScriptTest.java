package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/lib/jvm.sh, which every script uses to find a JDK >= 21, run by bash against fake JDKs. */
class JdkDiscoveryScriptTest {
  private static final Path SCRIPT = Path.of("../bin/lib/jvm.sh").toAbsolutePath().normalize();

  @TempDir Path jdks;

  @BeforeEach
  void needsBash() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is needed to run the scripts");
  }

  private Path fakeJdk(String name, String version) throws Exception {
    Path home = jdks.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    for (String tool : new String[] {"java", "javac"}) {
      Path exe = home.resolve("bin").resolve(tool);
      Files.writeString(exe, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  private record Result(int code, String out) {}

  private Result find(String javaHome) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", "-c", "source \"$1\" && strata_find_jdk && echo \"found $JAVA_HOME\"", "test", SCRIPT.toString())
            .redirectErrorStream(true);
    pb.environment().put("STRATA_JDK_DIR", jdks.toString());
    if (javaHome == null) {
      pb.environment().remove("JAVA_HOME");
    } else {
      pb.environment().put("JAVA_HOME", javaHome);
    }
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
  }

  @Test
  void picksTheNewestJdkAtLeast21WhenJavaHomeIsTooOld() throws Exception {
    Path old = fakeJdk("jdk-17", "17.0.15");
    fakeJdk("jdk-21", "21.0.4");
    Path newest = fakeJdk("jdk-25", "25.0.3");
    Result r = find(old.toString());
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out().strip()).isEqualTo("found " + newest);
  }

  @Test
  void keepsAJavaHomeThatIsNewEnough() throws Exception {
    Path jdk21 = fakeJdk("jdk-21", "21.0.4");
    fakeJdk("jdk-25", "25.0.3");
    assertThat(find(jdk21.toString()).out().strip()).isEqualTo("found " + jdk21);
  }

  @Test
  void failsWithAMessageNamingWhereItLooked() throws Exception {
    fakeJdk("jdk-17", "17.0.15");
    fakeJdk("jre-8", "1.8.0_402");
    Result r = find(null);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("needs a JDK 21 or newer", "JAVA_HOME (unset)", jdks.toString());
  }
}
