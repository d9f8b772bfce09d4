#!/usr/bin/env python3
"""Reads a JFR recording of the gateway (bench/profile.sh writes gateway.jfr) for the A/B notes.

  bench/jfr-shares.py frames RECORDING [SUBSTRING...]   share of CPU samples passing through each
                                                       frame (inclusive), filtered by substrings
  bench/jfr-shares.py callers RECORDING FRAME           for samples through FRAME: its callees
  bench/jfr-shares.py bytes RECORDING REQUESTS          bytes allocated per request, from
                                                       jdk.ThreadAllocationStatistics (REQUESTS: the
                                                       n= of profile.sh's load.txt)
Uses the jfr tool of $JAVA_HOME (else the one on PATH).
"""
import collections
import json
import os
import subprocess
import sys

JFR = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if os.environ.get("JAVA_HOME") else "jfr"


def events(recording, kind):
    out = subprocess.run([JFR, "print", "--json", "--stack-depth", "64", "--events", kind, recording],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frame(f):
    return f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"]


def stacks(recording):
    for e in events(recording, "jdk.ExecutionSample"):
        st = e["values"].get("stackTrace")
        if st:
            yield [frame(f) for f in st["frames"]]


def frames(recording, wanted):
    counts, total = collections.Counter(), 0
    for st in stacks(recording):
        total += 1
        for name in set(st):
            counts[name] += 1
    print(f"{total} CPU samples")
    for name, n in counts.most_common():
        if not wanted or any(w in name for w in wanted):
            print(f"{100 * n / total:6.2f}% {name}")


def callers(recording, target):
    counts, total, through = collections.Counter(), 0, 0
    for st in stacks(recording):
        total += 1
        for i, name in enumerate(st):
            if target in name:
                through += 1
                counts[st[i - 1] if i > 0 else "(self)"] += 1
                break
    print(f"{target}: {through} of {total} samples ({100 * through / max(total, 1):.1f}%)")
    for name, n in counts.most_common(25):
        print(f"{100 * n / total:6.2f}% {name}")


def per_request(recording, requests):
    first, last = {}, {}
    for e in events(recording, "jdk.ThreadAllocationStatistics"):
        v = e["values"]
        t = (v["thread"]["javaName"], v["thread"]["javaThreadId"]) if v.get("thread") else ("?", 0)
        first.setdefault(t, v["allocated"])
        last[t] = v["allocated"]
    total = sum(last[t] - first[t] for t in last)
    print(f"{total / 1e6:.1f} MB allocated over {requests} requests: {total / requests / 1024:.1f} KB/request")
    for t in sorted(last, key=lambda t: first[t] - last[t])[:6]:
        print(f"  {(last[t] - first[t]) / 1e6:8.1f} MB {t[0]}")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("frames", "callers", "bytes"):
        sys.exit(__doc__)
    if sys.argv[1] == "frames":
        frames(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "callers":
        callers(sys.argv[2], sys.argv[3])
    else:
        per_request(sys.argv[2], int(sys.argv[3]))
