#!/usr/bin/env python3
"""mtabench.py - Sluice beside Postfix on loopback, in one run (called by bench/run.sh).

smtp-source -> MTA -> smtp-sink, one private sink per MTA; both MTAs durable (fsync before 250).
For every case and MTA: injected msgs/s (smtp-source done, all 250), end-to-end msgs/s (until the
sink has them all and the MTA's queue is empty), CPU ms per message (utime+stime of the MTA's
process tree, reaped children included), accept latency of a sequential probe running beside the
load (bench/latency.py), peak PSS of the MTA's processes (sampled), then the ratio Sluice/Postfix.
Every process is started in its own session and stopped by pid; all state lives in bench/work/.
Standard library only.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
DIST = os.path.join(ROOT, "distribution", "target", "sluice")
CLK_TCK = os.sysconf("SC_CLK_TCK")
SIZES = {"1k": 1024, "20k": 20 * 1024, "100k": 100 * 1024}
# messages per case in the full run: about 10-30 s per MTA on 2 shared cores
FULL_N = {"1k": 10000, "20k": 6000, "100k": 3000}
QUICK_CASES = ["1k/20/1/new", "1k/200/10/reuse"]
QUICK_N = 1500


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Fail(Exception):
    pass


# ---------------------------------------------------------------- processes, by pid only

class Procs:
    """Every process this run starts, stopped by its own pid (TERM, then KILL) in reverse order."""

    def __init__(self):
        self.items = []

    def start(self, name, argv, cwd=None, env=None, out=None):
        stdout = open(out, "ab") if out else subprocess.DEVNULL
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout,
                             stderr=subprocess.STDOUT, start_new_session=True)
        if out:
            stdout.close()
        self.items.append((name, p))
        return p

    def stop(self, p, grace=30):
        if p.poll() is None:
            try:
                os.kill(p.pid, signal.SIGTERM)
                p.wait(grace)
            except subprocess.TimeoutExpired:
                log(f"pid {p.pid} ignored TERM for {grace}s: KILL")
                os.kill(p.pid, signal.SIGKILL)
                p.wait(10)
            except ProcessLookupError:
                pass
        self.items = [(n, q) for n, q in self.items if q is not p]

    def stop_all(self):
        for _, p in reversed(list(self.items)):
            self.stop(p)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, secs, what):
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise Fail(f"{what} does not listen on 127.0.0.1:{port} after {secs}s")


def wait_until(cond, secs, poll=0.02):
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(poll)
    return cond()


# ---------------------------------------------------------------- /proc accounting

def read_procs():
    """pid -> (ppid, ticks incl. reaped children)"""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        f = s[s.rindex(")") + 2:].split()
        # f[1]=ppid, utime=f[11] stime=f[12] cutime=f[13] cstime=f[14]
        out[int(d)] = (int(f[1]), int(f[11]) + int(f[12]) + int(f[13]) + int(f[14]))
    return out


def tree(roots, procs):
    roots = set(roots)
    members = []
    for pid in procs:
        q, hops = pid, 0
        while q > 1 and hops < 64:
            if q in roots:
                members.append(pid)
                break
            q = procs.get(q, (0, 0))[0]
            hops += 1
    return members


def cpu_ticks(roots):
    procs = read_procs()
    return sum(procs[p][1] for p in tree(roots, procs))


def pss_kb(roots):
    total = 0
    for p in tree(roots, read_procs()):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def sys_snapshot():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    return busy, busy + v[3] + v[4]


class PeakSampler(threading.Thread):
    def __init__(self, roots, interval=0.5):
        super().__init__(daemon=True)
        self.roots, self.interval, self.peak = roots, interval, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, pss_kb(self.roots))
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.join(5)
        self.peak = max(self.peak, pss_kb(self.roots))
        return self.peak


# ---------------------------------------------------------------- the sink and the MTAs

class Sink:
    """smtp-sink on 127.0.0.1:port counting completed DATA transactions (-c) into its output file."""

    def __init__(self, procs, work, name, port):
        self.out = os.path.join(work, f"sink-{name}.out")
        self.port = port
        self.proc = procs.start(f"sink-{name}", ["smtp-sink", "-u", "nobody", "-c", "-C", "-F", "-h",
                                                 "sink.bench.test", "-m", "1000", f"127.0.0.1:{port}", "1024"],
                                out=self.out)
        wait_listening(port, 10, "smtp-sink")

    def count(self):
        try:
            with open(self.out, "rb") as f:
                f.seek(0, 2)
                f.seek(max(0, f.tell() - 300))
                tail = f.read().decode("ascii", "replace")
        except OSError:
            return 0
        for part in reversed(tail.replace("\r", "\n").split("\n")):
            if "mesg=" in part:
                try:
                    return int(part.split("mesg=")[1].split()[0])
                except (IndexError, ValueError):
                    continue
        return 0


class Postfix:
    name = "postfix"

    def __init__(self, work, port, sink_port):
        self.base = os.path.join(work, "postfix")
        self.conf, self.queue, self.data = (os.path.join(self.base, d) for d in ("etc", "queue", "data"))
        self.port, self.sink_port = port, sink_port
        self.maillog = os.path.join(self.base, "maillog")

    def pf(self, *args, check=True):
        r = subprocess.run(["postfix", "-c", self.conf, *args], capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise Fail(f"postfix {' '.join(args)} failed: {r.stderr.strip()[-500:]}; see {self.maillog}")
        return r

    def start(self):
        for d in (self.conf, self.queue, self.data):
            os.makedirs(d, exist_ok=True)
        shutil.chown(self.data, "postfix")
        with open(os.path.join(BENCH, "postfix", "main.cf")) as f:
            main = f.read()
        with open(os.path.join(BENCH, "postfix", "master.cf")) as f:
            master = f.read()
        subst = {"@QUEUE@": self.queue, "@DATA@": self.data, "@MAILLOG@": self.maillog,
                 "@PORT@": str(self.port), "@SINK_PORT@": str(self.sink_port)}
        for k, v in subst.items():
            main, master = main.replace(k, v), master.replace(k, v)
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write(main)
        with open(os.path.join(self.conf, "master.cf"), "w") as f:
            f.write(master)
        open(self.maillog, "w").close()
        self.pf("check")   # creates the queue subdirectories with the right owners
        self.pf("start")
        wait_listening(self.port, 30, "postfix")
        log(f"postfix {self.version()} on 127.0.0.1:{self.port} (master pid {self.master_pid()})")

    def version(self):
        return subprocess.run(["postconf", "-c", self.conf, "-h", "mail_version"], capture_output=True,
                              text=True).stdout.strip()

    def master_pid(self):
        try:
            with open(os.path.join(self.queue, "pid", "master.pid")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def roots(self):
        return [self.master_pid()]

    def queued(self):
        n = 0
        for d in ("maildrop", "incoming", "active", "deferred", "hold"):
            for _, _, files in os.walk(os.path.join(self.queue, d)):
                n += len(files)
        return n

    def stop(self):
        pid = self.master_pid()
        if pid is None:
            return
        # the master stops its children; by pid, as 'postfix stop' would
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if not wait_until(lambda: not os.path.exists(f"/proc/{pid}"), 30, 0.2):
            log(f"postfix master {pid} ignored TERM: KILL")
            os.kill(pid, signal.SIGKILL)


class Sluice:
    name = "sluice"

    def __init__(self, procs, work, port, sink_port, java_opts, extra_cfg=None):
        """extra_cfg: deploy file name -> text, written after (and over) bench/sluice/*.cfg, same templating."""
        self.procs, self.home = procs, os.path.join(work, "sluice")
        self.port, self.sink_port, self.java_opts = port, sink_port, java_opts
        self.extra_cfg = extra_cfg or {}
        self.proc = None

    def start(self):
        if not os.path.isfile(os.path.join(DIST, "bin", "sluice")):
            raise Fail(f"no distribution in {DIST}: build it (bench/run.sh does, unless --no-build)")
        shutil.copytree(DIST, self.home, symlinks=True)
        deploy = os.path.join(self.home, "deploy")
        for f in os.listdir(deploy):
            if f.endswith(".cfg"):
                os.remove(os.path.join(deploy, f))
        cfgs = {}
        for f in os.listdir(os.path.join(BENCH, "sluice")):
            with open(os.path.join(BENCH, "sluice", f)) as src:
                cfgs[f] = src.read()
        cfgs.update(self.extra_cfg)
        for f, text in cfgs.items():
            with open(os.path.join(deploy, f), "w") as dst:
                dst.write(text.replace("@PORT@", str(self.port)).replace("@SINK_PORT@", str(self.sink_port)))
        self.launch()

    def launch(self):
        """Starts the installation made by start() (again, after stop(): same spool, same configuration)."""
        self.http_port = free_port()
        env = dict(os.environ, SLUICE_HTTP_PORT=str(self.http_port), SLUICE_JAVA_OPTS=self.java_opts)
        self.proc = self.procs.start("sluice", [os.path.join(self.home, "bin", "sluice")], cwd=self.home,
                                     env=env, out=os.path.join(self.home, "console.out"))
        wait_listening(self.port, 120, "sluice")
        log(f"sluice on 127.0.0.1:{self.port} (pid {self.proc.pid}, SLUICE_JAVA_OPTS={self.java_opts})")

    def roots(self):
        return [self.proc.pid]

    def queued(self):
        n = 0
        for _, _, files in os.walk(os.path.join(self.home, "spool", "q")):
            n += sum(1 for f in files if not f.endswith(".tmp"))
        return n

    def stop(self):
        if self.proc:
            self.procs.stop(self.proc, grace=60)


# ---------------------------------------------------------------- one measurement

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


def measure(procs, work, mta, port, sink, case, n, timeout):
    tag = f"{mta.name}-{case['name'].replace('/', '_')}"
    stopfile, probe_out = os.path.join(work, tag + ".stop"), os.path.join(work, tag + ".lat.json")
    for f in (stopfile, probe_out):
        if os.path.exists(f):
            os.remove(f)
    if not wait_until(lambda: mta.queued() == 0, timeout, 0.2):
        raise Fail(f"{mta.name}: queue not empty before {case['name']}")
    base = sink.count()
    sampler = PeakSampler(mta.roots())
    sampler.start()
    cpu0, sys0 = cpu_ticks(mta.roots()), sys_snapshot()
    t0 = time.monotonic()
    probe = procs.start("probe", [sys.executable, os.path.join(BENCH, "latency.py"), "127.0.0.1", str(port),
                                  str(case["bytes"]), str(case["rcpts"]), "1" if case["reuse"] else "0", stopfile,
                                  "100000", str(timeout), probe_out], out=os.path.join(work, tag + ".lat.err"))
    src = subprocess.run(smtp_source_argv(port, n, case), capture_output=True, text=True, timeout=timeout)
    t_inj = time.monotonic()
    open(stopfile, "w").close()
    try:
        probe.wait(90)
    except subprocess.TimeoutExpired:
        procs.stop(probe)
    procs.items = [(nm, q) for nm, q in procs.items if q is not probe]
    lat = {"sent": 0, "errors": 0, "txn_ms": {}, "eod_ms": {}}
    if os.path.exists(probe_out):
        with open(probe_out) as f:
            lat = json.load(f)
    total = n + lat["sent"]
    delivered = wait_until(lambda: sink.count() - base >= total, timeout)
    t_e2e = time.monotonic()
    drained = wait_until(lambda: mta.queued() == 0, 60, 0.1)
    cpu1, sys1 = cpu_ticks(mta.roots()), sys_snapshot()
    peak = sampler.stop()
    got = sink.count() - base
    status = "ok"
    if src.returncode != 0:
        status = f"smtp-source rc={src.returncode}: {(src.stderr or src.stdout).strip()[:160]}"
    elif not delivered:
        status = f"sink got {got}/{total} within {timeout}s"
    elif not drained:
        status = "queue not drained"
    elif lat["errors"]:
        status = f"probe errors={lat['errors']}: {lat.get('last_error')}"
    busy = 100.0 * (sys1[0] - sys0[0]) / max(1, sys1[1] - sys0[1])
    return {"mta": mta.name, "case": case["name"], "n": n, "probe_sent": lat["sent"],
            "inject_msgs_s": round(total / (t_inj - t0), 1),
            "e2e_msgs_s": round(got / (t_e2e - t0), 1) if delivered else None,
            "inject_s": round(t_inj - t0, 3), "e2e_s": round(t_e2e - t0, 3),
            "cpu_ms_msg": round(1000.0 * (cpu1 - cpu0) / CLK_TCK / total, 3),
            "txn_p50": lat["txn_ms"].get("p50"), "txn_p99": lat["txn_ms"].get("p99"),
            "eod_p50": lat["eod_ms"].get("p50"), "eod_p99": lat["eod_ms"].get("p99"),
            "peak_pss_mb": round(peak / 1024.0, 1), "sys_busy_pct": round(busy), "status": status}


# ---------------------------------------------------------------- report

def fmt(v, nd=1):
    if v is None:
        return "–"
    return f"{v:,.{nd}f}" if isinstance(v, float) else str(v)


def ratio(s, p, nd=2):
    if s is None or p in (None, 0):
        return "–"
    return f"{s / p:.{nd}f}×"


HEADER = ("| case (size/sessions/rcpts/conn) | MTA | injected msgs/s | end-to-end msgs/s | CPU ms/msg "
          "| accept p50 / p99 ms (txn) | eod→250 p50 / p99 ms | peak PSS MB | machine busy % | status |\n"
          "|---|---|---:|---:|---:|---:|---:|---:|---:|---|")


def row(r):
    return (f"| {r['case']} | {r['mta']} | {fmt(r['inject_msgs_s'])} | {fmt(r['e2e_msgs_s'])} "
            f"| {fmt(r['cpu_ms_msg'], 2)} | {fmt(r['txn_p50'], 2)} / {fmt(r['txn_p99'], 2)} "
            f"| {fmt(r['eod_p50'], 2)} / {fmt(r['eod_p99'], 2)} | {fmt(r['peak_pss_mb'], 0)} | {r['sys_busy_pct']} | {r['status']} |")


def ratio_row(s, p):
    return (f"| {s['case']} | **Sluice/Postfix** | {ratio(s['inject_msgs_s'], p['inject_msgs_s'])} "
            f"| **{ratio(s['e2e_msgs_s'], p['e2e_msgs_s'])}** | {ratio(s['cpu_ms_msg'], p['cpu_ms_msg'])} "
            f"| {ratio(s['txn_p50'], p['txn_p50'])} / {ratio(s['txn_p99'], p['txn_p99'])} "
            f"| {ratio(s['eod_p50'], p['eod_p50'])} / {ratio(s['eod_p99'], p['eod_p99'])} "
            f"| {ratio(s['peak_pss_mb'], p['peak_pss_mb'])} | | |")


def table(results):
    lines = [HEADER]
    by_case = {}
    for r in results:
        by_case.setdefault(r["case"], {})[r["mta"]] = r
    for case, rs in by_case.items():
        for m in ("postfix", "sluice"):
            if m in rs:
                lines.append(row(rs[m]))
        if "postfix" in rs and "sluice" in rs:
            lines.append(ratio_row(rs["sluice"], rs["postfix"]))
    for case, rs in by_case.items():
        if case.startswith("100k/") and "sluice" in rs and rs["sluice"]["e2e_msgs_s"]:
            lines.append(f"\n100 KB, {case}: Sluice {rs['sluice']['e2e_msgs_s'] * 3600 / 1e6:.2f} M msgs/h"
                         + (f", Postfix {rs['postfix']['e2e_msgs_s'] * 3600 / 1e6:.2f} M msgs/h"
                            if "postfix" in rs and rs["postfix"]["e2e_msgs_s"] else ""))
    return "\n".join(lines)


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    # the results file itself is not a local change of what is measured
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no", "--", ".",
                            ":!bench/RESULTS.md"],
                           capture_output=True, text=True).stdout.strip()
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return (f"nproc={os.cpu_count()}, CPU \"{model}\", kernel {platform.release()}, "
            f"JDK \"{jdk[1] if len(jdk) > 1 else jdk}\", commit {commit}{' (with local changes)' if dirty else ''}, "
            f"load average at start {load}")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help=f"cases {', '.join(QUICK_CASES)} with {QUICK_N} messages")
    ap.add_argument("--cases", help="comma-separated SIZE/SESSIONS/RCPTS/new|reuse, e.g. 1k/20/1/new")
    ap.add_argument("--n", type=int, help="messages per case (default: 1k 10000, 20k 6000, 100k 3000)")
    ap.add_argument("--mta", choices=("both", "postfix", "sluice"), default="both")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per phase (injection, delivery)")
    ap.add_argument("--max-minutes", type=int, default=120, help="skip the remaining cases after this")
    ap.add_argument("--java-opts", default=os.environ.get("SLUICE_JAVA_OPTS", "-Xmx512m"))
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
    if a.cases:
        cases = [parse_case(c) for c in dict.fromkeys(c.strip() for c in a.cases.split(",") if c.strip())]
    elif a.quick:
        cases = [parse_case(c) for c in QUICK_CASES]
    else:
        cases = [parse_case(f"{s}/{c}/{r}/{m}") for s in SIZES for c in (20, 200) for r in (1, 10)
                 for m in ("new", "reuse")]
    for tool in ("smtp-source", "smtp-sink", "postfix", "java"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found (Debian: apt-get install postfix default-jdk-headless)")

    started = datetime.datetime.now(datetime.timezone.utc)
    where = machine()
    work = os.path.join(BENCH, "work", "run-" + started.strftime("%Y%m%d-%H%M%S"))
    os.makedirs(work)
    procs = Procs()
    mtas = []

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    results = []
    try:
        names = ["postfix", "sluice"] if a.mta == "both" else [a.mta]
        ports = {}
        for name in names:
            port, sink_port = free_port(), free_port()
            sink = Sink(procs, work, name, sink_port)
            mta = (Postfix(work, port, sink_port) if name == "postfix"
                   else Sluice(procs, work, port, sink_port, a.java_opts))
            mtas.append(mta)
            mta.start()
            ports[name] = (mta, port, sink)
        deadline = time.monotonic() + 60 * a.max_minutes
        # warm-up (not measured): the JIT for Sluice (steady state is what a long-running MTA sees),
        # process pools and caches for Postfix
        warm = parse_case("1k/20/1/new")
        for name in names:
            mta, port, sink = ports[name]
            r = measure(procs, work, mta, port, sink, warm, 3000 if a.quick else 10000, a.timeout)
            log(f"warm-up {name}: {r['e2e_msgs_s']} msgs/s end-to-end, {r['status']}")
            if r["status"] != "ok":
                raise Fail(f"warm-up of {name} failed: {r['status']}")
        if a.hold:
            for name in names:
                mta, port, sink = ports[name]
                log(f"holding {name}: smtp 127.0.0.1:{port} pids {mta.roots()} sink 127.0.0.1:{sink.port} "
                    f"counter {sink.out}")
            time.sleep(min(a.hold, 3600))
            cases = []
        for i, case in enumerate(cases):
            if time.monotonic() > deadline:
                log(f"--max-minutes reached: skipping {len(cases) - i} cases")
                break
            n = a.n or (QUICK_N if a.quick else FULL_N[case["size"]])
            # alternate who goes first, so that neither always runs right after the other's backlog
            order = names if i % 2 == 0 else list(reversed(names))
            for name in order:
                mta, port, sink = ports[name]
                r = measure(procs, work, mta, port, sink, case, n, a.timeout)
                log(f"{name} {case['name']}: inject {r['inject_msgs_s']}/s e2e {r['e2e_msgs_s']}/s "
                    f"cpu {r['cpu_ms_msg']} ms/msg p99 {r['txn_p99']} ms pss {r['peak_pss_mb']} MB {r['status']}")
                results.append(r)
                with open(os.path.join(work, "results.jsonl"), "a") as f:
                    f.write(json.dumps(r) + "\n")
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
    text = table(results)
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
