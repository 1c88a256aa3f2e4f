# Sourced by ./tarka and ./test: finds a JDK 25+ and exports JAVA_HOME, or explains the fix and exits.
# Order: $JAVA_HOME if it is 25+, then the usual install folders, then `java` on the PATH.
tarka_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
tarka_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/* \
              /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(tarka_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then printf '%s\n' "$cand"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(tarka_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then printf '%s\n' "$cand"; return 0; fi
  fi
  return 1
}
if ! TARKA_JDK=$(tarka_find_jdk); then
  echo "tarka: no JDK 25 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman, PATH)." >&2
  echo "tarka: fix: install JDK 25 (e.g. Temurin 25) and run: export JAVA_HOME=/path/to/jdk-25" >&2
  exit 1
fi
export JAVA_HOME="$TARKA_JDK"
# Maven 3.9 itself touches sun.misc.Unsafe; on JDK 24+ that prints a warning page per build.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
