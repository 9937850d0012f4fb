"""measure.py - one saturated case, one paced phase and the warm-up of one MTA, for bench/mtabench.py."""
import json
import os
import subprocess
import sys
import time

from cases import parse_case, smtp_source_argv
from mtas import BENCH
from paced import stats as paced_stats
from procs import (CLK_TCK, Fail, PeakSampler, cpu_ticks, disk_per_message, disk_snapshot, jit_ticks, log,
                   machine_load, sys_snapshot, wait_until)

# warm-up rounds end once the JIT compiler threads used less than this share of Sluice's CPU in a round
JIT_SETTLED = 0.05


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
    cpu0, jit0, sys0, disk0 = cpu_ticks(mta.roots()), jit_ticks(mta.jvm()), sys_snapshot(), disk_snapshot(work)
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
    cpu1, jit1, sys1, disk1 = cpu_ticks(mta.roots()), jit_ticks(mta.jvm()), sys_snapshot(), disk_snapshot(work)
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
    return {"mta": mta.name, "case": case["name"], "n": n, "probe_sent": lat["sent"],
            "inject_msgs_s": round(total / (t_inj - t0), 1),
            "e2e_msgs_s": round(got / (t_e2e - t0), 1) if delivered else None,
            "inject_s": round(t_inj - t0, 3), "e2e_s": round(t_e2e - t0, 3),
            "cpu_ms_msg": round(1000.0 * (cpu1 - cpu0) / CLK_TCK / total, 3),
            "jit_pct": round(100.0 * (jit1 - jit0) / max(1, cpu1 - cpu0), 1),
            "txn_p50": lat["txn_ms"].get("p50"), "txn_p99": lat["txn_ms"].get("p99"),
            "eod_p50": lat["eod_ms"].get("p50"), "eod_p99": lat["eod_ms"].get("p99"),
            "peak_pss_mb": round(peak / 1024.0, 1), **disk_per_message(disk0, disk1, total),
            **machine_load(sys0, sys1), "status": status}


def paced_round(procs, work, mta, port, sink, case, rate, seconds, timeout, n):
    """One open-loop phase of `seconds`: case['sessions'] connections offered `rate` msgs/s (bench/paced.py). Returns
    what paced_result() merges: paced.py's answer and this phase's CPU, machine and disk deltas."""
    tag = f"{mta.name}-paced-{case['name'].replace('/', '_')}-{n}"
    out = os.path.join(work, tag + ".json")
    if not wait_until(lambda: mta.queued() == 0, timeout, 0.2):
        raise Fail(f"{mta.name}: queue not empty before the paced {case['name']}")
    count = max(1, int(rate * seconds))
    base = sink.count()
    cpu0, sys0, disk0 = cpu_ticks(mta.roots()), sys_snapshot(), disk_snapshot(work)
    p = subprocess.run([sys.executable, os.path.join(BENCH, "paced.py"), "127.0.0.1", str(port), str(case["bytes"]),
                        str(case["rcpts"]), "1" if case["reuse"] else "0", str(case["sessions"]), f"{rate:.1f}",
                        str(count), str(timeout), out], capture_output=True, text=True, timeout=timeout + 60)
    if p.returncode != 0 or not os.path.exists(out):
        raise Fail(f"paced.py failed for {mta.name}: {(p.stderr or p.stdout).strip()[-300:]}")
    with open(out) as f:
        lat = json.load(f)
    delivered = wait_until(lambda: sink.count() - base >= lat["sent"], timeout)
    wait_until(lambda: mta.queued() == 0, 60, 0.1)
    cpu1, sys1, disk1 = cpu_ticks(mta.roots()), sys_snapshot(), disk_snapshot(work)
    status = "ok"
    if lat["errors"]:
        status = f"errors={lat['errors']}: {lat.get('last_error')}"
    elif not delivered:
        status = f"sink got {sink.count() - base}/{lat['sent']}"
    elif lat["achieved_msgs_s"] is None or lat["achieved_msgs_s"] < 0.95 * rate:
        status = f"fell behind: {lat['achieved_msgs_s']} of {rate:.1f} msgs/s"
    return {"lat": lat, "status": status, "cpu": cpu1 - cpu0, "sys": [b - a for a, b in zip(sys0, sys1)],
            "disk": [b - a for a, b in zip(disk0, disk1)] if disk0 and disk1 else None}


def paced_result(mta, case, rate, rounds):
    """One MTA's paced rounds as one row: percentiles over every message of every round, the rounds' 10 s windows in
    the order they ran, and CPU, machine and disk summed over the rounds."""
    samples = [m for r in rounds for m in r["lat"]["samples"]]
    sent = sum(r["lat"]["sent"] for r in rounds)
    busy_s = sum(r["lat"]["sent"] / r["lat"]["achieved_msgs_s"] for r in rounds if r["lat"]["achieved_msgs_s"])
    disk = None if any(r["disk"] is None for r in rounds) else [sum(v) for v in zip(*(r["disk"] for r in rounds))]
    sys_delta = [sum(v) for v in zip(*(r["sys"] for r in rounds))]
    status = next((r["status"] for r in rounds if r["status"] != "ok"), "ok")
    return {"mta": mta.name, "case": case["name"], "paced": True, "offered_msgs_s": round(rate, 1),
            "achieved_msgs_s": round(sent / busy_s, 1) if busy_s else None, "sent": sent, "rounds": len(rounds),
            "late": sum(r["lat"]["late"] for r in rounds),
            "txn_ms": paced_stats([m[1] for m in samples]), "eod_ms": paced_stats([m[2] for m in samples]),
            "txn_p99_by_window": [w for r in rounds for w in r["lat"]["txn_p99_by_window"]],
            "cpu_ms_msg": round(1000.0 * sum(r["cpu"] for r in rounds) / CLK_TCK / max(1, sent), 3),
            **(disk_per_message([0, 0, 0], disk, sent) if disk else {}),
            **machine_load([0, 0, 0], sys_delta), "status": status}


def warm_up(procs, work, mta, port, sink, quick, rounds, timeout):
    """Not measured. Postfix: one round (process pools, caches). Sluice: rounds until the JIT has settled, i.e.
    its compiler threads used less than JIT_SETTLED of the JVM's CPU in a round (a long-running MTA's steady
    state; 10,000 messages were not enough: C2 was still compiling during the measured cases)."""
    case = parse_case("1k/20/1/new")
    for i in range(1, (rounds if mta.jvm() else 1) + 1):
        r = measure(procs, work, mta, port, sink, case, 3000 if quick else 10000, timeout)
        log(f"warm-up {mta.name} round {i}: {r['e2e_msgs_s']} msgs/s end-to-end, JIT {r['jit_pct']} % of CPU, "
            f"{r['status']}")
        if r["status"] != "ok":
            raise Fail(f"warm-up of {mta.name} failed: {r['status']}")
        if r["jit_pct"] < 100 * JIT_SETTLED:
            return
    if mta.jvm():
        log(f"warm-up {mta.name}: JIT still at {r['jit_pct']} % after {rounds} rounds; measuring anyway")
