"""procs.py - processes by pid, /proc accounting and small waits for bench/mtabench.py. Standard library only."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


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


def jit_ticks(pid):
    """CPU ticks of a JVM's JIT compiler threads (C1/C2), 0 for no JVM: how far from its steady state it is."""
    if pid is None:
        return 0
    total = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        if "CompilerThre" in s[s.index("(") + 1:s.rindex(")")]:
            f = s[s.rindex(")") + 2:].split()
            total += int(f[11]) + int(f[12])
    return total


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
    """All cores' ticks from /proc/stat: (busy, total, steal); steal (the hypervisor ran another guest) counts as
    busy, since those ticks were not ours to use."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    return busy, busy + v[3] + v[4], v[7]


def disk_snapshot(path):
    """The block device holding `path`, from /sys/dev/block/M:m/stat: (write requests, sectors written, cache
    flushes), or None where the kernel does not say (flushes are counted since Linux 5.5). Every fsync of a
    durable MTA ends in a flush of the device's write cache; on a VM each is a round trip to the host."""
    st = os.stat(path).st_dev
    try:
        with open(f"/sys/dev/block/{os.major(st)}:{os.minor(st)}/stat") as f:
            v = [int(x) for x in f.read().split()]
    except OSError:
        return None
    return (v[4], v[6], v[15]) if len(v) >= 17 else None


def disk_per_message(d0, d1, messages):
    """Device writes, KB written and cache flushes per message between two disk_snapshot()s."""
    if d0 is None or d1 is None or messages <= 0:
        return {}
    return {"disk_writes_msg": round((d1[0] - d0[0]) / messages, 2),
            "disk_kb_msg": round((d1[1] - d0[1]) * 512 / 1024 / messages, 1),
            "disk_flushes_msg": round((d1[2] - d0[2]) / messages, 2)}


def machine_load(sys0, sys1):
    """Percent of the machine busy between two snapshots, and the part of it the hypervisor stole."""
    total = max(1, sys1[1] - sys0[1])
    return {"sys_busy_pct": round(100.0 * (sys1[0] - sys0[0]) / total),
            "steal_pct": round(100.0 * (sys1[2] - sys0[2]) / total)}


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
