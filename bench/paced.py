#!/usr/bin/env python3
"""paced.py - accept latency at a fixed offered rate (open loop), the way accept latency is usually specified.

Message i is due at start + i/RATE, whatever happened to the messages before it. SESSIONS connections work
through the due messages in order; a message that finds every session busy waits for one, and that wait
counts: latency runs from the message's due time (not from when a session was free) to the 250 after the
final dot. So a slow MTA cannot hide its stalls by slowing the client down (no coordinated omission).

Per message: txn = due time -> 250 after end-of-data (includes connect or MAIL on a reused connection, and
any wait for a free session); eod = final "." sent -> its reply (the MTA's queue write and fsync).
Writes one JSON object to OUT: offered rate, achieved rate, sent, errors, late (started > 100 ms after due),
min/p50/p90/p99/p99.9/max in ms of both, txn's p99 in each 10 s of due times, and every message's
[due time from start s, txn ms, eod ms] (so that phases can be merged).

Usage: paced.py HOST PORT SIZE RCPTS REUSE(0|1) SESSIONS RATE COUNT TIMEOUT_S OUT
Standard library only (asyncio, one thread: no GIL hand-offs inside the measurement). HOST must be loopback.
"""
import asyncio
import sys
import time

from latency import pct, write_json

LATE_MS = 100.0
WINDOW_S = 10.0
MAX_ERRORS = 20


def p99_by_window(timed, span):
    """p99 of txn per WINDOW_S of due times over a phase of `span` seconds (the last window takes the remainder):
    one stall of the disk or the host lifts one window, an MTA too slow for the rate lifts them all."""
    last = max(1, round(span / WINDOW_S)) - 1
    windows = {}
    for at, ms in timed:
        windows.setdefault(min(int(at // WINDOW_S), last), []).append(ms)
    return [pct(sorted(v), 99) for _, v in sorted(windows.items())]


def stats(vals):
    vals = sorted(vals)
    return {k: pct(vals, p) for k, p in
            (("min", 0), ("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9), ("max", 100))}


class Session:
    """One SMTP client connection; raises RuntimeError on any unexpected reply."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def reply(self):
        while True:
            line = await self.reader.readline()
            if not line:
                raise RuntimeError("connection closed by the server")
            if line[3:4] != b"-":
                return int(line[:3]), line

    async def command(self, text, expect):
        self.writer.write(text)
        code, line = await self.reply()
        if code not in expect:
            raise RuntimeError(f"{text[:12]!r} -> {line.strip()[:100]!r}")

    async def connect(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        code, line = await self.reply()
        if code != 220:
            raise RuntimeError(f"greeting {line.strip()[:100]!r}")
        await self.command(b"EHLO paced.bench.test\r\n", (250,))

    async def send(self, seq, rcpts, body):
        """One transaction; returns the time the final dot went out."""
        self.writer.write(b"MAIL FROM:<paced@client.bench.test>\r\n")
        for r in range(rcpts):
            self.writer.write(b"RCPT TO:<%d.%d.paced@example.test>\r\n" % (seq, r))
        self.writer.write(b"DATA\r\n")  # pipelined, as smtp-source does
        for expect in [(250,)] + [(250, 251)] * rcpts + [(354,)]:
            code, line = await self.reply()
            if code not in expect:
                raise RuntimeError(f"transaction reply {line.strip()[:100]!r}")
        self.writer.write(body)
        t_eod = time.perf_counter()
        code, line = await self.reply()
        if code != 250:
            raise RuntimeError(f"end-of-data {line.strip()[:100]!r}")
        return t_eod

    async def close(self):
        if self.writer is None:
            return
        try:
            self.writer.write(b"QUIT\r\n")
            await asyncio.wait_for(self.reply(), 5)
        except (OSError, RuntimeError, asyncio.TimeoutError):
            pass
        self.writer.close()
        self.reader = self.writer = None


async def run(host, port, size, rcpts, reuse, sessions, rate, count, timeout):
    line = b"x" * 76 + b"\r\n"
    payload = (line * (size // len(line) + 1))[:size]
    head = (b"From: <paced@client.bench.test>\r\nTo: <paced@example.test>\r\n"
            b"Subject: paced latency\r\nMessage-Id: <%d.paced@client.bench.test>\r\n\r\n")
    txn, eod, late, errors, last_error = [], [], 0, 0, None
    timed = []  # (due time from start, txn ms, eod ms)
    next_seq = 0
    start = time.perf_counter() + 0.2
    deadline = time.monotonic() + timeout

    async def worker():
        nonlocal next_seq, late, errors, last_error
        s = Session(host, port)
        while next_seq < count and errors < MAX_ERRORS and time.monotonic() < deadline:
            seq = next_seq
            next_seq += 1
            due = start + seq / rate
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            elif -wait * 1000.0 > LATE_MS:
                late += 1
            try:
                if s.writer is None:
                    await s.connect()
                t_eod = await s.send(seq, rcpts, head % seq + payload + b"\r\n.\r\n")
                t1 = time.perf_counter()
                txn.append((t1 - due) * 1000.0)
                eod.append((t1 - t_eod) * 1000.0)
                timed.append((round(due - start, 4), round(txn[-1], 3), round(eod[-1], 3)))
            except (OSError, RuntimeError, asyncio.IncompleteReadError) as e:
                errors += 1
                last_error = str(e)
                s.writer = None
                continue
            if not reuse:
                await s.close()
        await s.close()

    await asyncio.gather(*(worker() for _ in range(sessions)))
    span = time.perf_counter() - start
    return {"offered_msgs_s": rate, "achieved_msgs_s": round(len(txn) / span, 1) if span > 0 else None,
            "sessions": sessions, "sent": len(txn), "errors": errors, "last_error": last_error, "late": late,
            "txn_ms": stats(txn), "eod_ms": stats(eod),
            "txn_p99_by_window": p99_by_window([(at, ms) for at, ms, _ in timed], count / rate), "samples": timed}


def main():
    if len(sys.argv) != 11:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    host, port, size, rcpts, reuse, sessions, rate, count, timeout, out = sys.argv[1:]
    port, size, rcpts, sessions, count, timeout = int(port), int(size), int(rcpts), int(sessions), int(count), int(timeout)
    rate = float(rate)
    if not (host.startswith("127.") or host in ("::1", "localhost")):
        sys.exit(f"refusing non-loopback target {host!r}")
    if not (0 <= size <= 50 * 1024 * 1024 and 1 <= rcpts <= 1000 and 1 <= sessions <= 1000
            and 0.1 <= rate <= 100000 and 1 <= count <= 1000000 and 1 <= timeout <= 3600):
        sys.exit("SIZE 0..50 MiB, RCPTS 1..1000, SESSIONS 1..1000, RATE 0.1..100000, COUNT 1..1e6, TIMEOUT 1..3600")
    write_json(out, asyncio.run(run(host, port, size, rcpts, reuse == "1", sessions, rate, count, timeout)))


if __name__ == "__main__":
    main()
