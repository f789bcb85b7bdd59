#!/usr/bin/env python3
"""Deterministic Partner Center-shaped data for `cspverify audit`, any size.

Writes, under --out, the files specs/audit/partner-center.cspv maps (partners,
organisations, affiliations and MPA status as CSV; customers and partner
relationships as REST responses; customer relationships and subscriptions as
NDJSON), for resellers and providers across CSP regions, customers and
subscriptions over several years. Partnerships and reseller relationships
carry the periods the export adds (`startDate`, `endDate`), ended ones
included. The data obeys every rule of specs/csp except for planted
violations: each plant adds a few fresh records built to break exactly one
rule, and manifest.json lists every violation the audit must report (rule,
bound entities by key, data file and line). The same arguments always write
the same bytes.

    python3 bench/gen_audit_data.py --out /tmp/data --subscriptions 2000 --seed 7
"""

import argparse
import csv
import json
import os
import random
import sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS_CSV = os.path.join(HERE, "..", "specs", "data", "csp-regions.csv")

EARLY_MPA = (date(2018, 1, 1), date(2019, 12, 31))   # before any checked sale
LATE_MPA = date(2023, 1, 1)                         # after the planted sale below
PLANTED_SALE = date(2022, 6, 1)
SALES = (date(2019, 1, 1), date(2024, 12, 31))       # sales before 2020-02-01 are legacy (exempt)
RELATED = (date(2018, 1, 1), date(2018, 12, 31))     # partnerships and relationships begin before any sale
ENDED = date(2022, 1, 1)                            # removal day of the ended partnerships and relationships
BEFORE_END = (date(2019, 1, 1), date(2021, 12, 31))  # sales while those were in force
RENEWED = date(2023, 1, 1)                          # a second partnership period after a removal

PROGRAM = {"indirect_provider": "CSP Indirect Provider", "indirect_reseller": "CSP Indirect Reseller",
           "direct_bill": "CSP Direct Bill Partner"}


class Gen:
    def __init__(self, args):
        self.a = args
        self.rng = random.Random(args.seed)
        self.regions = self.load_regions()
        self.partners = []        # dicts, in partners.csv order
        self.orgs = []            # (organisationId, name)
        self.partnerships = []    # relationship items
        self.resellers_of = {}    # provider PartnerID -> its partnered resellers
        self.customers = []       # customer objects
        self.customer_rels = []   # customer-relationship lines (dicts)
        self.subs = []            # subscription dicts
        self.affiliations = []    # (a, b)
        self.planted = []         # expected violations: dicts with a `where` record ref
        self.next_mpn = {"indirect_provider": 1000000, "indirect_reseller": 4000000, "direct_bill": 2000000}
        self.next_org = 9000000

    # ------------------------------------------------------------ helpers
    def load_regions(self):
        regions = {}
        with open(REGIONS_CSV, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                regions.setdefault(row["region"], []).append(row["country_code"])
        return regions

    def guid(self):
        b = self.rng.getrandbits(128)
        h = f"{b:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def day(self, lo, hi):
        return lo + timedelta(days=self.rng.randrange((hi - lo).days + 1))

    def org(self, name):
        self.next_org += 1
        oid = str(self.next_org)
        self.orgs.append((oid, name))
        return oid

    def partner(self, role, region, org=None, mpa=None, country=None, **overrides):
        self.next_mpn[role] += 1
        mpn = str(self.next_mpn[role])
        country = country or self.rng.choice(self.regions[region])
        p = {"mpnId": mpn, "tenantId": self.guid(), "name": f"{role} {mpn}", "role": role, "region": region,
             "location": country, "organisationId": org or self.org(f"company of {mpn}"),
             "partnerIdCountry": country, "onboarded": "true", "enrolled": "true",
             "mpa": mpa if mpa is not None else self.day(*EARLY_MPA)}
        p.update(overrides)
        self.partners.append(p)
        return p

    def partner_with(self, provider, reseller, start=None, end=None):
        """A partnership period. One from the usual years, in place, makes the reseller a channel that
        clean sales of any date may use."""
        if start is None and end is None:
            self.resellers_of.setdefault(provider["mpnId"], []).append(reseller)
        item = {"providerMpnId": provider["mpnId"], "id": reseller["tenantId"], "name": reseller["name"],
                "relationshipType": "is_indirect_cloud_solution_provider_of",
                "state": "Active" if end is None else "Inactive", "mpnId": reseller["mpnId"],
                "location": reseller["location"], "partnershipId": f"PS{len(self.partnerships) + 1}",
                "startDate": (start or self.day(*RELATED)).isoformat(), "endDate": end.isoformat() if end else ""}
        self.partnerships.append(item)
        return item

    def customer(self, region):
        cid = self.guid()
        country = self.rng.choice(self.regions[region])
        profile = {"tenantId": cid, "domain": f"c{len(self.customers)}.onmicrosoft.com",
                   "companyName": f"Customer {len(self.customers)}"}
        # Some profiles lack an address: the mapping falls back to the billing address.
        if self.rng.random() < 0.9:
            profile["address"] = {"country": country, "city": "X"}
        c = {"id": cid, "region": region, "country": country,
             "obj": {"id": cid, "commerceId": self.guid(), "companyProfile": profile,
                     "billingProfile": {"culture": "en-US", "defaultAddress": {"country": country}},
                     "relationshipToPartner": "reseller", "attributes": {"objectType": "Customer"}}}
        self.customers.append(c)
        return c

    def relate(self, partner, customer, start=None, end=None):
        line = {"customerId": customer["id"], "partner": partner, "relationshipId": f"RR{len(self.customer_rels) + 1}",
                "startDate": (start or self.day(*RELATED)).isoformat(), "endDate": end.isoformat() if end else ""}
        self.customer_rels.append(line)
        return line

    def sale(self, customer, seller, reseller=None, when=None, new=None, support=None):
        s = {"id": self.guid(), "customerId": customer["id"], "billingPartnerId": seller["mpnId"],
             "partnerId": reseller["mpnId"] if reseller else "",
             "date": when or self.day(*SALES),
             "type": "new" if (new if new is not None else self.rng.random() < 0.6) else "renew",
             "support": support}
        self.subs.append(s)
        return s

    def plant(self, rule, source, bindings, formula=0):
        """bindings: list of (variable, kind, record) where record is a partner/sub/customer dict."""
        self.planted.append({"rule": rule, "source": source, "formula": formula, "bindings": bindings})

    # ------------------------------------------------------------ clean data
    def build(self):
        a = self.rng
        names = sorted(self.regions)
        # Providers spread over regions, two at least in the first few so plants can pick pairs.
        self.providers = {}
        for i in range(self.a.providers):
            region = names[i % len(names)] if i < 2 * len(names) else a.choice(names)
            self.providers.setdefault(region, []).append(self.partner("indirect_provider", region))
        self.direct = {}
        for i in range(self.a.direct_bill):
            region = a.choice(names)
            self.direct.setdefault(region, []).append(self.partner("direct_bill", region))
        self.resellers = {}
        provider_regions = sorted(self.providers)
        for i in range(self.a.resellers):
            region = a.choice(provider_regions)
            r = self.partner("indirect_reseller", region)
            self.resellers.setdefault(region, []).append(r)
            for p in a.sample(self.providers[region], min(len(self.providers[region]), a.choice((1, 1, 2)))):
                self.partner_with(p, r)
        # A few companies with two accounts in one region share one MPA acceptance (MPA-5).
        for region in [r for r in provider_regions if self.resellers.get(r)][:3]:
            first = self.resellers[region][0]
            self.partner("direct_bill", region, org=first["organisationId"], mpa=first["mpa"],
                         country=first["location"])
        # Affiliations among partner companies and among customers: allowed.
        partner_orgs = [o for o, _ in self.orgs]
        for i in range(max(1, self.a.customers // 1000)):
            self.affiliations.append(tuple(a.sample(partner_orgs, 2)))
        self.channels = {}
        for i in range(self.a.customers):
            region = a.choice(provider_regions)
            c = self.customer(region)
            self.channels[c["id"]] = self.customer_channels(c)
        ids = [c["id"] for c in self.customers]
        for i in range(max(1, self.a.customers // 1000)):
            x, y = a.sample(ids, 2)
            self.affiliations.append((x, y))
        by_id = {c["id"]: c for c in self.customers}
        for i in range(self.a.subscriptions):
            c = by_id[ids[i % len(ids)] if i < len(ids) else a.choice(ids)]
            seller, reseller = a.choice(self.channels[c["id"]])
            support = reseller if reseller and a.random() < 0.3 else None
            self.sale(c, seller, reseller, support=support)
        # Ended partnerships and relationships, with sales only while they were
        # in force: allowed (CSP-R19). Every other pair partnered again later.
        for i in range(max(2, self.a.resellers // 100)):
            self.ended_channel(provider_regions[i % len(provider_regions)], renewed=i % 2 == 1)

    def customer_channels(self, c):
        """One or two ways the customer buys: (provider, reseller) or (direct-bill, None)."""
        a = self.rng
        channels = []
        for _ in range(a.choice((1, 1, 1, 2))):
            direct = self.direct.get(c["region"])
            if direct and a.random() < 0.2:
                d = a.choice(direct)
                channels.append((d, None))
                self.relate(d, c)
            else:
                p = a.choice(self.providers[c["region"]])
                partnered = self.resellers_of.get(p["mpnId"])
                if not partnered:
                    r = self.partner("indirect_reseller", c["region"])
                    self.resellers.setdefault(c["region"], []).append(r)
                    self.partner_with(p, r)
                    partnered = [r]
                r = a.choice(partnered)
                channels.append((p, r))
                self.relate(p, c)
                self.relate(r, c)
        return channels

    def ended_channel(self, region, renewed):
        p = self.providers[region][0]
        r = self.partner("indirect_reseller", region)
        self.partner_with(p, r, end=ENDED)
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c, end=ENDED if not renewed else None)
        for _ in range(2):
            self.sale(c, p, r, when=self.day(*BEFORE_END))
        if renewed:
            self.partner_with(p, r, start=RENEWED)
            self.sale(c, p, r, when=self.day(RENEWED, SALES[1]))

    # ------------------------------------------------------------ plants
    def region_with_two_providers(self):
        return next(r for r in sorted(self.providers) if len(self.providers[r]) >= 2)

    def fresh_channel(self, region=None):
        region = region or self.region_with_two_providers()
        p = self.providers[region][0]
        r = self.partner("indirect_reseller", region)
        self.partner_with(p, r)
        return region, p, r

    def plant_all(self):
        for _ in range(self.a.plant):
            for name in sorted(n for n in dir(self) if n.startswith("plant_")):
                if name != "plant_all":
                    getattr(self, name)()

    def plant_mpa5(self):
        region = self.region_with_two_providers()
        a = self.partner("indirect_reseller", region, mpa=date(2019, 3, 1))
        b = self.partner("indirect_reseller", region, org=a["organisationId"], mpa=date(2019, 5, 1),
                         country=a["location"])
        self.plant("mpa_accepted_per_region", "MPA-5", [("p", "Partner", a), ("q", "Partner", b)])
        self.plant("mpa_accepted_per_region", "MPA-5", [("p", "Partner", b), ("q", "Partner", a)])

    def plant_r04(self):
        region = self.region_with_two_providers()
        d = self.partner("direct_bill", region, mpa=LATE_MPA)
        c = self.customer(region)
        self.relate(d, c)
        t = self.sale(c, d, None, when=PLANTED_SALE)
        self.plant("mpa_signed_by_transacting_partners", "CSP-R04", [("t", "Transaction", t)])

    def plant_r05(self):
        region, p, _ = self.fresh_channel()
        late = self.partner("indirect_reseller", region, mpa=LATE_MPA)
        self.partner_with(p, late)
        c = self.customer(region)
        self.relate(p, c)
        self.relate(late, c)
        t = self.sale(c, p, late, when=PLANTED_SALE, new=True)
        self.plant("reseller_mpa_before_new_subscription", "CSP-R05", [("t", "Transaction", t)])

    def plant_r06(self):
        region, p, r = self.fresh_channel()
        late = self.partner("indirect_reseller", region, mpa=LATE_MPA)
        self.partner_with(p, late)
        c = self.customer(region)
        for x in (p, r, late):
            self.relate(x, c)
        t = self.sale(c, p, r, when=PLANTED_SALE, new=True, support=late)
        self.plant("new_business_only_with_signed_resellers", "CSP-R06", [("t", "Transaction", t)])

    def plant_enr6_not_enrolled(self):
        # A renewal through it, which CSP-R07 (new business) alone would not catch.
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        r = self.partner("indirect_reseller", region, enrolled="false")
        s = self.partner_with(p, r)
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c)
        self.sale(c, p, r, new=False)
        self.plant("partnership_links_provider_to_reseller", "ENR-6", [("s", "Partnership", s)])

    def plant_enr6_no_partner_center_account(self):
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        r = self.partner("indirect_reseller", region, onboarded="false")
        s = self.partner_with(p, r)
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c)
        self.sale(c, p, r, new=True)
        self.plant("partnership_links_provider_to_reseller", "ENR-6", [("s", "Partnership", s)])

    def plant_r13(self):
        region, p, r = self.fresh_channel()
        other = next(x for x in sorted(self.providers) if x != region)
        c = self.customer(other)
        rp = self.relate(p, c)
        rr = self.relate(r, c)
        t = self.sale(c, p, r)
        self.plant("sell_only_in_own_region", "CSP-R13", [("t", "Transaction", t)])
        self.plant("sell_only_in_own_region", "CSP-R13", [("r", "ResellerRelationship", rp)], formula=1)
        self.plant("sell_only_in_own_region", "CSP-R13", [("r", "ResellerRelationship", rr)], formula=1)

    def plant_r14(self):
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        other = next(x for x in sorted(self.providers) if x != region)
        far = self.partner("indirect_reseller", other)
        # Ended long ago, no sale: a breach while it lasted all the same.
        s = self.partner_with(p, far, end=date(2019, 6, 1))
        self.plant("partnership_in_own_region", "CSP-R14", [("s", "Partnership", s)])

    def plant_r16(self):
        region = self.region_with_two_providers()
        p1, p2 = self.providers[region][:2]
        r = self.partner("indirect_reseller", region)
        self.partner_with(p2, r)
        c = self.customer(region)
        self.relate(p1, c)
        self.relate(r, c)
        t = self.sale(c, p1, r)
        self.plant("reseller_of_record_is_partnered", "CSP-R16", [("t", "Transaction", t)])

    def plant_r16_after_removal(self):
        # Sold while partnered (allowed, CSP-R19), renewed after the removal (not).
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        r = self.partner("indirect_reseller", region)
        self.partner_with(p, r, end=ENDED)
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c)
        self.sale(c, p, r, when=date(2021, 3, 1), new=True)
        t = self.sale(c, p, r, when=ENDED, new=False)  # on the removal day: no longer in force
        self.plant("reseller_of_record_is_partnered", "CSP-R16", [("t", "Transaction", t)])

    def plant_r16_before_start(self):
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        r = self.partner("indirect_reseller", region)
        self.partner_with(p, r, start=date(2022, 3, 1))
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c)
        t = self.sale(c, p, r, when=date(2022, 2, 28))
        self.plant("reseller_of_record_is_partnered", "CSP-R16", [("t", "Transaction", t)])

    def plant_r17(self):
        region, p, r = self.fresh_channel()
        c = self.customer(region)
        self.relate(r, c)
        t = self.sale(c, p, r)
        self.plant("orders_need_customer_relationship", "CSP-R17", [("t", "Transaction", t)])

    def plant_cus1(self):
        region, p, r = self.fresh_channel()
        c = self.customer(region)
        self.relate(p, c)
        t = self.sale(c, p, r)
        self.plant("reseller_of_record_holds_customer_relationship", "CUS-1", [("t", "Transaction", t)])

    def plant_cus1_after_removal(self):
        region, p, r = self.fresh_channel()
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c, end=ENDED)
        t = self.sale(c, p, r, when=date(2022, 6, 1))
        self.plant("reseller_of_record_holds_customer_relationship", "CUS-1", [("t", "Transaction", t)])

    def plant_sub4(self):
        region, p, r = self.fresh_channel()
        other = self.partner("indirect_reseller", region)
        self.partner_with(p, other)
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c)
        t = self.sale(c, p, r, support=other)
        self.plant("support_contact_serves_customer", "SUB-4", [("t", "Transaction", t)])

    def plant_r22(self):
        region, p, r = self.fresh_channel()
        stranger = self.partner("indirect_reseller", region)
        c = self.customer(region)
        for x in (p, r, stranger):
            self.relate(x, c)
        t = self.sale(c, p, r, support=stranger)
        self.plant("support_contact_is_partnered", "CSP-R22", [("t", "Transaction", t)])

    def plant_sub5(self):
        region = self.region_with_two_providers()
        p1, p2 = self.providers[region][:2]
        c = self.customer(region)
        self.relate(p1, c)
        self.relate(p2, c)
        t = self.sale(c, p1, p2)
        self.plant("reseller_of_record_is_a_reseller", "SUB-5", [("t", "Transaction", t)])

    def plant_r02(self):
        region, _, r = self.fresh_channel()
        c = self.customer(region)
        self.relate(r, c)
        t = self.sale(c, r, None)
        self.plant("only_providers_and_direct_bill_bill", "CSP-R02", [("t", "Transaction", t)])

    def plant_r03(self):
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        c = self.customer(region)
        self.relate(p, c)
        t = self.sale(c, p, None)
        self.plant("supported_chains", "CSP-R03", [("t", "Transaction", t)])

    def plant_r15(self):
        region = "europe" if "europe" in self.regions else self.region_with_two_providers()
        countries = self.regions[region]
        r = self.partner("indirect_reseller", region, country=countries[0], partnerIdCountry=countries[1])
        self.plant("partner_id_in_account_country", "CSP-R15", [("p", "Partner", r)])

    def plant_r20(self):
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        r = self.partner("indirect_reseller", region, partnerIdCountry="")
        self.partner_with(p, r)
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c)
        t = self.sale(c, p, r)
        self.plant("reseller_of_record_has_location_partner_id", "CSP-R20", [("t", "Transaction", t)])

    def plant_enr6(self):
        region = self.region_with_two_providers()
        p = self.providers[region][0]
        d = self.partner("direct_bill", region)
        s = self.partner_with(p, d)
        self.plant("partnership_links_provider_to_reseller", "ENR-6", [("s", "Partnership", s)])

    def plant_r11(self):
        region, p, r = self.fresh_channel()
        c = self.customer(region)
        self.relate(p, c)
        self.relate(r, c)
        self.affiliations.append((r["organisationId"], c["id"]))
        t = self.sale(c, p, r)
        self.plant("no_sale_to_self_or_affiliate", "CSP-R11", [("t", "Transaction", t)])

    # ------------------------------------------------------------ output
    def shuffle_records(self):
        # Planted records land anywhere in the files, not at the end.
        self.rng.shuffle(self.customers)
        self.rng.shuffle(self.subs)
        self.rng.shuffle(self.customer_rels)

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        lines = {}
        with open(os.path.join(out, "organisations.csv"), "w", newline="") as f:
            f.write("organisationId,name\r\n")
            for oid, name in self.orgs:
                f.write(f"{oid},{name}\r\n")
        with open(os.path.join(out, "partners.csv"), "w", newline="") as f:
            f.write("mpnId,tenantId,name,program,location,organisationId,partnerIdCountry,onboarded,enrolled\r\n")
            for i, p in enumerate(self.partners):
                lines[id(p)] = ("partners.csv", i + 2)
                f.write(f"{p['mpnId']},{p['tenantId']},{p['name']},{PROGRAM[p['role']]},{p['location']},"
                        f"{p['organisationId']},{p['partnerIdCountry']},{p['onboarded']},{p['enrolled']}\r\n")
        with open(os.path.join(out, "mpa-status.csv"), "w", newline="") as f:
            f.write("mpnId,region,isAgreementSigned,dateAgreed\r\n")
            for p in self.partners:
                f.write(f"{p['mpnId']},{p['region']},true,{p['mpa'].isoformat()}T00:00:00Z\r\n")
        with open(os.path.join(out, "affiliations.csv"), "w", newline="") as f:
            f.write("organisationId,affiliateId\r\n")
            for x, y in self.affiliations:
                f.write(f"{x},{y}\r\n")
        with open(os.path.join(out, "relationships.json"), "w") as f:
            f.write(f'{{"totalCount": {len(self.partnerships)}, "items": [\n')
            for i, item in enumerate(self.partnerships):
                lines[id(item)] = ("relationships.json", i + 2)
                item = dict(item, attributes={"objectType": "PartnerRelationship"})
                f.write(json.dumps(item) + (",\n" if i + 1 < len(self.partnerships) else "\n"))
            f.write('], "attributes": {"objectType": "Collection"}}\n')
        with open(os.path.join(out, "customers.json"), "w") as f:
            f.write(f'{{"totalCount": {len(self.customers)}, "items": [\n')
            for i, c in enumerate(self.customers):
                lines[id(c)] = ("customers.json", i + 2)
                f.write(json.dumps(c["obj"]) + (",\n" if i + 1 < len(self.customers) else "\n"))
            f.write('], "attributes": {"objectType": "Collection"}}\n')
        with open(os.path.join(out, "customer-relationships.ndjson"), "w") as f:
            for i, r in enumerate(self.customer_rels):
                lines[id(r)] = ("customer-relationships.ndjson", i + 1)
                p = r["partner"]
                f.write(f'{{"customerId": "{r["customerId"]}", "id": "{p["tenantId"]}", "mpnId": "{p["mpnId"]}", '
                        f'"name": "{p["name"]}", "relationshipToPartner": "reseller", '
                        f'"relationshipId": "{r["relationshipId"]}", "startDate": "{r["startDate"]}", '
                        f'"endDate": "{r["endDate"]}"}}\n')
        with open(os.path.join(out, "subscriptions.ndjson"), "w") as f:
            for i, s in enumerate(self.subs):
                lines[id(s)] = ("subscriptions.ndjson", i + 1)
                f.write(self.subscription_line(s))
        return lines

    def subscription_line(self, s):
        created = f"{s['date'].isoformat()}T{self.rng.randrange(24):02d}:{self.rng.randrange(60):02d}:00Z"
        support = ""
        if s["support"]:
            p = s["support"]
            support = (f', "supportContact": {{"supportTenantId": "{p["tenantId"]}", "supportMpnId": "{p["mpnId"]}", '
                       f'"name": "{p["name"]}"}}')
        return (f'{{"id": "{s["id"]}", "customerId": "{s["customerId"]}", "billingPartnerId": "{s["billingPartnerId"]}", '
                f'"offerId": "DB2E705F-B82A-4024-A3D5-D88E12F2DB35", "offerName": "Microsoft 365 E3", '
                f'"quantity": {1 + self.rng.randrange(50)}, "unitType": "Licenses", "status": "active", '
                f'"partnerId": "{s["partnerId"]}", "creationDate": "{created}", "transactionType": "{s["type"]}", '
                f'"billingCycle": "monthly", "attributes": {{"objectType": "Subscription"}}{support}}}\n')

    def manifest(self, lines):
        violations = []
        for v in self.planted:
            bindings = {}
            for var, kind, record in v["bindings"]:
                key = {"Partner": record.get("mpnId"), "Partnership": record.get("partnershipId"),
                       "ResellerRelationship": record.get("relationshipId")}.get(kind) or record.get("id")
                bindings[var] = {"kind": kind, "key": key}
            file, line = lines[id(v["bindings"][0][2])]
            violations.append({"rule": v["rule"], "source": v["source"], "formula": v["formula"],
                               "bindings": bindings, "file": file, "line": line})
        violations.sort(key=lambda x: (x["rule"], x["formula"], json.dumps(x["bindings"], sort_keys=True)))
        return {"seed": self.a.seed, "counts": {"partners": len(self.partners), "organisations": len(self.orgs),
                                                "customers": len(self.customers), "subscriptions": len(self.subs),
                                                "partnerships": len(self.partnerships),
                                                "customer_relationships": len(self.customer_rels)},
                "violations": violations}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--subscriptions", type=int, default=2000)
    ap.add_argument("--customers", type=int, default=0, help="default: subscriptions / 10")
    ap.add_argument("--resellers", type=int, default=0, help="default: customers / 5")
    ap.add_argument("--providers", type=int, default=0, help="default: resellers / 20, at least 40")
    ap.add_argument("--direct-bill", type=int, default=0, help="default: providers / 2")
    ap.add_argument("--plant", type=int, default=1, help="plants of each kind (0: clean data)")
    args = ap.parse_args()
    args.customers = args.customers or max(10, args.subscriptions // 10)
    args.resellers = args.resellers or max(20, args.customers // 5)
    args.providers = args.providers or max(40, args.resellers // 20)
    args.direct_bill = args.direct_bill or max(10, args.providers // 2)
    g = Gen(args)
    g.build()
    g.plant_all()
    g.shuffle_records()
    lines = g.write(args.out)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(g.manifest(lines), f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
