# shellcheck shell=bash
# Sourced by ./lanner and scripts/*: selects a JDK 21 or newer.
#
# Order: $JAVA_HOME if its bin/java is 21+; else the newest JDK (bin/javac, 21+)
# under ${LANNER_JDK_SEARCH_DIR:-/usr/lib/jvm}; else the javac on PATH if 21+.
# On success JAVA_HOME is exported and its bin/ is first on PATH; otherwise one
# error line goes to stderr and the sourcing script exits with 1.
# LANNER_JDK_SEARCH_DIR exists for testing the search; users set JAVA_HOME.

LANNER_MIN_JAVA=21

# Prints the full version of the Java installation at $1 (e.g. 17.0.15, 21,
# 25.0.3, 1.8.0_392), or nothing. The `release` file is read first because it
# costs no JVM start; `java -version` is the fallback.
lanner_java_version() {
  local home=$1 line version=
  if [[ -r $home/release ]]; then
    line=$(grep -m1 '^JAVA_VERSION=' "$home/release" 2>/dev/null) || line=
    version=${line#JAVA_VERSION=}
    version=${version//\"/}
  fi
  if [[ -z $version && -x $home/bin/java ]]; then
    # First line looks like: openjdk version "17.0.15" 2025-04-15
    line=$("$home/bin/java" -version 2>&1 | grep -m1 -i 'version') || line=
    if [[ $line =~ \"([^\"]+)\" ]]; then version=${BASH_REMATCH[1]}; fi
  fi
  printf '%s' "$version"
}

# Prints the feature (major) version of a version string: 1.8.0_392 -> 8,
# 17.0.15 -> 17, 21 -> 21, 25.0.3 -> 25, 26-ea -> 26; nothing if unparsable.
lanner_java_major() {
  local version=$1
  [[ $version == 1.* ]] && version=${version#1.}
  [[ $version =~ ^([0-9]+) ]] && printf '%s' "${BASH_REMATCH[1]}"
}

# Describes what was looked at, for the error message.
lanner_describe_java() {
  local home=$1 tool=$2 version
  if [[ ! -x $home/bin/$tool ]]; then
    printf '%s has no bin/%s' "$home" "$tool"
    return
  fi
  version=$(lanner_java_version "$home")
  printf '%s is %s' "$home" "${version:-of unknown version}"
}

lanner_select_jdk() {
  local searched=() major version candidate best= best_version= search_dir javac
  search_dir=${LANNER_JDK_SEARCH_DIR:-/usr/lib/jvm}

  if [[ -n ${JAVA_HOME:-} ]]; then
    major=$(lanner_java_major "$(lanner_java_version "$JAVA_HOME")")
    if [[ -x $JAVA_HOME/bin/java && ${major:-0} -ge $LANNER_MIN_JAVA ]]; then
      best=$JAVA_HOME
    else
      searched+=("JAVA_HOME=$(lanner_describe_java "$JAVA_HOME" java)")
    fi
  else
    searched+=("JAVA_HOME is not set")
  fi

  if [[ -z $best ]]; then
    for candidate in "$search_dir"/*; do
      [[ -d $candidate ]] || continue
      if [[ ! -x $candidate/bin/javac ]]; then
        searched+=("$(lanner_describe_java "$candidate" javac)")
        continue
      fi
      version=$(lanner_java_version "$candidate")
      major=$(lanner_java_major "$version")
      if [[ ${major:-0} -lt $LANNER_MIN_JAVA ]]; then
        searched+=("$(lanner_describe_java "$candidate" javac)")
        continue
      fi
      # Newest wins; sort -V orders 21.0.2 < 21.0.10 < 25 correctly.
      if [[ -z $best_version || $(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n1) != "$best_version" ]]; then
        best=$candidate best_version=$version
      fi
    done
    if [[ -z $best && ! -d $search_dir ]]; then
      searched+=("$search_dir does not exist")
    elif [[ -z $best ]] && ! compgen -G "$search_dir/*" >/dev/null; then
      searched+=("$search_dir is empty")
    fi
  fi

  if [[ -z $best ]] && javac=$(command -v javac 2>/dev/null); then
    candidate=$(dirname "$(dirname "$(readlink -f "$javac")")")
    major=$(lanner_java_major "$(lanner_java_version "$candidate")")
    if [[ ${major:-0} -ge $LANNER_MIN_JAVA ]]; then
      best=$candidate
    else
      searched+=("javac on PATH: $(lanner_describe_java "$candidate" javac)")
    fi
  fi

  if [[ -z $best ]]; then
    local looked=${searched[0]} entry
    for entry in "${searched[@]:1}"; do looked+="; $entry"; done
    printf 'lanner: no JDK %s or newer found (%s). Install one, e.g. apt-get install -y openjdk-21-jdk-headless, or set JAVA_HOME.\n' \
      "$LANNER_MIN_JAVA" "$looked" >&2
    return 1
  fi

  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"

  # Maven 3.8/3.9 (Guava) call sun.misc.Unsafe; JDK 24+ warns about it on every run.
  # The flag exists from JDK 23 on and must not be given to older JVMs.
  major=$(lanner_java_major "$(lanner_java_version "$JAVA_HOME")")
  if [[ ${major:-0} -ge 23 && ${MAVEN_OPTS:-} != *--sun-misc-unsafe-memory-access* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
  fi
}

lanner_select_jdk || exit 1
