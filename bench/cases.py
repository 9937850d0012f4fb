"""cases.py - the benchmark's cases: SIZE/SESSIONS/RCPTS/new|reuse, and the smtp-source command for one."""
from procs import Fail

SIZES = {"1k": 1024, "20k": 20 * 1024, "100k": 100 * 1024}
# messages per case in the full run: about 10-30 s per MTA on 2 shared cores
FULL_N = {"1k": 10000, "20k": 6000, "100k": 3000}
QUICK_CASES = ["1k/20/1/new", "1k/200/10/reuse"]
QUICK_N = 1500


def parse_case(text):
    size, sess, rcpts, mode = text.split("/")
    if size not in SIZES or mode not in ("new", "reuse"):
        raise Fail(f"bad case '{text}': SIZE/SESSIONS/RCPTS/new|reuse, SIZE one of {', '.join(SIZES)}")
    return {"name": text, "size": size, "bytes": SIZES[size], "sessions": int(sess), "rcpts": int(rcpts),
            "reuse": mode == "reuse"}


def smtp_source_argv(port, n, case):
    argv = ["smtp-source", "-s", str(min(case["sessions"], n)), "-m", str(n), "-l", str(case["bytes"]),
            "-r", str(case["rcpts"]), "-M", "client.bench.test", "-f", "sender@client.bench.test",
            "-t", "rcpt@example.test", "-N"]
    if case["reuse"]:
        argv.append("-d")
    return argv + [f"127.0.0.1:{port}"]
