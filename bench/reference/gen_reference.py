#!/usr/bin/env python3
"""Writes the hand-written reference encoding of bench/core/core.cspv.

For a scope N it writes one SMT-LIB 2 file per query, as a careful person
would write it for the z3 command-line tool:

  consistency.smt2                     the rules have an instance with one entity of every kind (sat expected)
  no_self_sale.smt2                    the rules and the negated property: sat = violated, unsat = holds
  reseller_mpa_signed_since_2020.smt2
  regions_match.smt2

The encoding (the same semantics as bench/core/core.cspv; keep them in step):

- each entity kind is a datatype with N constructors (atoms) and an
  existence predicate; atoms are used as a prefix: exists(i+1) => exists(i);
- attributes are uninterpreted functions, an optional attribute (`T?`) has a
  has-predicate beside it (has_reseller, has_mpa); references point at
  existing atoms, and relation tuples join existing atoms only;
- `affiliated` is a Bool function; `same_group` is a plain (non-closure)
  macro, as in core.cspv;
- partnerships and reseller relationships are kinds with a start date and an
  optional end date, as in core.cspv. "In force on the sale's date" is read
  through a witness function per use in a rule (sale_partnership: the
  partnership the reseller of record rests on; seller_authorisation and
  reseller_authorisation: the customer's reseller relationships with the
  seller and with the reseller): the Skolem functions of core.cspv's
  `exists`, written once instead of left for z3 to introduce per quantifier;
- Role, Region and Country are datatypes; region_of is a function
  Country -> Region fixed by one equation per CSV row, for EVERY country of the
  CSV (not only the ones a query mentions: core.cspv's Country enum has them
  all, and a partner or tenant may be in any of them);
- dates are Int, days since 1970-01-01 (2020-02-01 is 18293);
- rules and properties stay quantifiers (not expanded), guarded by
  existence, with a :pattern on the existence predicate (on both for the one
  rule over pairs of relationships, on the relation for `affiliated`);
- a property query asserts the rules and the property's negation, then
  (check-sat).

Standard library only. Usage:
  gen_reference.py --scope N [--csv specs/data/csp-regions.csv] --out DIR
"""
import argparse
import csv
import datetime
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CSV = os.path.normpath(os.path.join(HERE, "..", "..", "specs", "data", "csp-regions.csv"))

KINDS = ["Org", "Partner", "Tenant", "Customer", "Transaction", "Partnership", "ResellerRelationship"]
PROPERTIES = ["no_self_sale", "reseller_mpa_signed_since_2020", "regions_match"]
QUERIES = ["consistency"] + PROPERTIES


def day(iso):
    """Days since 1970-01-01, as cspverify encodes a Date."""
    return (datetime.date.fromisoformat(iso) - datetime.date(1970, 1, 1)).days


MPA_FROM = day("2020-02-01")


def read_regions(path):
    """(region, country) rows in CSV order; country codes must be unique."""
    rows, seen = [], set()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            c = row["country_code"].strip()
            if c in seen:
                sys.exit(f"{path}: country {c} appears twice (region_of would not be a function)")
            seen.add(c)
            rows.append((row["region"].strip(), c))
    return rows


def declarations(n, rows):
    out = []
    w = out.append
    w("; ---- sorts: one datatype of N atoms per kind, and the enums")
    for k in KINDS:
        atoms = " ".join(f"({k}{i})" for i in range(n))
        w(f"(declare-datatypes (({k} 0)) (({atoms})))")
    w("(declare-datatypes ((Role 0)) (((indirect_provider) (indirect_reseller) (direct_bill))))")
    regions = list(dict.fromkeys(r for r, _ in rows))
    w("(declare-datatypes ((Region 0)) ((" + " ".join(f"(r_{r})" for r in regions) + ")))")
    w("(declare-datatypes ((Country 0)) ((" + " ".join(f"(c_{c})" for _, c in rows) + ")))")
    w("")
    w("; ---- region_of: one equation per row of the CSV (every country)")
    w("(declare-fun region_of (Country) Region)")
    for r, c in rows:
        w(f"(assert (= (region_of c_{c}) r_{r}))")
    w("")
    w("; ---- existence; atoms are used in order")
    for k in KINDS:
        w(f"(declare-fun ex_{k} ({k}) Bool)")
    for k in KINDS:
        for i in range(1, n):
            w(f"(assert (=> (ex_{k} {k}{i}) (ex_{k} {k}{i - 1})))")
    w("")
    w("; ---- attributes")
    w("(declare-fun partner_org (Partner) Org)")
    w("(declare-fun role (Partner) Role)")
    w("(declare-fun partner_country (Partner) Country)")
    w("(declare-fun has_mpa (Partner) Bool)           ; mpa_signed != none")
    w("(declare-fun mpa_signed (Partner) Int)         ; meaningful only when has_mpa")
    w("(declare-fun tenant_country (Tenant) Country)")
    w("(declare-fun has_account (Tenant) Bool)        ; account != none")
    w("(declare-fun account (Tenant) Partner)         ; meaningful only when has_account")
    w("(declare-fun customer_org (Customer) Org)")
    w("(declare-fun tenant (Customer) Tenant)")
    w("(declare-fun seller (Transaction) Partner)")
    w("(declare-fun has_reseller (Transaction) Bool)  ; reseller != none")
    w("(declare-fun reseller (Transaction) Partner)   ; meaningful only when has_reseller")
    w("(declare-fun customer (Transaction) Customer)")
    w("(declare-fun date (Transaction) Int)")
    w("(declare-fun provider (Partnership) Partner)")
    w("(declare-fun partnered_reseller (Partnership) Partner)")
    w("(declare-fun partnership_start (Partnership) Int)")
    w("(declare-fun has_partnership_end (Partnership) Bool)")
    w("(declare-fun partnership_end (Partnership) Int)")
    w("(declare-fun authorised_partner (ResellerRelationship) Partner)")
    w("(declare-fun authorising_customer (ResellerRelationship) Customer)")
    w("(declare-fun relationship_start (ResellerRelationship) Int)")
    w("(declare-fun has_relationship_end (ResellerRelationship) Bool)")
    w("(declare-fun relationship_end (ResellerRelationship) Int)")
    w("")
    w("; ---- witnesses: the dated relationship a sale rests on (core.cspv's partnered_at and")
    w("; authorised_at, Skolemized by hand: one function per use in a rule)")
    w("(declare-fun sale_partnership (Transaction) Partnership)")
    w("(declare-fun seller_authorisation (Transaction) ResellerRelationship)")
    w("(declare-fun reseller_authorisation (Transaction) ResellerRelationship)")
    w("")
    w("; ---- relations")
    w("(declare-fun affiliated (Org Org) Bool)")
    w("")
    w("; in force on day d: start <= d and (no end or d < end)")
    w("(define-fun partnership_in_force ((s Partnership) (d Int)) Bool")
    w("  (and (<= (partnership_start s) d) (or (not (has_partnership_end s)) (< d (partnership_end s)))))")
    w("(define-fun relationship_in_force ((r ResellerRelationship) (d Int)) Bool")
    w("  (and (<= (relationship_start r) d) (or (not (has_relationship_end r)) (< d (relationship_end r)))))")
    w("")
    w("; same_group as in core.cspv: affiliation in either direction, no closure")
    w("(define-fun same_group ((a Org) (b Org)) Bool (or (= a b) (affiliated a b) (affiliated b a)))")
    w("(define-fun region_of_partner ((p Partner)) Region (region_of (partner_country p)))")
    w("(define-fun region_of_customer ((c Customer)) Region (region_of (tenant_country (tenant c))))")
    w("")
    w("; ---- well-formed instances: references point at existing atoms, tuples join existing atoms")
    w(forall1("Partner", "p", "(ex_Org (partner_org p))", "wf_partner"))
    w(forall1("Tenant", "n", "(=> (has_account n) (ex_Partner (account n)))", "wf_tenant"))
    w(forall1("Customer", "c", "(and (ex_Org (customer_org c)) (ex_Tenant (tenant c)))", "wf_customer"))
    w(forall1("Transaction", "t",
              "(and (ex_Partner (seller t)) (ex_Customer (customer t)) (=> (has_reseller t) (ex_Partner (reseller t))))",
              "wf_transaction"))
    w(forall_rel("a Org", "b Org", "(affiliated a b)", "(and (ex_Org a) (ex_Org b))", "wf_affiliated"))
    w(forall1("Partnership", "s", "(and (ex_Partner (provider s)) (ex_Partner (partnered_reseller s)))",
              "wf_partnership"))
    w(forall1("ResellerRelationship", "r",
              "(and (ex_Partner (authorised_partner r)) (ex_Customer (authorising_customer r)))",
              "wf_reseller_relationship"))
    return out


def forall1(kind, v, body, qid):
    """A rule over one kind: guarded by existence, triggered by it."""
    return (f"(assert (forall (({v} {kind})) (! (=> (ex_{kind} {v})\n"
            f"    {body})\n"
            f"  :pattern ((ex_{kind} {v})) :qid {qid})))")


def forall_rel(b1, b2, trigger, body, qid, guard=""):
    """A rule over a relation's tuples, triggered by the relation."""
    prem = f"(and {guard} {trigger})" if guard else trigger
    return (f"(assert (forall (({b1}) ({b2})) (! (=> {prem}\n"
            f"    {body})\n"
            f"  :pattern ({trigger}) :qid {qid})))")


def forall2(kind1, v1, kind2, v2, body, qid):
    """A rule over pairs of two kinds: guarded by both existences, triggered by them."""
    return (f"(assert (forall (({v1} {kind1}) ({v2} {kind2})) (! (=> (and (ex_{kind1} {v1}) (ex_{kind2} {v2}))\n"
            f"    {body})\n"
            f"  :pattern ((ex_{kind1} {v1}) (ex_{kind2} {v2})) :qid {qid})))")


# Rules: (name, source, assertion). Each mirrors one rule of core.cspv; `none`
# reads as in docs/language.md (navigation through none is none; an ordering,
# a relation or an enum comparison with none is false).
RULES = [
    ("supported_chains", "CSP-R03", forall1("Transaction", "t", """(and (not (= (role (seller t)) indirect_reseller))
         (=> (= (role (seller t)) direct_bill) (not (has_reseller t)))
         (=> (= (role (seller t)) indirect_provider)
             (and (has_reseller t) (= (role (reseller t)) indirect_reseller))))""", "supported_chains")),
    ("partnership_links_provider_to_reseller", "ENR-6", forall1("Partnership", "s",
     "(and (= (role (provider s)) indirect_provider) (= (role (partnered_reseller s)) indirect_reseller))",
     "partnership_links_provider_to_reseller")),
    ("reseller_of_record_is_partnered", "CSP-R16", forall1("Transaction", "t",
     """(=> (has_reseller t)
        (let ((s (sale_partnership t)))
          (and (ex_Partnership s) (= (provider s) (seller t)) (= (partnered_reseller s) (reseller t))
               (partnership_in_force s (date t)))))""", "reseller_of_record_is_partnered")),
    ("parties_hold_customer_relationship", "CSP-R17", forall1("Transaction", "t",
     """(and (let ((r (seller_authorisation t)))
           (and (ex_ResellerRelationship r) (= (authorised_partner r) (seller t))
                (= (authorising_customer r) (customer t)) (relationship_in_force r (date t))))
         (=> (has_reseller t)
             (let ((r (reseller_authorisation t)))
               (and (ex_ResellerRelationship r) (= (authorised_partner r) (reseller t))
                    (= (authorising_customer r) (customer t)) (relationship_in_force r (date t))))))""",
     "parties_hold_customer_relationship")),
    ("reseller_mpa_before_sale", "CSP-R05", forall1("Transaction", "t",
     f"""(=> (and (has_reseller t) (>= (date t) {MPA_FROM}))
        (and (has_mpa (reseller t)) (<= (mpa_signed (reseller t)) (date t))))""",
     "reseller_mpa_before_sale")),
    ("sell_only_in_own_region", "CSP-R13", forall1("Transaction", "t",
     """(and (= (region_of_partner (seller t)) (region_of_customer (customer t)))
         (or (not (has_reseller t)) (= (region_of_partner (reseller t)) (region_of_customer (customer t)))))""",
     "sell_only_in_own_region_sales") + "\n" +
     forall1("ResellerRelationship", "r",
             "(= (region_of_partner (authorised_partner r)) (region_of_customer (authorising_customer r)))",
             "sell_only_in_own_region_relationships")),
    ("partnership_in_own_region", "CSP-R14", forall1("Partnership", "s",
     "(= (region_of_partner (provider s)) (region_of_partner (partnered_reseller s)))", "partnership_in_own_region")),
    ("reseller_not_customer_of_own_provider", "CSP-R12", forall2("ResellerRelationship", "r", "Partnership", "s",
     """(=> (and (= (provider s) (authorised_partner r))
             (has_account (tenant (authorising_customer r)))
             (= (partnered_reseller s) (account (tenant (authorising_customer r)))))
        (or (and (has_relationship_end r) (<= (relationship_end r) (partnership_start s)))
            (and (has_partnership_end s) (<= (partnership_end s) (relationship_start r)))))""",
     "reseller_not_customer_of_own_provider")),
    ("no_sale_to_self_or_affiliate", "CSP-R11", forall1("Transaction", "t",
     """(and (=> (not (has_reseller t)) (not (same_group (partner_org (seller t)) (customer_org (customer t)))))
         (or (not (has_reseller t)) (not (same_group (partner_org (reseller t)) (customer_org (customer t))))))""",
     "no_sale_to_self_or_affiliate")),
]

# Negated properties: some existing atom(s) break the property.
NEGATED = {
    "no_self_sale": """(assert (exists ((t Transaction)) (and (ex_Transaction t)
  (not (and (not (same_group (partner_org (seller t)) (customer_org (customer t))))
            (or (not (has_reseller t)) (not (same_group (partner_org (reseller t)) (customer_org (customer t))))))))))""",
    "reseller_mpa_signed_since_2020": f"""(assert (exists ((t Transaction)) (and (ex_Transaction t)
  (not (or (not (has_reseller t)) (< (date t) {MPA_FROM})
           (and (= (region_of_partner (reseller t)) (region_of_customer (customer t)))
                (has_mpa (reseller t)) (<= (mpa_signed (reseller t)) (date t))))))))""",
    "regions_match": """(assert (or
  (exists ((t Transaction)) (and (ex_Transaction t)
    (not (and (= (region_of_partner (seller t)) (region_of_customer (customer t)))
              (or (not (has_reseller t)) (= (region_of_partner (reseller t)) (region_of_partner (seller t))))))))
  (exists ((s Partnership)) (and (ex_Partnership s)
    (not (= (region_of_partner (provider s)) (region_of_partner (partnered_reseller s))))))
  (exists ((r ResellerRelationship)) (and (ex_ResellerRelationship r)
    (not (= (region_of_partner (authorised_partner r)) (region_of_customer (authorising_customer r))))))))""",
}

EXPECTED = {"consistency": "sat", "no_self_sale": "sat (violated)",
            "reseller_mpa_signed_since_2020": "unsat (holds)", "regions_match": "unsat (holds)"}


def query(name, n, rows):
    out = [f"; Reference encoding of bench/core/core.cspv, scope {n} per kind: query `{name}`.",
           "; Written by bench/reference/gen_reference.py; hand-written style, for the z3 tool.",
           "; unsat = the property holds (the rules are inconsistent, for `consistency`).",
           f"; cspverify's verdict on core.cspv: {EXPECTED[name]}.", ""]
    out += declarations(n, rows)
    out.append("")
    out.append("; ---- the rules of core.cspv")
    for rname, source, text in RULES:
        out.append(f"; {rname} ({source})")
        out.append(text)
    out.append("")
    if name == "consistency":
        out.append("; ---- consistency: at least one entity of every kind")
        for k in KINDS:
            out.append(f"(assert (ex_{k} {k}0))")
    else:
        out.append(f"; ---- the negation of property {name}")
        out.append(NEGATED[name])
    out.append("(check-sat)")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scope", type=int, required=True, help="atoms per kind")
    ap.add_argument("--csv", default=DEFAULT_CSV, help="region,country_code,... (default: specs/data/csp-regions.csv)")
    ap.add_argument("--out", required=True, help="directory for <query>.smt2")
    ap.add_argument("--query", action="append", choices=QUERIES, help="only this query (repeatable)")
    a = ap.parse_args()
    if a.scope < 1:
        ap.error("--scope must be at least 1")
    rows = read_regions(a.csv)
    os.makedirs(a.out, exist_ok=True)
    for q in a.query or QUERIES:
        with open(os.path.join(a.out, f"{q}.smt2"), "w", encoding="utf-8") as f:
            f.write(query(q, a.scope, rows))


if __name__ == "__main__":
    main()
