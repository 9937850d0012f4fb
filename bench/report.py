"""report.py - the Markdown tables of bench/mtabench.py."""
import os
import platform
import subprocess

from mtas import ROOT


def fmt(v, nd=1):
    if v is None:
        return "–"
    return f"{v:,.{nd}f}" if isinstance(v, float) else str(v)


def ratio(s, p, nd=2):
    if s is None or p in (None, 0):
        return "–"
    return f"{s / p:.{nd}f}×"


HEADER = ("| case (size/sessions/rcpts/conn) | MTA | injected msgs/s | end-to-end msgs/s | CPU ms/msg "
          "| accept p50 / p99 ms (txn) | eod→250 p50 / p99 ms | peak PSS MB | disk writes / KB / flushes per msg "
          "| machine busy % (steal) | status |\n"
          "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")


def load(r):
    """Machine busy %, with the share the hypervisor gave other guests (older results have no steal figure)."""
    steal = r.get("steal_pct")
    return f"{r['sys_busy_pct']} ({steal})" if steal is not None else str(r["sys_busy_pct"])


def disk(r):
    """The device's writes, KB written and cache flushes per message (older results and some kernels: none)."""
    if r.get("disk_writes_msg") is None:
        return "–"
    return f"{fmt(r['disk_writes_msg'], 1)} / {fmt(r['disk_kb_msg'], 1)} / {fmt(r['disk_flushes_msg'], 2)}"


def disk_ratio(s, p):
    return " / ".join(ratio(s.get(k), p.get(k)) for k in ("disk_writes_msg", "disk_kb_msg", "disk_flushes_msg"))


def row(r):
    return (f"| {r['case']} | {r['mta']} | {fmt(r['inject_msgs_s'])} | {fmt(r['e2e_msgs_s'])} "
            f"| {fmt(r['cpu_ms_msg'], 2)} | {fmt(r['txn_p50'], 2)} / {fmt(r['txn_p99'], 2)} "
            f"| {fmt(r['eod_p50'], 2)} / {fmt(r['eod_p99'], 2)} | {fmt(r['peak_pss_mb'], 0)} | {disk(r)} | {load(r)} "
            f"| {r['status']} |")


def ratio_row(s, p):
    return (f"| {s['case']} | **Sluice/Postfix** | {ratio(s['inject_msgs_s'], p['inject_msgs_s'])} "
            f"| **{ratio(s['e2e_msgs_s'], p['e2e_msgs_s'])}** | {ratio(s['cpu_ms_msg'], p['cpu_ms_msg'])} "
            f"| {ratio(s['txn_p50'], p['txn_p50'])} / {ratio(s['txn_p99'], p['txn_p99'])} "
            f"| {ratio(s['eod_p50'], p['eod_p50'])} / {ratio(s['eod_p99'], p['eod_p99'])} "
            f"| {ratio(s['peak_pss_mb'], p['peak_pss_mb'])} | {disk_ratio(s, p)} | | |")


def by_case(results):
    """case -> {mta: result}, in the order the cases ran."""
    cases = {}
    for r in results:
        cases.setdefault(r["case"], {})[r["mta"]] = r
    return cases


def table(results):
    lines = [HEADER]
    cases = by_case(results)
    for case, rs in cases.items():
        for m in ("postfix", "sluice"):
            if m in rs:
                lines.append(row(rs[m]))
        if "postfix" in rs and "sluice" in rs:
            lines.append(ratio_row(rs["sluice"], rs["postfix"]))
    for case, rs in cases.items():
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


PACED_HEADER = ("| case (size/sessions/rcpts/conn) | MTA | offered msgs/s | achieved msgs/s "
                "| accept p50 / p99 / p99.9 ms (due → 250) | accept p99 per 10 s, ms | eod→250 p50 / p99 / p99.9 ms "
                "| CPU ms/msg | disk writes / KB / flushes per msg | machine busy % (steal) | status |\n"
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")


def lat3(d):
    return " / ".join(fmt(d.get(k), 2) for k in ("p50", "p99", "p99.9"))


def windows(r):
    w = r.get("txn_p99_by_window")
    return " ".join(fmt(v, 1) for v in w) if w else "–"


def paced_table(results):
    """Open-loop rows: the same offered rate for both MTAs, latency from each message's due time."""
    lines = [PACED_HEADER]
    for case, rs in by_case(results).items():
        for m in ("postfix", "sluice"):
            if m in rs:
                r = rs[m]
                lines.append(f"| {case} | {m} | {fmt(r['offered_msgs_s'])} | {fmt(r['achieved_msgs_s'])} "
                             f"| {lat3(r['txn_ms'])} | {windows(r)} | {lat3(r['eod_ms'])} "
                             f"| {fmt(r['cpu_ms_msg'], 2)} | {disk(r)} | {load(r)} | {r['status']} |")
        if "postfix" in rs and "sluice" in rs:
            s, p = rs["sluice"], rs["postfix"]
            lines.append(f"| {case} | **Sluice/Postfix** | | | "
                         + " / ".join(ratio(s["txn_ms"].get(k), p["txn_ms"].get(k)) for k in ("p50", "p99", "p99.9"))
                         + " | | " + " / ".join(ratio(s["eod_ms"].get(k), p["eod_ms"].get(k))
                                              for k in ("p50", "p99", "p99.9"))
                         + f" | {ratio(s['cpu_ms_msg'], p['cpu_ms_msg'])} | {disk_ratio(s, p)} | | |")
    return "\n".join(lines)
