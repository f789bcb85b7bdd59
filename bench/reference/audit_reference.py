#!/usr/bin/env python3
"""A hand-written hash-join audit of the Partner Center data bench/gen_audit_data.py
writes: the 22 rules of specs/csp written directly as Python loops over dicts
and sets, reading the files the way specs/audit/partner-center.cspv maps them.
It is the strong reference bench/audit.sh times cspverify against, and a cross-
check: both must find the same violations (rule, formula, bound keys).

    python3 bench/reference/audit_reference.py DATA_DIR [--json OUT]
"""

import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS = os.path.join(HERE, "..", "..", "specs", "data", "csp-regions.csv")
MPA_START = "2020-02-01"
ROLE = {"CSP Indirect Provider": "indirect_provider", "CSP Indirect Reseller": "indirect_reseller",
        "CSP Direct Bill Partner": "direct_bill"}


def load(data):
    region = {}
    with open(REGIONS, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            region[row["country_code"]] = row["region"]
    partners = {}
    with open(os.path.join(data, "partners.csv"), newline="") as f:
        for row in csv.DictReader(f):
            partners[row["mpnId"]] = {"org": row["organisationId"], "role": ROLE[row["program"]],
                                      "country": row["location"], "pid_country": row["partnerIdCountry"] or None,
                                      "onboarded": row["onboarded"].lower() == "true",
                                      "enrolled": row["enrolled"].lower() == "true", "mpa": None}
    with open(os.path.join(data, "mpa-status.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["isAgreementSigned"] == "true" and row["dateAgreed"]:
                partners[row["mpnId"]]["mpa"] = row["dateAgreed"][:10]
    # Dated periods: key -> (provider, reseller, start, end or None).
    with open(os.path.join(data, "relationships.json")) as f:
        partnerships = {i["partnershipId"]: (i["providerMpnId"], i["mpnId"], i["startDate"][:10],
                                             i.get("endDate", "")[:10] or None)
                        for i in json.load(f)["items"]
                        if i.get("relationshipType") == "is_indirect_cloud_solution_provider_of"}
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    with open(os.path.join(data, "affiliations.csv"), newline="") as f:
        for row in csv.DictReader(f):
            a, b = find(row["organisationId"]), find(row["affiliateId"])
            if a != b:
                parent[a] = b
    customers = {}
    with open(os.path.join(data, "customers.json")) as f:
        for c in json.load(f)["items"]:
            address = c.get("companyProfile", {}).get("address", {}).get("country")
            billing = c.get("billingProfile", {}).get("defaultAddress", {}).get("country")
            customers[c["id"]] = address or billing
    relationships = {}
    with open(os.path.join(data, "customer-relationships.ndjson")) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                if r.get("relationshipToPartner") == "reseller":
                    relationships[r["relationshipId"]] = (r["mpnId"], r["customerId"], r["startDate"][:10],
                                                          r.get("endDate", "")[:10] or None)
    subs = []
    with open(os.path.join(data, "subscriptions.ndjson")) as f:
        for line in f:
            if line.strip():
                s = json.loads(line)
                support = (s.get("supportContact") or {}).get("supportMpnId") or s["billingPartnerId"]
                subs.append((s["id"], s["billingPartnerId"], s["partnerId"] or None, s["customerId"],
                             s["creationDate"][:10], support, s["transactionType"] == "new"))
    return region, partners, partnerships, find, customers, relationships, subs


def audit(data):
    region, partners, partnerships, group, customers, relationships, subs = load(data)
    out = []

    def v(rule, formula, **bindings):
        out.append((rule, formula, tuple(sorted(bindings.items()))))

    def signed(p, day):  # `p.mpa_signed <= day`: an unsigned MPA never is
        return p["mpa"] is not None and p["mpa"] <= day

    def in_force(start, end, day):  # start <= day and (end == none or day < end)
        return start <= day and (end is None or day < end)

    periods_of_pair, periods_of_relation = {}, {}
    for prov, res, start, end in partnerships.values():
        periods_of_pair.setdefault((prov, res), []).append((start, end))
    for partner, cust, start, end in relationships.values():
        periods_of_relation.setdefault((partner, cust), []).append((start, end))

    def partnered(prov, res, day):
        return any(in_force(s, e, day) for s, e in periods_of_pair.get((prov, res), ()))

    def authorised(partner, cust, day):
        return any(in_force(s, e, day) for s, e in periods_of_relation.get((partner, cust), ()))

    by_org = {}
    for key, p in partners.items():
        by_org.setdefault(p["org"], []).append(key)
    for key, p in partners.items():
        for other in by_org[p["org"]]:  # MPA-5, both orders
            q = partners[other]
            if region.get(p["country"]) == region.get(q["country"]) and p["mpa"] != q["mpa"]:
                v("mpa_accepted_per_region", 0, p=key, q=other)
        if p["pid_country"] is not None and p["pid_country"] != p["country"]:
            v("partner_id_in_account_country", 0, p=key)
    for key, (prov, res, _, _) in partnerships.items():
        p, r = partners[prov], partners[res]
        if not (p["role"] == "indirect_provider" and r["role"] == "indirect_reseller"
                and r["enrolled"] and r["onboarded"]):
            v("partnership_links_provider_to_reseller", 0, s=key)
        if region.get(p["country"]) != region.get(r["country"]):
            v("partnership_in_own_region", 0, s=key)
    for key, (prov, cust, _, _) in relationships.items():
        if region.get(partners[prov]["country"]) != region.get(customers[cust]):
            v("sell_only_in_own_region", 1, r=key)
    for sid, seller_key, reseller_key, cust, day, support_key, new in subs:
        seller, support = partners[seller_key], partners[support_key]
        reseller = partners[reseller_key] if reseller_key else None
        cregion = region.get(customers[cust])
        checked = day >= MPA_START
        if checked and not (signed(seller, day) and (reseller is None or new or signed(reseller, day))):
            v("mpa_signed_by_transacting_partners", 0, t=sid)
        if reseller and new and checked and not signed(reseller, day):
            v("reseller_mpa_before_new_subscription", 0, t=sid)
        if new and checked and support["role"] == "indirect_reseller" and not signed(support, day):
            v("new_business_only_with_signed_resellers", 0, t=sid)
        if seller["role"] == "indirect_reseller":
            v("only_providers_and_direct_bill_bill", 0, t=sid)
        if (seller["role"] == "direct_bill" and reseller) or (seller["role"] == "indirect_provider" and not reseller):
            v("supported_chains", 0, t=sid)
        if reseller and reseller["role"] == "indirect_reseller" and not partnered(seller_key, reseller_key, day):
            v("reseller_of_record_is_partnered", 0, t=sid)
        if not authorised(seller_key, cust, day):
            v("orders_need_customer_relationship", 0, t=sid)
        if reseller and not authorised(reseller_key, cust, day):
            v("reseller_of_record_holds_customer_relationship", 0, t=sid)
        if region.get(seller["country"]) != cregion or (reseller and region.get(reseller["country"]) != cregion):
            v("sell_only_in_own_region", 0, t=sid)
        # CSP-R11: a customer is its own organisation (keyed by its id), ties come from the register.
        cgroup = group(cust)
        if (reseller is None and group(seller["org"]) == cgroup) or (reseller and group(reseller["org"]) == cgroup):
            v("no_sale_to_self_or_affiliate", 0, t=sid)
        if reseller and reseller["role"] != "indirect_reseller":
            v("reseller_of_record_is_a_reseller", 0, t=sid)
        if reseller and reseller["pid_country"] is None:
            v("reseller_of_record_has_location_partner_id", 0, t=sid)
        if support_key != seller_key and not partnered(seller_key, support_key, day):
            v("support_contact_is_partnered", 0, t=sid)
        if support_key != seller_key and not (support["role"] == "indirect_reseller" and authorised(support_key, cust, day)):
            v("support_contact_serves_customer", 0, t=sid)
    # CSP-R10, CSP-R12, TEN-2, TEN-3 hold by construction on this mapping (docs/audit.md, "Gaps").
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--json", help="write the violations here")
    args = ap.parse_args()
    violations = audit(args.data)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([[r, fm, dict(b)] for r, fm, b in sorted(violations)], f)
    print(f"{len(violations)} violations")


if __name__ == "__main__":
    sys.exit(main())
