#!/usr/bin/env python3
"""Compares an audit's JSON report with a generator manifest: every planted
violation must be reported (same rule, formula, bound entities, and the first
entity's data file and line), and nothing else. Exit 1 with the differences."""
import json
import os
import sys


def key(rule, formula, bindings):
    return (rule, formula, tuple(sorted((var, b["kind"], b["key"]) for var, b in bindings.items())))


def main(manifest_path, report_path):
    manifest = json.load(open(manifest_path))
    report = json.load(open(report_path))
    expected = {}
    for v in manifest["violations"]:
        expected[key(v["rule"], v["formula"], v["bindings"])] = (v["file"], v["line"])
    found = {}
    for v in report["violations"]:
        bindings = {e["variable"]: {"kind": e["kind"], "key": e["key"]} for e in v["entities"]}
        first = v["entities"][0] if v["entities"] else None
        where = (os.path.basename(first["file"]), first["line"]) if first else None
        found[key(v["rule"], v["formula"], bindings)] = where
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    misplaced = sorted(k for k in set(expected) & set(found) if expected[k] != found[k])
    for k in missing:
        print("MISSING (planted, not reported):", k, expected[k])
    for k in extra:
        print("EXTRA (reported, not planted):", k, found[k])
    for k in misplaced:
        print("WRONG LOCATION:", k, "planted at", expected[k], "reported at", found[k])
    counted = report["summary"]["violations"]
    if counted != len(found):
        print(f"summary counts {counted} violations, the report lists {len(found)}")
    ok = not (missing or extra or misplaced) and counted == len(found)
    print(f"{len(expected)} planted, {len(found)} reported" + ("" if ok else ": MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
