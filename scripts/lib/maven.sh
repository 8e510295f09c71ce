# shellcheck shell=bash
# Sourced by ./lanner and scripts/*: checks that Maven is available (after java.sh).

if ! command -v mvn >/dev/null 2>&1; then
  echo "lanner: Maven (mvn) not found on PATH. Install it, e.g. apt-get install -y maven." >&2
  exit 1
fi
