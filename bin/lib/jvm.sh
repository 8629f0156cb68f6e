# Shared by the scripts in bin/: finds a JDK >= 21 and knows the JVM flags every Strata JVM gets.
# Source it; it sets STRATA_ROOT, JAVA_HOME and STRATA_JVM_ARGS (an array).

STRATA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STRATA_MIN_JAVA=21

# Prints the major version of the JDK at $1, or nothing if it is not a JDK.
strata_jdk_major() {
  local home="$1" version=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [ -z "$version" ]; then
    version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  version="${version#1.}" # 1.8 -> 8
  echo "${version%%[.+-]*}"
}

# Sets JAVA_HOME to a JDK >= 21: JAVA_HOME itself if it is one, else the newest under /usr/lib/jvm
# (or under STRATA_JDK_DIR, where a machine keeps its JDKs elsewhere).
strata_find_jdk() {
  local jdk_dir="${STRATA_JDK_DIR:-/usr/lib/jvm}"
  local major
  if [ -n "${JAVA_HOME:-}" ]; then
    major="$(strata_jdk_major "$JAVA_HOME")"
    if [ -n "$major" ] && [ "$major" -ge "$STRATA_MIN_JAVA" ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  local best="" best_major=0 candidate
  for candidate in "$jdk_dir"/*; do
    [ -d "$candidate" ] || continue
    major="$(strata_jdk_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge "$STRATA_MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    {
      echo "error: Strata needs a JDK $STRATA_MIN_JAVA or newer (Lucene 10 requires it), and found none."
      echo "  looked at: JAVA_HOME (${JAVA_HOME:-unset}) and every JDK under $jdk_dir"
      echo "  install one (e.g. Temurin 25) and set JAVA_HOME to it"
    } >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

# Lucene's SIMD kernels need the Vector API; its madvise calls need native access.
STRATA_JVM_ARGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  "-Djava.util.logging.SimpleFormatter.format=%4\$s %3\$s: %5\$s%6\$s%n")

# Runs the project's Maven wrapper from the repository root, its output on stderr.
strata_mvn() {
  (cd "$STRATA_ROOT" && ./mvnw -B -ntp "$@") >&2
}

# Builds with Maven, then marks $1 fresh: Maven leaves an unchanged jar's time alone, which would
# otherwise make every later call rebuild.
strata_build() {
  local artifact="$1"
  shift
  strata_mvn "$@"
  touch "$artifact"
}

# True when $1 is missing or older than any source or POM of the modules listed after it.
strata_stale() {
  local artifact="$1"
  shift
  [ -f "$artifact" ] || return 0
  local module
  local paths=("$STRATA_ROOT/pom.xml")
  for module in "$@"; do
    paths+=("$STRATA_ROOT/$module/pom.xml" "$STRATA_ROOT/$module/src/main")
  done
  [ -n "$(find "${paths[@]}" -newer "$artifact" -print -quit 2>/dev/null)" ]
}
