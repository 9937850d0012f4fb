#!/usr/bin/env bash
# bench/million-queued.sh - issue 11's floor "1,000,000 queued messages within a 512 MB heap".
#
#   bench/million-queued.sh                       1 M messages held, restart, then 120 s of delivery
#   bench/million-queued.sh --drain-all           ... and deliver them all
#   bench/million-queued.sh --messages 50000 --drain-seconds 30 --no-append     a short rehearsal
#   bench/million-queued.sh --keep ...; bench/million-queued.sh --reuse bench/work/million-<time>/sluice
#   bench/million-queued.sh --help
#
# Starts a copy of distribution/target/sluice (built when missing) with SLUICE_JAVA_OPTS (default -Xmx512m)
# on a pseudo-terminal (to time the sluice: commands); see bench/million.py for the phases. 1 M small
# messages take ~4-5 GB and 1 M inodes in bench/work/ (deleted at the end unless --keep); about 30-60 min.
# Runs niced; every process is stopped by its pid.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/capacity.sh"
avail_kb=$(df -Pk "$here" | awk 'NR==2 {print $4}')
if [ "$avail_kb" -lt 10000000 ]; then
  echo "less than 10 GB free under $here: 1 M spool files need ~4-5 GB" >&2
  exit 1
fi
exec nice python3 "$here/million.py" --command "bench/million-queued.sh $*" "$@"
