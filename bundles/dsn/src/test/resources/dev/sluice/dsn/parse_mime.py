"""Independent check of a generated DSN: parses it with Python's email package, prints a JSON summary."""
import email
import email.policy
import json
import sys


def items(msg):
    return [[k, str(v)] for k, v in msg.items()]


def summary(part):
    out = {"content_type": part.get_content_type(), "headers": items(part),
           "defects": [type(d).__name__ for d in part.defects]}
    ctype = part.get_content_type()
    if ctype == "message/delivery-status":
        out["blocks"] = [items(block) for block in part.get_payload()]
    elif ctype == "message/rfc822":
        inner = part.get_payload()[0]
        out["message"] = {"headers": items(inner), "body": inner.get_payload(decode=True).decode("utf-8", "replace")}
    elif part.is_multipart():
        out["parts"] = [summary(p) for p in part.get_payload()]
    else:
        out["text"] = part.get_payload(decode=True).decode(part.get_content_charset() or "ascii", "replace")
    return out


with open(sys.argv[1], "rb") as f:
    raw = f.read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
result = summary(msg)
result["report_type"] = msg.get_param("report-type")
result["all_defects"] = [type(d).__name__ for p in msg.walk() for d in p.defects]
result["max_line_octets"] = max(len(line) for line in raw.split(b"\r\n"))
result["bare_lf"] = raw.replace(b"\r\n", b"").count(b"\n")
json.dump(result, sys.stdout)
