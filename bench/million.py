#!/usr/bin/env python3
"""million.py - issue 11's floor "1,000,000 queued messages within a 512 MB heap" (called by
bench/million-queued.sh).

Phases, on a copy of the distribution started with SLUICE_JAVA_OPTS (default -Xmx512m) on a pseudo-terminal,
so that the `sluice:` Gogo commands can be typed and timed:
  1. hold the destination (`sluice:hold -d example.test`, stored in the spool), inject --messages small
     messages with smtp-source (--inject-sessions sessions, connections reused), sampling heap and RSS;
  2. with all of them queued: heap after a full GC, the class histogram, and how long `sluice:queue`,
     `sluice:search` and the console's queue page (counts, page, search) take to answer;
  3. restart with the same heap: time until SMTP accepts, until the spool scan is done, until
     `sluice:queue` counts every message again; heap after a full GC;
  4. start smtp-sink, `sluice:release -d example.test`, and measure delivery for --drain-seconds (or until
     the queue is empty with --drain-all).
--reuse HOME skips 1 (and the install): it refreshes HOME/bundle from the distribution and starts at 2 (to
measure a change against a spool kept with --keep). Every process is stopped by its pid.
"""
import argparse
import base64
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

import jvmprobe
from mtabench import (DIST, Fail, Procs, Sink, Sluice, capacity_args, finish_run, free_port, log,
                      start_run, wait_listening, wait_until)

DOMAIN = "example.test"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\r")


class Shell:
    """The Gogo shell of a Sluice started on a pseudo-terminal: commands are typed and timed."""

    def __init__(self, master_fd, logfile):
        self.fd, self.buf, self.lock = master_fd, bytearray(), threading.Lock()
        self.log = open(logfile, "ab")
        self.seq = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.buf += data
            self.log.write(data)
            self.log.flush()

    def run(self, command, timeout=300):
        """Types `command`, then `echo MARK`; returns (output, seconds until MARK came back)."""
        self.seq += 1
        mark = f"__done_{self.seq}__"
        with self.lock:
            start = len(self.buf)
        t0 = time.monotonic()
        # a second line rather than "; echo": Gogo prints only the value of a line's last statement
        os.write(self.fd, f"{command}\necho {mark}\n".encode())
        # the mark's output line may follow a prompt; the typed line reads "echo MARK"
        pattern = re.compile(rb"(?m)^(g! )?" + mark.encode() + rb"\s*$")
        while time.monotonic() - t0 < timeout:
            with self.lock:
                text = ANSI.sub(b"", bytes(self.buf[start:]))
            m = pattern.search(text)
            if m:
                secs = time.monotonic() - t0
                out = text[:m.start()].decode("utf-8", "replace")
                # drop the typed lines (the terminal's echo) and the prompts
                lines = (l[3:] if l.startswith("g! ") else l for l in out.split("\n"))
                out = "\n".join(l for l in lines if l.strip() not in (command, f"echo {mark}"))
                return out.strip(), secs
            time.sleep(0.005)
        raise Fail(f"shell: no answer to '{command}' within {timeout}s")


class TtySluice(Sluice):
    """Sluice on a pseudo-terminal (bin/sluice then starts the interactive Gogo shell)."""

    def launch(self):
        self.http_port = free_port()
        self.recoveries = len(grep_log(self.home, r"Spool .* recovered: "))
        env = dict(os.environ, SLUICE_HTTP_PORT=str(self.http_port), SLUICE_JAVA_OPTS=self.java_opts, TERM="dumb")
        master, slave = pty.openpty()
        self.proc = subprocess.Popen([os.path.join(self.home, "bin", "sluice")], cwd=self.home, env=env,
                                     stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        self.procs.items.append(("sluice", self.proc))
        self.shell = Shell(master, os.path.join(self.home, "console.out"))
        self.started = time.monotonic()
        wait_listening(self.port, 120, "sluice")
        self.listening_s = time.monotonic() - self.started
        log(f"sluice on 127.0.0.1:{self.port} (pid {self.proc.pid}, {self.java_opts}), "
            f"SMTP after {self.listening_s:.1f}s")

    def count(self):
        """(messages, seconds) from sluice:queue; messages None while the queue is not available."""
        out, secs = self.shell.run("sluice:queue")
        m = re.search(r"messages: (\d+)", out)
        return (int(m.group(1)) if m else None), secs

    def console(self, path):
        """GET a console page with the generated admin password: (bytes, seconds, status)."""
        with open(os.path.join(self.home, "conf", "admin-password.txt")) as f:
            password = f.read().strip().splitlines()[-1].strip()
        req = urllib.request.Request(f"http://127.0.0.1:{self.http_port}/system/console/{path}")
        req.add_header("Authorization", "Basic " + base64.b64encode(f"admin:{password}".encode()).decode())
        t0 = time.monotonic()
        with urllib.request.urlopen(req, timeout=300) as r:
            body = r.read()
            return len(body), time.monotonic() - t0, r.status


def refresh_bundles(home):
    """--reuse: the distribution's bundles replace the kept installation's, the framework cache is dropped."""
    shutil.rmtree(os.path.join(home, "bundle"))
    shutil.copytree(os.path.join(DIST, "bundle"), os.path.join(home, "bundle"))
    shutil.rmtree(os.path.join(home, "data", "felix-cache"), ignore_errors=True)


def heap(sl, r, key):
    used, _ = jvmprobe.heap_used_mb(sl.proc.pid, full_gc=True)
    r[key] = used
    log(f"{key}: {used} MB used after a full GC")
    return used


def timings(sl, r, key):
    t = {}
    for i in range(3):
        n, t[f"sluice:queue #{i + 1}"] = sl.count()
    _, t["sluice:search -d (20 of all)"] = sl.shell.run(f"sluice:search -d {DOMAIN} -l 20")
    # the first request pays the (deliberately slow) password hash; later ones within 5 min do not
    _, t["console first request (password check)"], _ = sl.console("sluice-queue/counts")
    for path in ("sluice-queue/counts", "sluice-queue", f"sluice-queue?destination={DOMAIN}"):
        size, secs, status = sl.console(path)
        t[f"console {path} ({status}, {size // 1024} KB)"] = secs
    r[key] = {k: round(v, 3) for k, v in t.items()}
    log(f"{key}: " + ", ".join(f"{k} {v:.3f}s" for k, v in t.items()))
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=1000000)
    ap.add_argument("--size", type=int, default=300, help="body bytes per message (smtp-source adds ~250 B)")
    ap.add_argument("--inject-sessions", type=int, default=100)
    ap.add_argument("--drain-seconds", type=int, default=120, help="how long to measure delivery after release")
    ap.add_argument("--drain-all", action="store_true", help="deliver everything (1 M: about 15-30 minutes)")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds for the injection")
    capacity_args(ap)
    ap.add_argument("--gc-log", action="store_true", help="-Xlog:gc into HOME/log/gc-<pid>.log")
    ap.add_argument("--keep", action="store_true", help="keep the spool (else it is deleted at the end)")
    ap.add_argument("--reuse", metavar="HOME", help="a Sluice home kept with --keep: skip the injection")
    a = ap.parse_args()

    started, where, work = start_run("million")
    procs = Procs()
    if a.gc_log:
        a.java_opts += " -Xlog:gc:file=log/gc-%p.log"
    r = {"messages": a.messages, "java_opts": a.java_opts}
    sl = None
    try:
        port, sink_port = free_port(), free_port()
        sl = TtySluice(procs, work, port, sink_port, a.java_opts)
        if a.reuse:
            sl.home = os.path.abspath(a.reuse)
            with open(os.path.join(sl.home, "deploy", "dev.sluice.smtp.listener-bench.cfg")) as f:
                sl.port = int(re.search(r"(?m)^port=(\d+)", f.read()).group(1))
            with open(os.path.join(sl.home, "deploy", "dev.sluice.routing.static-sink.cfg")) as f:
                sl.sink_port = sink_port = int(re.search(r"127\.0\.0\.1:(\d+)", f.read()).group(1))
            refresh_bundles(sl.home)
            # held before the start: released mail would otherwise be tried (and deferred) against a dead port
            with open(os.path.join(sl.home, "spool", "held-destinations"), "w") as f:
                f.write(DOMAIN + "\n")
            sl.launch()
            r["reused"] = sl.home
            a.messages = r["messages"] = recovered_count(sl, 900)
        else:
            sl.start()
            out, _ = sl.shell.run(f"sluice:hold -d {DOMAIN}", timeout=120)
            log(f"hold: {out}")
            inject(sl, a, r, work)
        n = wait_count(sl, a.messages, 600)
        r["queued_seen"] = n
        heap(sl, r, "heap_queued_mb")
        hist = jvmprobe.histogram_top(sl.proc.pid, 20)
        with open(os.path.join(work, "histogram-queued.txt"), "w") as f:
            f.write(hist)
        r["histogram_queued"] = hist
        r["live_queued_mb"] = jvmprobe.histogram_total_mb(hist)
        timings(sl, r, "answers_queued_s")

        # restart with the same heap
        t0 = time.monotonic()
        sl.stop()
        r["stop_s"] = round(time.monotonic() - t0, 1)
        sl.launch()
        r["restart_smtp_s"] = round(sl.listening_s, 1)
        n = wait_count(sl, a.messages, 900, since=sl.started)
        r["restart_all_counted_s"] = round(time.monotonic() - sl.started, 1)
        r["recovery_log"] = grep_log(sl.home, r"Spool .* recovered: .*|Scheduler knows .*")
        heap(sl, r, "heap_recovered_mb")
        r["histogram_recovered"] = jvmprobe.histogram_top(sl.proc.pid, 20)
        r["live_recovered_mb"] = jvmprobe.histogram_total_mb(r["histogram_recovered"])
        timings(sl, r, "answers_recovered_s")

        # release and deliver
        sink = Sink(procs, work, "million", sink_port)
        t0 = time.monotonic()
        out, secs = sl.shell.run(f"sluice:release -d {DOMAIN}", timeout=600)
        r["release_s"], r["release_out"] = round(secs, 2), out
        log(f"release: {out} ({secs:.2f}s)")
        limit = a.timeout if a.drain_all else a.drain_seconds
        peak_heap = peak_rss = 0
        samples = []
        while time.monotonic() - t0 < limit:
            got = sink.count()
            st = jvmprobe.proc_status(sl.proc.pid)
            used, _ = jvmprobe.heap_used_mb(sl.proc.pid)
            peak_heap, peak_rss = max(peak_heap, used or 0), max(peak_rss, st["rss_kb"])
            samples.append((round(time.monotonic() - t0), got))
            if got >= a.messages:
                break
            time.sleep(5)
        got = sink.count()
        secs = time.monotonic() - t0
        r.update({"drain_s": round(secs), "drained": got, "drain_msgs_s": round(got / secs, 1),
                  "drain_peak_heap_used_mb": peak_heap, "drain_peak_rss_mb": round(peak_rss / 1024),
                  "drain_samples": samples})
        left, _ = sl.count()
        r["left_after_drain"] = left
        r["status"] = "ok"
    except Fail as e:
        log(f"ERROR: {e}")
        r["status"] = f"error: {e}"
    finally:
        if sl and sl.proc:
            r["oom_lines"] = grep_log(sl.home, r".*OutOfMemoryError.*")[:3]
            sl.stop()
        procs.stop_all()
    finish_run(a, r, work, started, where, f"{a.messages:,} queued messages", report(r))
    if sl and not a.keep and not a.reuse and os.path.isdir(os.path.join(sl.home, "spool")):
        log("deleting the spool")
        shutil.rmtree(os.path.join(sl.home, "spool"), ignore_errors=True)
    sys.exit(0 if r["status"] == "ok" else 1)


def inject(sl, a, r, work):
    argv = ["smtp-source", "-s", str(a.inject_sessions), "-m", str(a.messages), "-l", str(a.size),
            "-M", "client.bench.test", "-f", "sender@client.bench.test", "-t", f"rcpt@{DOMAIN}", "-N", "-d",
            f"127.0.0.1:{sl.port}"]
    r["smtp_source"] = " ".join(argv[:-1])
    t0 = time.monotonic()
    src = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "smtp-source.err"), "w"))
    peak_heap = peak_rss = 0
    last = (t0, 0)
    with open(os.path.join(work, "inject.jsonl"), "w") as out:
        while src.poll() is None:
            if time.monotonic() - t0 > a.timeout:
                sl.procs.items.append(("smtp-source", src))
                sl.procs.stop(src)
                raise Fail(f"injection not done within {a.timeout}s")
            time.sleep(15)
            n, secs = sl.count()
            st = jvmprobe.proc_status(sl.proc.pid)
            used, _ = jvmprobe.heap_used_mb(sl.proc.pid)
            peak_heap, peak_rss = max(peak_heap, used or 0), max(peak_rss, st["rss_kb"])
            now = time.monotonic()
            rate = (n - last[1]) / (now - last[0]) if n is not None else 0
            last = (now, n or 0)
            row = {"t": round(now - t0), "queued": n, "rate": round(rate), "sluice:queue_s": round(secs, 3),
                   "heap_used_mb": used, "rss_mb": round(st["rss_kb"] / 1024), "threads": st["threads"]}
            out.write(json.dumps(row) + "\n")
            out.flush()
            log(f"inject: {row}")
    secs = time.monotonic() - t0
    r.update({"inject_s": round(secs), "inject_msgs_s": round(a.messages / secs), "smtp_source_rc": src.returncode,
              "inject_peak_heap_used_mb": peak_heap, "inject_peak_rss_mb": round(peak_rss / 1024)})
    if src.returncode != 0:
        with open(os.path.join(work, "smtp-source.err")) as f:
            raise Fail(f"smtp-source rc={src.returncode}: {f.read()[-300:]}")


def wait_count(sl, n, secs, since=None):
    seen = [None]

    def full():
        try:
            seen[0], _ = sl.count()
        except Fail:
            return False
        return seen[0] is not None and seen[0] >= n
    if not wait_until(full, secs, 1.0):
        raise Fail(f"sluice:queue counts {seen[0]} of {n} after {secs}s")
    if since is not None:
        log(f"all {n} counted {time.monotonic() - since:.1f}s after the start")
    return seen[0]


def recovered_count(sl, secs):
    """The number of messages the startup scan of the current run reports."""
    found = [None]

    def done():
        lines = grep_log(sl.home, r"Spool .* recovered: (\d+) messages queued")
        if len(lines) > sl.recoveries:
            found[0] = int(re.search(r"recovered: (\d+) messages", lines[-1]).group(1))
        return found[0] is not None
    if not wait_until(done, secs, 1.0):
        raise Fail(f"no end of the spool scan in the log after {secs}s")
    return found[0]


def grep_log(home, pattern):
    out = []
    try:
        with open(os.path.join(home, "log", "sluice.log"), errors="replace") as f:
            for line in f:
                m = re.search(pattern, line)
                if m:
                    out.append(line.strip()[:300])
    except OSError:
        pass
    return out


def report(r):
    rows = [("messages", "messages queued (held destination)"), ("java_opts", "JVM options"),
            ("inject_s", "injection, s"), ("inject_msgs_s", "injection rate, msgs/s"),
            ("inject_peak_heap_used_mb", "heap used during injection, peak sample, MB"),
            ("inject_peak_rss_mb", "RSS during injection, peak, MB"),
            ("heap_queued_mb", "heap used just after a full GC (GC.run, GC.heap_info), all queued, MB"),
            ("live_queued_mb", "**live heap (class histogram total), all queued, MB**"),
            ("stop_s", "stop (SIGTERM until exit), s"), ("restart_smtp_s", "restart: SMTP accepting after, s"),
            ("restart_all_counted_s", "**restart: every message indexed (sluice:queue counts all) after, s**"),
            ("heap_recovered_mb", "heap used just after a full GC, after the restart, MB"),
            ("live_recovered_mb", "**live heap (class histogram total), after the restart, MB**"),
            ("release_s", "sluice:release of the destination answered in, s"),
            ("drain_s", "delivery measured for, s"), ("drained", "messages delivered to smtp-sink"),
            ("drain_msgs_s", "delivery rate, msgs/s"), ("drain_peak_heap_used_mb", "heap used while delivering, peak sample, MB"),
            ("drain_peak_rss_mb", "RSS while delivering, peak, MB"), ("left_after_drain", "still queued at the end"),
            ("status", "status")]
    lines = ["| what | value |", "|---|---:|"]
    lines += [f"| {label} | {r[k]} |" for k, label in rows if k in r]
    for key, title in (("answers_queued_s", "all queued"), ("answers_recovered_s", "after the restart")):
        if key in r:
            lines.append(f"\nAnswer times, {title} (s): " + ", ".join(f"{k} {v}" for k, v in r[key].items()))
    if r.get("recovery_log"):
        lines.append("\nRecovery log:\n```\n" + "\n".join(r["recovery_log"][-4:]) + "\n```")
    for key, title in (("histogram_queued", "all queued"), ("histogram_recovered", "after the restart")):
        if r.get(key):
            lines.append(f"\nClass histogram, {title} (top):\n```\n" + r[key] + "\n```")
    if r.get("oom_lines"):
        lines.append("\nOutOfMemoryError in the log: " + "; ".join(r["oom_lines"]))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
