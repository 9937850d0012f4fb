#!/usr/bin/env python3
"""latency.py - accept latency of one sequential SMTP client, run beside the load (loopback only).

Sends messages strictly one after the other until STOPFILE exists (or MAX messages, or the time
limit), and measures per message
  txn : start of the transaction (connect, or MAIL on a reused connection) -> reply to end-of-data
  eod : end-of-data "." sent -> its reply (the MTA's queue write and fsync)
Writes one JSON object to OUT: sent, errors, and min/p50/p90/p99/max in ms of both.

Usage: latency.py HOST PORT SIZE RCPTS REUSE(0|1) STOPFILE MAX TIMEOUT_S OUT
Standard library only (smtplib). HOST must be loopback; MAX <= 100000; TIMEOUT_S <= 3600.
"""
import json
import math
import os
import smtplib
import sys
import time

MAX_ERRORS = 10


def pct(vals, p):
    # nearest-rank percentile of a sorted list
    if not vals:
        return None
    k = max(0, min(len(vals) - 1, math.ceil(p / 100.0 * len(vals)) - 1))
    return round(vals[k], 3)


def stats(vals):
    vals = sorted(vals)
    return {k: pct(vals, p) for k, p in (("min", 0), ("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))}


def connect(host, port):
    s = smtplib.SMTP(host, port, local_hostname="probe.bench.test", timeout=60)
    code, msg = s.ehlo()
    if code != 250:
        raise RuntimeError(f"EHLO {code} {msg!r}")
    return s


def transaction(s, seq, rcpts, body):
    code, msg = s.mail("probe@client.bench.test")
    if code != 250:
        raise RuntimeError(f"MAIL {code} {msg!r}")
    for r in range(rcpts):
        code, msg = s.rcpt(f"{seq}.{r}.probe@example.test")
        if code not in (250, 251):
            raise RuntimeError(f"RCPT {code} {msg!r}")
    s.putcmd("data")
    code, msg = s.getreply()
    if code != 354:
        raise RuntimeError(f"DATA {code} {msg!r}")
    s.send(body)
    t_eod = time.perf_counter()
    code, msg = s.getreply()
    if code != 250:
        raise RuntimeError(f"end-of-data {code} {msg!r}")
    return t_eod


def close(s):
    if s is None:
        return
    try:
        s.quit()
    except (smtplib.SMTPException, OSError):
        s.close()


def main():
    if len(sys.argv) != 10:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    host, port, size, rcpts, reuse, stopfile, maxn, timeout, out = sys.argv[1:]
    port, size, rcpts, maxn, timeout = int(port), int(size), int(rcpts), int(maxn), int(timeout)
    reuse = reuse == "1"
    if not (host.startswith("127.") or host in ("::1", "localhost")):
        sys.exit(f"refusing non-loopback target {host!r}")
    if not (1 <= maxn <= 100000 and 0 <= size <= 50 * 1024 * 1024 and 1 <= rcpts <= 1000 and 1 <= timeout <= 3600):
        sys.exit("MAX must be 1..100000, SIZE 0..50 MiB, RCPTS 1..1000, TIMEOUT_S 1..3600")
    deadline = time.monotonic() + timeout
    line = b"x" * 76 + b"\r\n"
    payload = (line * (size // len(line) + 1))[:size]
    head = (b"From: <probe@client.bench.test>\r\nTo: <probe@example.test>\r\n"
            b"Subject: latency probe\r\nMessage-Id: <%d.probe@client.bench.test>\r\n\r\n")
    txn, eod, errors, last_error = [], [], 0, None
    s = None
    seq = 0
    while len(txn) < maxn and not os.path.exists(stopfile) and time.monotonic() < deadline:
        seq += 1
        body = head % seq + payload + b"\r\n.\r\n"
        t0 = time.perf_counter()
        try:
            if s is None:
                s = connect(host, port)
            t_eod = transaction(s, seq, rcpts, body)
            t1 = time.perf_counter()
            txn.append((t1 - t0) * 1000.0)
            eod.append((t1 - t_eod) * 1000.0)
        except (smtplib.SMTPException, OSError, RuntimeError) as e:
            errors += 1
            last_error = str(e)
            close(s)
            s = None
            if errors >= MAX_ERRORS:
                break
            continue
        if not reuse:
            close(s)
            s = None
    close(s)
    write_json(out, {"sent": len(txn), "errors": errors, "last_error": last_error, "txn_ms": stats(txn),
                     "eod_ms": stats(eod)})


def write_json(out, result):
    """Written aside and renamed: the harness never reads half a file."""
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
