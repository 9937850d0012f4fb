# bench/capacity.sh - sourced by outbound-sessions.sh and million-queued.sh: the file descriptor limit and the
# distribution they need.
root="$(dirname "$here")"
# thousands of sockets or spool files at once: the hard limit, not the default soft one
ulimit -n "$(ulimit -Hn)"
if [ ! -x "$root/distribution/target/sluice/bin/sluice" ]; then
  echo "building the distribution: mvn -B -ntp -o -q package -DskipTests" >&2
  (cd "$root" && nice mvn -B -ntp -o -q package -DskipTests)
fi
