#!/usr/bin/env python3
"""outbound.py - issue 11's floor "2,000 concurrent outbound sessions on a bounded thread pool" (called by
bench/outbound-sessions.sh).

smtp-source -> Sluice (copy of the distribution) -> holdsink.py, which answers every final dot only after
--delay seconds, so every message Sluice sends occupies one outbound session for that long. The sink path's
rule allows --sessions connections; --messages (more than --sessions) are injected, so Sluice must open
--sessions sessions at once and then reuse them for the rest. Sampled every 0.5 s: the sink's open sessions,
Sluice's thread count, RSS and file descriptors; at the peak the Java threads by name and the heap after a
full GC. Ends when the sink has every message and the spool is empty. Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import jvmprobe
from mtabench import (BENCH, Fail, Procs, Sluice, capacity_args, finish_run, free_port, log,
                      start_run, wait_listening, wait_until)

RULE = """# outbound.py: the sink path may open --sessions connections at once
name=sink
sites=route:sink
maxConnections={sessions}
connectionRate=100000/s
messageRate=1000000/s
maxMessagesPerConnection=100
"""


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=2000, help="maxConnections of the sink path")
    ap.add_argument("--messages", type=int, default=3000, help="messages injected (1 KB, 1 recipient)")
    ap.add_argument("--delay", type=float, default=30.0, help="seconds the sink waits before each 250 after DATA")
    ap.add_argument("--inject-sessions", type=int, default=50, help="concurrent smtp-source sessions")
    ap.add_argument("--timeout", type=int, default=600, help="seconds until every message must be at the sink")
    capacity_args(ap)
    a = ap.parse_args()

    started, where, work = start_run("outbound")
    procs = Procs()
    sluice = None
    r = {"sessions_allowed": a.sessions, "messages": a.messages, "delay_s": a.delay}
    try:
        port, sink_port = free_port(), free_port()
        stats_file = os.path.join(work, "sink.json")
        procs.start("holdsink", [sys.executable, os.path.join(BENCH, "holdsink.py"), str(sink_port), stats_file,
                                 "--delay", str(a.delay)], out=os.path.join(work, "holdsink.out"))
        wait_listening(sink_port, 10, "holdsink")
        sluice = Sluice(procs, work, port, sink_port, a.java_opts,
                        {"dev.sluice.ratelimit.rule-sink.cfg": RULE.format(sessions=a.sessions)})
        sluice.start()
        pid = sluice.proc.pid
        time.sleep(5)  # let SCR finish activating what the listener did not need
        base = jvmprobe.proc_status(pid)
        r["idle_threads"], r["idle_fds"] = base["threads"], base["fds"]
        r["idle_heap_mb"], _ = jvmprobe.heap_used_mb(pid, full_gc=True)
        log(f"idle: {base['threads']} threads, {base['fds']} fds, heap {r['idle_heap_mb']} MB after GC")
        idle_groups = jvmprobe.thread_groups(pid)

        t0 = time.monotonic()
        src = subprocess.Popen(["smtp-source", "-s", str(a.inject_sessions), "-m", str(a.messages), "-l", "1024",
                                "-M", "client.bench.test", "-f", "sender@client.bench.test", "-t", "rcpt@example.test",
                                "-N", "-d", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=open(os.path.join(work, "smtp-source.err"), "w"))
        peak = {"open": 0, "threads": 0, "fds": 0, "rss_kb": 0}
        at_peak = None
        samples = open(os.path.join(work, "samples.jsonl"), "w")
        deadline = t0 + a.timeout
        inject_s = None
        while time.monotonic() < deadline:
            s = read_json(stats_file)
            p = jvmprobe.proc_status(pid)
            row = {"t": round(time.monotonic() - t0, 2), "sink_open": s.get("open", 0),
                   "sink_messages": s.get("messages", 0), **p}
            samples.write(json.dumps(row) + "\n")
            for k in ("threads", "fds", "rss_kb"):
                peak[k] = max(peak[k], p[k])
            if inject_s is None and src.poll() is not None:
                inject_s = time.monotonic() - t0
                log(f"smtp-source done after {inject_s:.1f}s (rc {src.returncode})")
            if row["sink_open"] > peak["open"]:
                peak["open"] = row["sink_open"]
                if at_peak is None and row["sink_open"] >= min(a.sessions, a.messages):
                    # every allowed session is open: what the JVM holds now
                    at_peak = {"threads": p["threads"], "groups": jvmprobe.thread_groups(pid)}
                    at_peak["heap_mb"], _ = jvmprobe.heap_used_mb(pid, full_gc=True)
                    at_peak["histogram"] = jvmprobe.histogram_top(pid, 15)
                    log(f"{row['sink_open']} sessions open: {p['threads']} threads, heap {at_peak['heap_mb']} MB "
                        f"after GC, {p['fds']} fds")
            if row["sink_messages"] >= a.messages and src.poll() is not None:
                break
            time.sleep(0.5)
        e2e_s = time.monotonic() - t0
        samples.close()
        s = read_json(stats_file)
        drained = wait_until(lambda: sluice.queued() == 0, 60, 0.5)
        if src.poll() is None:
            procs.stop(src)
        r.update({"inject_s": round(inject_s or 0, 1), "e2e_s": round(e2e_s, 1), "sink_messages": s.get("messages"),
                  "sink_sessions_opened": s.get("sessions"), "peak_sessions": s.get("peak"),
                  "peak_threads": peak["threads"], "peak_fds": peak["fds"],
                  "peak_rss_mb": round(peak["rss_kb"] / 1024), "spool_empty": drained,
                  "smtp_source_rc": src.returncode})
        if at_peak:
            r["threads_at_peak"], r["heap_at_peak_mb"] = at_peak["threads"], at_peak["heap_mb"]
            grown = {k: v for k, v in at_peak["groups"].items() if v != idle_groups.get(k, 0)}
            r["thread_groups_changed"] = {k: f"{idle_groups.get(k, 0)}->{v}" for k, v in grown.items()}
            r["thread_groups_at_peak"] = dict(at_peak["groups"].most_common())
            r["histogram_at_peak"] = at_peak["histogram"]
        with open(os.path.join(sluice.home, "log", "sluice.log"), errors="replace") as f:
            r["log_warn_error_lines"] = sum(1 for line in f if " WARN " in line or " ERROR " in line)
        ok = (s.get("messages", 0) >= a.messages and drained and src.returncode == 0
              and (s.get("peak") or 0) >= min(a.sessions, a.messages))
        r["status"] = "ok" if ok else "FAILED"
    except Fail as e:
        log(f"ERROR: {e}")
        r["status"] = f"error: {e}"
    finally:
        if sluice:
            sluice.stop()
        procs.stop_all()
    finish_run(a, r, work, started, where, "outbound sessions", report(r))
    sys.exit(0 if r["status"] == "ok" else 1)


def report(r):
    lines = ["| what | value |", "|---|---:|"]
    names = [("sessions_allowed", "maxConnections of the sink path"), ("messages", "messages injected (1 KB)"),
             ("delay_s", "sink delay before 250 after DATA, s"), ("peak_sessions", "**peak concurrent sessions at the sink**"),
             ("sink_sessions_opened", "sessions opened in all"), ("sink_messages", "messages at the sink"),
             ("inject_s", "injection time, s"), ("e2e_s", "until the sink had all, s"),
             ("idle_threads", "Sluice threads, idle"), ("threads_at_peak", "**Sluice threads with all sessions open**"),
             ("peak_threads", "Sluice threads, peak during the run"), ("idle_heap_mb", "heap after full GC, idle, MB"),
             ("heap_at_peak_mb", "**heap after full GC, all sessions open, MB**"), ("peak_rss_mb", "peak RSS, MB"),
             ("idle_fds", "file descriptors, idle"), ("peak_fds", "file descriptors, peak"),
             ("spool_empty", "spool empty at the end"), ("log_warn_error_lines", "WARN/ERROR lines in sluice.log"),
             ("status", "status")]
    for k, label in names:
        if k in r:
            lines.append(f"| {label} | {r[k]} |")
    if r.get("thread_groups_changed") is not None:
        lines.append("\nThread groups that changed between idle and all sessions open: "
                     + (", ".join(f"`{k}` {v}" for k, v in sorted(r["thread_groups_changed"].items())) or "none"))
    if r.get("histogram_at_peak"):
        lines.append("\nClass histogram with every session open (top):\n```\n" + r["histogram_at_peak"] + "\n```")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
