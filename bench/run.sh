#!/usr/bin/env bash
# bench/run.sh - Sluice beside Postfix on loopback, in one run; appends the table to bench/RESULTS.md.
#
#   bench/run.sh --quick              sanity run, about a minute: 2 cases, 1,500 messages each
#   bench/run.sh                      the full matrix: 1k/20k/100k x 20/200 sessions x 1/10 rcpts x new/reuse
#   bench/run.sh --cases 1k/20/1/new,100k/200/1/reuse --n 5000
#   bench/run.sh --cases 1k/20/1/new --paced 1k/20/1/new   also accept latency at a fixed rate (half Postfix's)
#   bench/run.sh --help               every option (bench/mtabench.py)
#
# Builds the distribution first when distribution/target/sluice is missing (or with --build).
# Needs (Debian): postfix (smtp-source, smtp-sink, a private instance is started), a JDK 17+, python3.
# Must run as root (the private Postfix instance drops to the 'postfix' user). Every process is started and
# stopped by pid; state lives in bench/work/run-<time>/ (git-ignored).
# SLUICE_JAVA_OPTS (default "-Xmx512m") is passed to Sluice, e.g. to record a JFR profile:
#   SLUICE_JAVA_OPTS="-Xmx512m -XX:StartFlightRecording=filename=/tmp/sluice.jfr,settings=profile" bench/run.sh --quick
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build=0
args=()
for a in "$@"; do
  if [ "$a" = "--build" ]; then build=1; else args+=("$a"); fi
done
if [ "$build" = 1 ] || [ ! -x "$root/distribution/target/sluice/bin/sluice" ]; then
  echo "building the distribution: mvn -B -ntp -o -q package -DskipTests" >&2
  (cd "$root" && mvn -B -ntp -o -q package -DskipTests)
fi
exec python3 "$here/mtabench.py" --command "bench/run.sh $*" "${args[@]}"
