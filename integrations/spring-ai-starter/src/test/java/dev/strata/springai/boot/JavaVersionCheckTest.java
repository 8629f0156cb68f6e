package dev.strata.springai.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class JavaVersionCheckTest {
  @Test
  void olderJavaIsRefusedInPlainWords() {
    assertThatThrownBy(() -> JavaVersionCheck.check(17, "/opt/jdk-17"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Strata needs Java 21 or newer")
        .hasMessageContaining("runs on Java 17 from /opt/jdk-17");
    assertThatCode(() -> JavaVersionCheck.check(21, "/opt/jdk-21")).doesNotThrowAnyException();
    assertThatCode(() -> JavaVersionCheck.check(Runtime.version().feature(), "here")).doesNotThrowAnyException();
  }

  /** The check must load where it matters, on Java 17: its class file is Java 17's (major 61), the rest Java 21's. */
  @Test
  void theCheckIsCompiledForJava17AndTheStoreConfigurationForJava21() throws Exception {
    assertThat(classFileMajor(JavaVersionCheck.class)).isEqualTo(61);
    assertThat(classFileMajor(ModelPreloader.class)).as("Boot creates it before the check runs").isEqualTo(61);
    assertThat(classFileMajor(StrataVectorStoreAutoConfiguration.class)).isEqualTo(65);
  }

  @Test
  void springBootRunsTheCheckBeforeTheContext() throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring.factories")) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("EnvironmentPostProcessor=" + JavaVersionCheck.class.getName());
    }
  }

  private static int classFileMajor(Class<?> type) throws Exception {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class");
        DataInputStream data = new DataInputStream(in)) {
      data.readInt(); // 0xCAFEBABE
      data.readUnsignedShort(); // minor
      return data.readUnsignedShort();
    }
  }
}
