#!/usr/bin/env python3
"""mtabench.py - Sluice beside Postfix on loopback, in one run (called by bench/run.sh).

smtp-source -> MTA -> smtp-sink, one private sink per MTA; both MTAs durable (fsync before 250).
For every case and MTA: injected msgs/s (smtp-source done, all 250), end-to-end msgs/s (until the
sink has them all and the MTA's queue is empty), CPU ms per message (utime+stime of the MTA's
process tree, reaped children included), accept latency of a sequential probe running beside the
load (bench/latency.py), peak PSS of the MTA's processes (sampled), then the ratio Sluice/Postfix.
With --paced: accept latency at a fixed offered rate below saturation (bench/paced.py, open loop).
Every process is started in its own session and stopped by pid; all state lives in bench/work/.
Standard library only; procs.py, mtas.py and report.py are its parts.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import sys
import time

from cases import FULL_N, QUICK_CASES, QUICK_N, SIZES, parse_case
from measure import measure, paced_result, paced_round, warm_up
from mtas import BENCH, DIST, ROOT, Postfix, Sink, Sluice  # noqa: F401 (outbound.py, million.py import them here)
from procs import Fail, Procs, free_port, log, wait_listening, wait_until  # noqa: F401
from report import machine, paced_table, table

# ---------------------------------------------------------------- main

def arguments():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help=f"cases {', '.join(QUICK_CASES)} with {QUICK_N} messages")
    ap.add_argument("--cases", help="comma-separated SIZE/SESSIONS/RCPTS/new|reuse, e.g. 1k/20/1/new")
    ap.add_argument("--n", type=int, help="messages per case (default: 1k 10000, 20k 6000, 100k 3000)")
    ap.add_argument("--mta", choices=("both", "postfix", "sluice"), default="both")
    ap.add_argument("--paced", metavar="CASE", help="also measure accept latency at a fixed offered rate (open loop) "
                    "for this case, after the saturated cases (the case is added to them if missing)")
    ap.add_argument("--paced-fraction", type=float, default=0.5,
                    help="offered rate = this fraction of Postfix's injected msgs/s in the same run (default 0.5)")
    ap.add_argument("--paced-rate", type=float, help="offered msgs/s instead (needed with --mta sluice|postfix)")
    ap.add_argument("--paced-seconds", type=int, default=60, help="length of the paced phase per MTA (default 60)")
    ap.add_argument("--paced-rounds", type=int, default=3, help="the paced phase in this many turns, the MTAs taking "
                    "turns (default 3)")
    ap.add_argument("--warmup-rounds", type=int, default=6, help="most warm-up rounds for Sluice (default 6)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per phase (injection, delivery)")
    ap.add_argument("--max-minutes", type=int, default=120, help="skip the remaining cases after this")
    ap.add_argument("--java-opts", default=os.environ.get("SLUICE_JAVA_OPTS", "-Xmx512m"))
    ap.add_argument("--dist", default=DIST, help="the Sluice installation to copy (default: the built one), "
                    "e.g. a saved copy of an earlier build to compare against")
    ap.add_argument("--results", default=os.path.join(BENCH, "RESULTS.md"), help="append the table here")
    ap.add_argument("--no-append", action="store_true", help="print the table only")
    ap.add_argument("--note", default="", help="a line to put above the table in RESULTS.md")
    ap.add_argument("--hold", type=int, metavar="SECONDS",
                    help="no cases: start and warm up, print ports and pids, keep running SECONDS (for profiling)")
    ap.add_argument("--command", default=" ".join(sys.argv), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.n is not None and not 1 <= a.n <= 1000000:
        sys.exit("--n must be 1..1000000")
    if not 10 <= a.timeout <= 3600:
        sys.exit("--timeout must be 10..3600")
    if not (0.01 <= a.paced_fraction <= 2 and 5 <= a.paced_seconds <= 600 and 1 <= a.warmup_rounds <= 20
            and 1 <= a.paced_rounds <= a.paced_seconds // 5):
        sys.exit("--paced-fraction 0.01..2, --paced-seconds 5..600, --warmup-rounds 1..20, "
                 "--paced-rounds 1..(paced seconds / 5)")
    if a.paced and a.mta != "both" and not a.paced_rate:
        sys.exit("--paced with a single --mta needs --paced-rate")
    return a


def chosen_cases(a):
    if a.cases:
        names = [c.strip() for c in a.cases.split(",") if c.strip()]
    elif a.quick:
        names = list(QUICK_CASES)
    else:
        names = [f"{s}/{c}/{r}/{m}" for s in SIZES for c in (20, 200) for r in (1, 10) for m in ("new", "reuse")]
    if a.paced and not a.paced_rate:
        names.append(a.paced)  # its saturated Postfix rate sets the offered rate
    return [parse_case(c) for c in dict.fromkeys(names)]


def record(work, results, r):
    results.append(r)
    with open(os.path.join(work, "results.jsonl"), "a") as f:
        f.write(json.dumps(r) + "\n")


def run(a, cases, work, procs, mtas, results):
    names = ["postfix", "sluice"] if a.mta == "both" else [a.mta]
    ports = {}
    for name in names:
        port, sink_port = free_port(), free_port()
        sink = Sink(procs, work, name, sink_port)
        mta = (Postfix(work, port, sink_port) if name == "postfix"
               else Sluice(procs, work, port, sink_port, a.java_opts, dist=a.dist))
        mtas.append(mta)
        mta.start()
        ports[name] = (mta, port, sink)
    deadline = time.monotonic() + 60 * a.max_minutes
    for name in names:
        warm_up(procs, work, *ports[name], a.quick, a.warmup_rounds, a.timeout)
    if a.hold:
        for name in names:
            mta, port, sink = ports[name]
            log(f"holding {name}: smtp 127.0.0.1:{port} pids {mta.roots()} sink 127.0.0.1:{sink.port} "
                f"counter {sink.out}")
        time.sleep(min(a.hold, 3600))
        return
    for i, case in enumerate(cases):
        if time.monotonic() > deadline:
            log(f"--max-minutes reached: skipping {len(cases) - i} cases")
            return
        n = a.n or (QUICK_N if a.quick else FULL_N[case["size"]])
        # alternate who goes first, so that neither always runs right after the other's backlog
        for name in (names if i % 2 == 0 else list(reversed(names))):
            r = measure(procs, work, *ports[name], case, n, a.timeout)
            log(f"{name} {case['name']}: inject {r['inject_msgs_s']}/s e2e {r['e2e_msgs_s']}/s cpu {r['cpu_ms_msg']} "
                f"ms/msg (JIT {r['jit_pct']} %) p99 {r['txn_p99']} ms pss {r['peak_pss_mb']} MB {r['status']}")
            record(work, results, r)
    if a.paced:
        case = parse_case(a.paced)
        rate = a.paced_rate or a.paced_fraction * next(
            r["inject_msgs_s"] for r in results if r["mta"] == "postfix" and r["case"] == case["name"])
        # in turns, so that a stretch of a busy host (steal, a noisy neighbour's disk) falls on both, not on one
        rounds = {name: [] for name in names}
        for n in range(a.paced_rounds):
            for name in (names if n % 2 == 0 else list(reversed(names))):
                rounds[name].append(paced_round(procs, work, *ports[name], case, rate,
                                                a.paced_seconds / a.paced_rounds, a.timeout, n + 1))
        for name in names:
            r = paced_result(ports[name][0], case, rate, rounds[name])
            log(f"{name} paced {case['name']} at {r['offered_msgs_s']}/s: p50 {r['txn_ms']['p50']} p99 "
                f"{r['txn_ms']['p99']} p99.9 {r['txn_ms']['p99.9']} ms, {r['status']}")
            record(work, results, r)


def main():
    a = arguments()
    cases = chosen_cases(a)
    for tool in ("smtp-source", "smtp-sink", "postfix", "java"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found (Debian: apt-get install postfix default-jdk-headless)")
    started = datetime.datetime.now(datetime.timezone.utc)
    where = machine()
    work = os.path.join(BENCH, "work", "run-" + started.strftime("%Y%m%d-%H%M%S"))
    os.makedirs(work)
    procs, mtas, results = Procs(), [], []

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    try:
        run(a, cases, work, procs, mtas, results)
    except Fail as e:
        log(f"ERROR: {e}")
    except KeyboardInterrupt as e:
        log(f"interrupted ({e})")
    finally:
        for mta in reversed(mtas):
            try:
                mta.stop()
            except Exception as e:  # keep stopping the others
                log(f"stopping {mta.name}: {e}")
        procs.stop_all()
    if not results:
        sys.exit(1)
    saturated = [r for r in results if not r.get("paced")]
    paced = [r for r in results if r.get("paced")]
    text = table(saturated) + ("\n\n" + paced_table(paced) if paced else "")
    print(text)
    if not a.no_append:
        append_results(a.results, f"{started.strftime('%Y-%m-%d %H:%M')} UTC{' (quick)' if a.quick else ''}",
                       a.note, f"{where}. **Shared** with other builds and tests during the run",
                       f"`{a.command}`; raw lines: `{os.path.relpath(work, ROOT)}/results.jsonl`", text)


def capacity_args(ap):
    """The options outbound.py and million.py share: JVM options and where the table goes."""
    ap.add_argument("--java-opts", default=os.environ.get("SLUICE_JAVA_OPTS", "-Xmx512m"))
    ap.add_argument("--results", default=os.path.join(BENCH, "RESULTS.md"))
    ap.add_argument("--no-append", action="store_true")
    ap.add_argument("--note", default="")
    ap.add_argument("--command", default=" ".join(sys.argv), help=argparse.SUPPRESS)


def start_run(kind):
    """(start time, machine description, new bench/work/KIND-<time> directory)."""
    started = datetime.datetime.now(datetime.timezone.utc)
    where = machine()
    work = os.path.join(BENCH, "work", f"{kind}-" + started.strftime("%Y%m%d-%H%M%S"))
    os.makedirs(work)
    return started, where, work


def finish_run(a, r, work, started, where, what, text):
    """Keeps r as result.json, prints the table and appends it to --results unless --no-append."""
    with open(os.path.join(work, "result.json"), "w") as f:
        json.dump(r, f, indent=1)
    print(text)
    if not a.no_append:
        append_results(a.results, f"{started.strftime('%Y-%m-%d %H:%M')} UTC: {what}", a.note, where,
                       f"`{a.command}`; raw: `{os.path.relpath(work, ROOT)}/`", text)


def append_results(path, title, note, where, command, text):
    """One section of RESULTS.md: title, note, machine, command, the table."""
    with open(path, "a") as f:
        f.write(f"\n## {title}\n\n")
        if note:
            f.write(note + "\n\n")
        f.write(f"Machine: {where}.\n\nCommand: {command}\n\n{text}\n")
    log(f"appended to {path}")

if __name__ == "__main__":
    main()
