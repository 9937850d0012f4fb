#!/usr/bin/env bash
# bench/outbound-sessions.sh - issue 11's floor "2,000 concurrent outbound sessions on a bounded thread pool".
#
#   bench/outbound-sessions.sh                       2,000 sessions, 3,000 messages, sink holds each DATA 30 s
#   bench/outbound-sessions.sh --sessions 500 --messages 800 --delay 10 --no-append
#   bench/outbound-sessions.sh --help
#
# Starts a copy of distribution/target/sluice (built when missing) and bench/holdsink.py on loopback, injects
# with smtp-source, measures the sink's peak concurrent sessions and Sluice's threads, heap, RSS and file
# descriptors; appends the table to bench/RESULTS.md. Runs niced; every process is stopped by its pid.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/capacity.sh"
exec nice python3 "$here/outbound.py" --command "bench/outbound-sessions.sh $*" "$@"
