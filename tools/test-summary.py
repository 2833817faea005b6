#!/usr/bin/env python3
"""Count test cases in meson's testlog.json files and print 'N passed, N failed, N skipped'.

cmocka binaries are counted per case from their '[ RUN ]' / '[ OK ]' lines (CMOCKA_MESSAGE_OUTPUT=
STDOUT); other tests count as one case each. A binary that failed without reporting a failed case
(a crash, a timeout) counts one failure more, so a crash can never pass unseen.
Arguments: testlog.json paths, optionally prefixed 'label:' to tag the names.
"""
import json
import re
import sys

STATUS = re.compile(r"^\[\s*(OK|FAILED|SKIPPED|ERROR)\s*\] (\S+)")
RUN = re.compile(r"^\[ RUN\s*\] (\S+)")


def count(path, label):
    passed = failed = skipped = 0
    failures = []
    with open(path) as f:
        for line in f:
            t = json.loads(line)
            name = (label + ":" if label else "") + t["name"]
            res = t["result"]
            out = t.get("stdout") or ""
            ran = pending = 0
            tfail = 0
            for l in out.splitlines():
                if RUN.match(l):
                    ran += 1
                    pending = 1
                    continue
                m = STATUS.match(l)
                if m and pending:
                    pending = 0
                    s = m.group(1)
                    if s == "OK":
                        passed += 1
                    elif s == "SKIPPED":
                        skipped += 1
                    else:
                        tfail += 1
                        failures.append(name + "/" + m.group(2))
            if ran == 0:
                if res in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif res == "SKIP":
                    skipped += 1
                else:
                    tfail += 1
                    failures.append(name + " (" + res + ")")
            elif res not in ("OK", "SKIP", "EXPECTEDFAIL") and tfail == 0:
                tfail += 1
                failures.append(name + " (" + res + ", no failed case reported)")
            failed += tfail
    return passed, failed, skipped, failures


def main():
    tp = tf = ts = 0
    allfail = []
    for arg in sys.argv[1:]:
        label, path = ("", arg)
        if ":" in arg and not arg.startswith("/"):
            label, path = arg.split(":", 1)
        try:
            p, f, s, fl = count(path, label)
        except OSError as e:
            print("test-summary: " + str(e))
            p, f, s, fl = 0, 1, 0, [path + " missing"]
        tp, tf, ts = tp + p, tf + f, ts + s
        allfail += fl
    for n in allfail:
        print("FAILED: " + n)
    print("%d passed, %d failed, %d skipped" % (tp, tf, ts))
    return 1 if tf or tp == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
