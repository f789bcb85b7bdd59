# The JSON report of `prove` has the documented shape (docs/json.md).
source "$(dirname "$0")/lib.bash"
expect_exit 1 prove "$SRC/tests/specs/prove/small.cspv" --format json --no-timings
python3 - "$TMP/out" <<'PY' || fail "JSON shape"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["command"] == "prove", doc["command"]
results = {r["name"]: r for r in doc["results"]}
p = results["reseller_signed"]
assert p["kind"] == "property" and p["status"] == "proved", p
assert p["file"].endswith("small.cspv") and p["line"] == 31, p
assert p["scope"] == {"Org": 3, "Partner": 3, "Sale": 3}, p["scope"]
v = results["no_affiliate_sale"]
assert v["status"] == "violated"
cx = v["counterexample"]
assert len(cx["entities"]) == 4, cx
kinds = sorted(e["kind"] for e in cx["entities"])
assert kinds == ["Org", "Org", "Partner", "Sale"], kinds
ids = {e["id"] for e in cx["entities"]}
rels = [r for r in cx["relations"] if r["name"] == "affiliated"]
assert len(rels) == 1 and all(a in ids for a in rels[0]["args"]), rels
sale = next(e for e in cx["entities"] if e["kind"] == "Sale")
assert sale["attributes"]["reseller"] is None and sale["attributes"]["seller"] in ids, sale
assert "time_ms" not in v, "--no-timings keeps timings out"
assert doc["summary"]["violated"] == 1 and doc["summary"]["proved"] == 1, doc["summary"]
PY
finish
