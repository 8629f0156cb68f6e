package dev.strata.core.internal.catalog;

import dev.strata.core.SnapshotWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** This process as the writer every snapshot's manifest records ({@link SnapshotWriter}), found once. */
final class WriterIdentity {
  static final String HOST = "writer.host";
  static final String USER = "writer.user";
  static final String PROCESS = "writer.process";
  static final String STRATA = "writer.strata";

  private static final SnapshotWriter THIS_PROCESS = new SnapshotWriter(host(), System.getProperty("user.name", "unknown"),
      ProcessHandle.current().pid(), strataVersion());

  private WriterIdentity() {}

  static void writeTo(Map<String, String> data) {
    data.put(HOST, THIS_PROCESS.host());
    data.put(USER, THIS_PROCESS.user());
    data.put(PROCESS, Long.toString(THIS_PROCESS.process()));
    data.put(STRATA, THIS_PROCESS.strataVersion());
  }

  /** The writer a commit recorded, or null for one made before Strata recorded writers. */
  static SnapshotWriter readFrom(Map<String, String> data) {
    String host = data.get(HOST);
    if (host == null) {
      return null;
    }
    return new SnapshotWriter(host, data.getOrDefault(USER, "unknown"), Long.parseLong(data.getOrDefault(PROCESS, "0")),
        data.getOrDefault(STRATA, "unknown"));
  }

  /** The kernel's host name, not a DNS lookup (which can hang a commit in a container without one). */
  private static String host() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      return "unknown"; // not Linux: the manifest says so rather than guessing
    }
  }

  private static String strataVersion() {
    try (InputStream in = WriterIdentity.class.getResourceAsStream("/dev/strata/core/strata-version.properties")) {
      if (in == null) {
        return "development";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "development");
      return version.startsWith("${") ? "development" : version;
    } catch (IOException e) {
      return "development";
    }
  }
}
