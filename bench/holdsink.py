#!/usr/bin/env python3
"""holdsink.py - an SMTP sink that holds every transaction open, to count concurrent client sessions.

    holdsink.py PORT STATS_FILE [--delay SECONDS] [--until-file PATH]

Listens on 127.0.0.1:PORT (asyncio, one coroutine per session, no thread per session). Speaks enough ESMTP
for Sluice's client (EHLO with PIPELINING/8BITMIME/SIZE, HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; commands
may arrive pipelined) and answers the final dot of a message only after --delay seconds, so a client that
sends faster than that has to open more sessions. Every 0.25 s it rewrites STATS_FILE (JSON, replaced
atomically): open sessions now, their peak and when it was reached, sessions opened, messages accepted.
It stops when --until-file exists, or on SIGTERM. Standard library only.
"""
import argparse
import asyncio
import json
import os
import resource
import signal
import time


class Stats:
    def __init__(self):
        self.open = 0
        self.peak = 0
        self.peak_at = None
        self.sessions = 0
        self.messages = 0
        self.in_data_wait = 0
        self.started = time.time()

    def as_dict(self):
        return {"open": self.open, "peak": self.peak, "peak_at": self.peak_at, "sessions": self.sessions,
                "messages": self.messages, "holding": self.in_data_wait, "at": time.time()}


EHLO = (b"250-sink.bench.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 104857600\r\n"
        b"250 ENHANCEDSTATUSCODES\r\n")


async def session(reader, writer, stats, delay):
    stats.open += 1
    stats.sessions += 1
    if stats.open > stats.peak:
        stats.peak, stats.peak_at = stats.open, time.time()
    try:
        writer.write(b"220 sink.bench.test ESMTP holdsink\r\n")
        while True:
            line = await reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(EHLO)
            elif verb == b"HELO":
                writer.write(b"250 sink.bench.test\r\n")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                writer.write(b"250 2.0.0 Ok\r\n")
            elif verb == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                while True:
                    body = await reader.readline()
                    if not body:
                        return
                    if body == b".\r\n" or body == b".\n":
                        break
                stats.in_data_wait += 1
                try:
                    await asyncio.sleep(delay)
                finally:
                    stats.in_data_wait -= 1
                stats.messages += 1
                writer.write(b"250 2.0.0 Ok: queued\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 2.0.0 Bye\r\n")
                await writer.drain()
                return
            else:
                writer.write(b"502 5.5.2 Command not recognized\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        pass
    finally:
        stats.open -= 1
        try:
            writer.close()
        except Exception:
            pass


async def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("port", type=int)
    ap.add_argument("stats")
    ap.add_argument("--delay", type=float, default=20.0, help="seconds before the reply to the final dot")
    ap.add_argument("--until-file", help="stop when this file exists")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stats = Stats()
    server = await asyncio.start_server(lambda r, w: session(r, w, stats, a.delay), "127.0.0.1", a.port,
                                        backlog=4096, limit=1 << 20)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    tmp = a.stats + ".tmp"
    async with server:
        while not stop.is_set():
            with open(tmp, "w") as f:
                json.dump(stats.as_dict(), f)
            os.replace(tmp, a.stats)
            if a.until_file and os.path.exists(a.until_file):
                break
            try:
                await asyncio.wait_for(stop.wait(), 0.25)
            except asyncio.TimeoutError:
                pass
    with open(tmp, "w") as f:
        json.dump(stats.as_dict(), f)
    os.replace(tmp, a.stats)


if __name__ == "__main__":
    asyncio.run(main())
