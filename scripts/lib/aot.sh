# shellcheck shell=bash
# Sourced by scripts/* (after java.sh): the JDK's ahead-of-time cache (JEP 483/514/515) for a Lanner
# application. A training run (Hosting:TrainingRun, see docs/performance.md "Cold start") starts the
# application under -XX:AOTCacheOutput, requests a few paths on its own addresses and stops; the JVM then
# writes the cache, and later starts with -XX:AOTCache skip the class loading, linking and profiling
# it recorded.

# Whether $JAVA_HOME's java has the AOT cache (JDK 25 has it; 21 does not: then run without one).
lanner_aot_supported() {
  "$JAVA_HOME/bin/java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q '\bAOTCacheOutput\b'
}

# lanner_aot_cache DIR CLASSPATH MAIN [APP_ARGS...]
# Prints the path of an AOT cache for running MAIN on CLASSPATH (jars only: the JVM refuses class
# directories), making it first with a training run if no cache matches the class path's jars (their
# paths, sizes and times) and this JDK. Prints nothing when the JDK has no AOT cache. APP_ARGS go to the
# training run (its URLs and paths); the training run's output goes to DIR/training.log.
lanner_aot_cache() {
  local dir=$1 classpath=$2 main=$3
  shift 3
  lanner_aot_supported || return 0
  local entry key=
  local IFS=:
  for entry in $classpath; do
    [[ $entry == *.jar && -f $entry ]] || { echo "lanner: AOT cache needs a class path of jars, not '$entry'" >&2; return 0; }
    key+="$entry $(stat -c '%s %Y' "$entry");"
  done
  unset IFS
  key+="$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  local hash
  hash=$(printf '%s' "$key" | sha256sum | cut -c1-16)
  local cache="$dir/$hash.aot"
  if [[ ! -f $cache ]]; then
    mkdir -p "$dir"
    rm -f "$dir"/*.aot
    echo "lanner: training run for the AOT cache ($cache)" >&2
    if ! "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$cache" -cp "$classpath" "$main" \
        --Hosting:TrainingRun=true "$@" >"$dir/training.log" 2>&1 || [[ ! -f $cache ]]; then
      echo "lanner: the training run failed (see $dir/training.log); running without an AOT cache" >&2
      rm -f "$cache"
      return 0
    fi
  fi
  printf '%s' "$cache"
}
