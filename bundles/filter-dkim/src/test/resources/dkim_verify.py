#!/usr/bin/python3
"""Verifies DKIM signatures with dkimpy (Debian python3-dkim), an implementation independent of Sluice's.

Usage: dkim_verify.py RECORDS MESSAGE...
RECORDS is a file of DNS TXT records, one per line: "<selector>._domainkey.<domain>. <text>". Lookups are
answered from it only, never from the network. For each MESSAGE one line is printed:
"PASS <file> <n>" when it has n >= 1 DKIM-Signature fields and every one verifies, else "FAIL <file> <why>".
Exits 0 when every message passed, 1 otherwise, 2 on a usage error.
"""
import sys

import dkim


def load_records(path):
    records = {}
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if line:
                name, text = line.split(None, 1)
                records[name.lower().rstrip(b".") + b"."] = text
    return records


def verify(path, records):
    with open(path, "rb") as f:
        message = f.read()

    def dnsfunc(name, timeout=5):
        return records.get(name.lower().rstrip(b".") + b".")

    d = dkim.DKIM(message)
    headers, _ = dkim.rfc822_parse(message)
    count = sum(1 for name, _ in headers if name.lower() == b"dkim-signature")
    if count == 0:
        return "FAIL %s no DKIM-Signature" % path
    for idx in range(count):
        try:
            ok = d.verify(idx=idx, dnsfunc=dnsfunc)
        except dkim.DKIMException as e:
            return "FAIL %s signature %d: %s" % (path, idx, e)
        if not ok:
            return "FAIL %s signature %d does not verify" % (path, idx)
    return "PASS %s %d" % (path, count)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    records = load_records(argv[1])
    results = [verify(path, records) for path in argv[2:]]
    for line in results:
        print(line)
    return 0 if all(r.startswith("PASS") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
