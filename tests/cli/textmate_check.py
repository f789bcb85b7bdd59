"""Tokenizes files with a TextMate grammar as an editor does (the pattern
matching earliest wins, ties to the first listed; begin/end rules span
lines), using the grammar's own regular expressions (Python's `re` reads the
subset the grammar uses). Prints each scope's token count; exits 1 when some
text is matched by no rule, or when some scope the grammar names never
appears in the files."""
import json
import re
import sys


def load(path):
    grammar = json.load(open(path))
    repository = grammar.get("repository", {})

    def expand(patterns):
        out = []
        for p in patterns:
            if "include" in p:
                target = repository[p["include"].lstrip("#")]
                out.extend(expand(target["patterns"]) if "patterns" in target and "match" not in target else [target])
            else:
                out.append(p)
        return out

    rules = expand(grammar["patterns"])
    for rule in rules:
        for key in ("match", "begin", "end"):
            if key in rule:
                rule["_" + key] = re.compile(rule[key])
        if "patterns" in rule:
            rule["_inner"] = expand(rule["patterns"])
            for inner in rule["_inner"]:
                inner["_match"] = re.compile(inner["match"])
    return grammar, rules


def declared_scopes(rules):
    names = set()
    for rule in rules:
        if "name" in rule:
            names.add(rule["name"])
        for capture in rule.get("captures", {}).values():
            names.add(capture["name"])
        for inner in rule.get("_inner", []):
            names.add(inner["name"])
    return names


def record(seen, rule, match):
    if "name" in rule:
        seen[rule["name"]] = seen.get(rule["name"], 0) + 1
    for group, capture in rule.get("captures", {}).items():
        if match.group(int(group)):
            seen[capture["name"]] = seen.get(capture["name"], 0) + 1


def tokenize(path, rules, seen):
    problems = []
    open_rule = None  # a begin/end rule whose end has not been seen
    for number, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        pos = 0
        while pos < len(line):
            if open_rule is not None:
                end = open_rule["_end"].search(line, pos)
                inner = [(m.start(), i, r, m) for i, r in enumerate(open_rule.get("_inner", []))
                         if (m := r["_match"].search(line, pos))]
                if inner and (end is None or min(inner)[0] < end.start()):
                    _, _, rule, m = min(inner, key=lambda t: (t[0], t[1]))
                    record(seen, rule, m)
                    pos = max(m.end(), pos + 1)
                    continue
                if end is None:
                    break
                pos = end.end()
                open_rule = None
                continue
            candidates = []
            for i, rule in enumerate(rules):
                regex = rule.get("_match") or rule.get("_begin")
                m = regex.search(line, pos)
                if m:
                    candidates.append((m.start(), i, rule, m))
            if not candidates:
                rest = line[pos:]
                if rest.strip():
                    problems.append(f"{path}:{number}:{pos + 1}: unmatched `{rest.strip()}`")
                break
            start, _, rule, m = min(candidates, key=lambda t: (t[0], t[1]))
            gap = line[pos:start]
            if gap.strip():
                problems.append(f"{path}:{number}:{pos + 1}: unmatched `{gap.strip()}`")
            record(seen, rule, m)
            if "_begin" in rule:
                open_rule = rule
            pos = max(m.end(), start + 1)
    return problems


def main():
    grammar_path, files = sys.argv[1], sys.argv[2:]
    _, rules = load(grammar_path)
    seen = {}
    problems = []
    for path in files:
        problems += tokenize(path, rules, seen)
    for scope in sorted(declared_scopes(rules)):
        print(f"{seen.get(scope, 0):7d}  {scope}")
        if scope not in seen:
            problems.append(f"scope {scope} never appears in the {len(files)} files")
    for p in problems:
        print("FAIL:", p)
    sys.exit(1 if problems else 0)


main()
