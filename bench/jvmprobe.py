"""jvmprobe.py - what a running JVM holds, read from /proc and jcmd (used by outbound.py and million.py)."""
import collections
import os
import re
import subprocess


def proc_status(pid):
    """Threads, VmRSS (KB) and open file descriptors of a process."""
    out = {"threads": 0, "rss_kb": 0, "fds": 0}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    out["threads"] = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    out["rss_kb"] = int(line.split()[1])
        out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        pass
    return out


def jcmd(pid, *args, timeout=120):
    r = subprocess.run(["jcmd", str(pid), *args], capture_output=True, text=True, timeout=timeout)
    return r.stdout


def thread_groups(pid):
    """Java threads by name with the trailing numbers dropped ('sluice-delivery-smtp-io-3' -> '...-io-#')."""
    groups = collections.Counter()
    for m in re.finditer(r'^"([^"]*)"', jcmd(pid, "Thread.print"), re.M):
        groups[re.sub(r"\d+", "#", m.group(1))] += 1
    return groups


def heap_used_mb(pid, full_gc=False):
    """Used heap in MB from GC.heap_info (after a full GC when asked), with the raw text."""
    if full_gc:
        jcmd(pid, "GC.run")
    text = jcmd(pid, "GC.heap_info")
    # G1: " garbage-first heap   total 524288K, used 123456K"; others: "... total NK, used NK"
    m = re.search(r"heap\s+total\s+(\d+)K,\s+used\s+(\d+)K", text)
    return (round(int(m.group(2)) / 1024.0, 1) if m else None), text


def histogram_top(pid, n=12):
    """The first n lines of GC.class_histogram (it forces a full GC)."""
    lines = jcmd(pid, "GC.class_histogram", timeout=300).splitlines()
    return "\n".join(lines[:n + 3] + [l for l in lines[-1:] if l.startswith("Total")])


def histogram_total_mb(text):
    """The live heap of a GC.class_histogram (taken right after its own full GC), in MB."""
    m = re.search(r"^Total\s+\d+\s+(\d+)", text, re.M)
    return round(int(m.group(1)) / 1048576.0, 1) if m else None
