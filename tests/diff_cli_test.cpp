// The `diff` command: exit codes, report formats, --expect, bad input and
// --base-rev on a throw-away git repository.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "tests/diff_support.h"

using namespace csp;
using namespace csp::test;

namespace {

struct CliRun {
  int code = -1;
  std::string out, err;
};

CliRun cspverify(std::vector<std::string> args) {
  std::ostringstream out, err;
  CliRun run;
  run.code = cli::run(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string fixture(const std::string& name) { return test::source_path("tests/specs/diff/" + name); }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("diff command: exit codes, reports and --expect", "[diff]") {
  auto equivalent = cspverify({"diff", fixture("base.cspv"), fixture("equivalent.cspv"), "--no-timings"});
  CHECK(equivalent.code == 0);
  CHECK(equivalent.out.find("  verdict: equivalent within scope: both rule sets allow exactly the same instances\n") !=
        std::string::npos);
  CHECK(equivalent.out.find("summary: 1 text change; equivalent; 0 regressions; exit code 0\n") != std::string::npos);

  auto waive = cspverify({"diff", fixture("base.cspv"), fixture("waive_renewals.cspv"), "--no-timings"});
  CHECK(waive.code == 1);
  CHECK(waive.out.find("  property    sellers_signed  proved -> violated  REGRESSION\n") != std::string::npos);
  CHECK(waive.out.find("    forbidden by base rule (each one alone forbids the witness):\n"
                       "      mpa_before_sale (R04)\n") != std::string::npos);

  CHECK(cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv")}).code == 0);
  auto contradicted = cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv"), "--expect", "tightening"});
  CHECK(contradicted.code == 1);
  CHECK(contradicted.out.find("  expected: tightening: CONTRADICTED (something is newly allowed)\n") != std::string::npos);
  CHECK(cspverify({"diff", fixture("base.cspv"), fixture("equivalent.cspv"), "--expect", "equivalent"}).code == 0);

  auto unknown = cspverify({"diff", test::source_path("tests/specs/prove/pigeonhole_hard.cspv"),
                            fixture("pigeonhole_rule.cspv"), "--timeout", "1"});
  CHECK(unknown.code == 3);
  CHECK(unknown.out.find("  NEWLY FORBIDDEN  unknown: timeout after 1 s") != std::string::npos);

  auto json = cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv"), "-f", "json", "--no-timings"});
  CHECK(json.code == 0);
  CHECK(json.out.find("\"verdict\": \"widening\"") != std::string::npos);
  CHECK(json.out.find("\"time_ms\"") == std::string::npos);
  auto markdown = cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv"), "-f", "markdown"});
  CHECK(markdown.out.find("- **newly allowed**: 1 witness, blamed on base rule only_providers_bill (R02)\n") !=
        std::string::npos);
}

TEST_CASE("diff command: bad input exits 2 with a clear message", "[diff]") {
  auto one_path = cspverify({"diff", fixture("base.cspv")});
  CHECK(one_path.code == 2);
  CHECK(one_path.err.find("expected two paths, BASE and PROPOSED, got 1 path") != std::string::npos);
  auto missing = cspverify({"diff", fixture("base.cspv"), fixture("missing.cspv")});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("missing.cspv`: no such file or directory") != std::string::npos);
  auto expect = cspverify({"diff", fixture("base.cspv"), fixture("base.cspv"), "--expect", "tightning"});
  CHECK(expect.code == 2);
  CHECK(expect.err.find("did you mean `tightening`?") != std::string::npos);
  auto format = cspverify({"diff", fixture("base.cspv"), fixture("base.cspv"), "-f", "htm"});
  CHECK(format.code == 2);
  CHECK(format.err.find("unknown format `htm`; did you mean `html`?") != std::string::npos);
  auto scope = cspverify({"diff", fixture("base.cspv"), fixture("base.cspv"), "--scope", "Partnr=2"});
  CHECK(scope.code == 2);

  TempDir dir;
  std::string bool_side = dir.write("a.cspv", "entity Partner { signed: Bool }\n");
  std::string date_side = dir.write("b.cspv", "entity Partner { signed: Date }\n");
  auto conflict = cspverify({"diff", bool_side, date_side});
  CHECK(conflict.code == 2);
  CHECK(conflict.err.find("error: attribute `Partner.signed` is `Bool` in base and `Date` in proposed") !=
        std::string::npos);
}

TEST_CASE("diff command: --base-rev takes BASE from a git revision of the same path", "[diff]") {
  TempDir repo;
  auto git = [&](const std::string& args) {
    std::string command = fmt::format("git -C '{}' -c user.name=test -c user.email=test@example.com {} >/dev/null 2>&1",
                                      repo.path.string(), args);
    REQUIRE(std::system(command.c_str()) == 0);
  };
  git("init -q");
  std::string policy = repo.write("policy.cspv", read(fixture("base.cspv")));
  git("add policy.cspv");
  git("commit -q -m base");
  repo.write("policy.cspv", read(fixture("waive_renewals.cspv")));

  auto diff = cspverify({"diff", "--base-rev", "HEAD", policy, "--no-timings"});
  CHECK(diff.code == 1);
  CHECK(diff.out.find(fmt::format("diff: HEAD:{} -> {}\n", policy, policy)) != std::string::npos);
  CHECK(diff.out.find("NEWLY ALLOWED    the proposed rules allow an instance the base rules forbid") !=
        std::string::npos);

  auto bad_rev = cspverify({"diff", "--base-rev", "no-such-rev", policy});
  CHECK(bad_rev.code == 2);
  CHECK(bad_rev.err.find("cannot read revision `no-such-rev`") != std::string::npos);

  std::string untracked = repo.write("new.cspv", "entity Partner {}\n");
  auto absent = cspverify({"diff", "--base-rev", "HEAD", untracked});
  CHECK(absent.code == 2);
  CHECK(absent.err.find(fmt::format("`{}` does not exist at revision `HEAD`", untracked)) != std::string::npos);

  TempDir outside;
  std::string loose = outside.write("loose.cspv", "entity Partner {}\n");
  auto not_git = cspverify({"diff", "--base-rev", "HEAD", loose});
  CHECK(not_git.code == 2);
  CHECK(not_git.err.find("is not in a git repository") != std::string::npos);
}

TEST_CASE("diff --change: a modified rule's whole text as a unified diff, never cut", "[diff][patches]") {
  TempDir dir;
  // A body longer than any one-line listing would keep, changed at its end.
  std::string base = dir.write("base.cspv", R"(entity Partner { enrolled_on: Date?, mpa_signed: Date? }
entity Sale { seller: Partner, date: Date }
rule signed_before_sale "signed by the sale" {
  forall s: Sale | s.seller.mpa_signed <= s.date or s.seller.mpa_signed == s.seller.enrolled_on or s.date <= s.seller.enrolled_on
}
)");
  std::string change = dir.write("change.cspv", R"(replace rule signed_before_sale "signed by the sale, or in a grace period" {
  forall s: Sale | s.seller.mpa_signed <= s.date or s.seller.mpa_signed == s.seller.enrolled_on or s.date <= s.seller.enrolled_on + 14
}
)");
  auto text = cspverify({"diff", base, "--change", change, "--no-timings"});
  INFO(text.out << text.err);
  CHECK(text.code == 0);
  CHECK(text.out.find(fmt::format("  modified  rule `signed_before_sale` (body, description)  {}:1:14\n"
                                  "    --- {}:3:1\n"
                                  "    +++ {}:1:9\n"
                                  "    -rule signed_before_sale \"signed by the sale\" {{\n"
                                  "    -  forall s: Sale | s.seller.mpa_signed <= s.date or s.seller.mpa_signed == "
                                  "s.seller.enrolled_on or s.date <= s.seller.enrolled_on\n"
                                  "    +rule signed_before_sale \"signed by the sale, or in a grace period\" {{\n"
                                  "    +  forall s: Sale | s.seller.mpa_signed <= s.date or s.seller.mpa_signed == "
                                  "s.seller.enrolled_on or s.date <= s.seller.enrolled_on + 14\n"
                                  "     }}\n",
                                  change, base, change)) != std::string::npos);

  auto markdown = cspverify({"diff", base, "--change", change, "--no-timings", "-f", "markdown"});
  CHECK(markdown.out.find("<details><summary>rule <code>signed_before_sale</code>: text diff</summary>\n\n```diff\n") !=
        std::string::npos);
  CHECK(markdown.out.find("+  forall s: Sale | s.seller.mpa_signed <= s.date or s.seller.mpa_signed == "
                          "s.seller.enrolled_on or s.date <= s.seller.enrolled_on + 14\n") != std::string::npos);

  auto json = cspverify({"diff", base, "--change", change, "--no-timings", "-f", "json"});
  CHECK(json.out.find("\"text_diff\": \"--- ") != std::string::npos);
  CHECK(json.out.find("s.date <= s.seller.enrolled_on + 14\\n }\\n\"") != std::string::npos);
}

TEST_CASE("diff PROPOSED that holds only patches: exit 2 with help to use --change", "[diff][patches]") {
  TempDir dir;
  std::string base = dir.write("base.cspv", "entity Sale { date: Date }\nrule r { forall s: Sale | s.date >= 2020-01-01 }\n");
  std::string change = dir.write("change.cspv", "remove rule r\n");
  auto run = cspverify({"diff", base, change});
  CHECK(run.code == 2);
  CHECK(run.err.find(fmt::format("{}:1:13: error: cannot remove rule `r`: no rule of that name is declared", change)) !=
        std::string::npos);
  CHECK(run.err.find(fmt::format("run `cspverify diff BASE --change {}`", change)) != std::string::npos);
  auto applied = cspverify({"diff", base, "--change", change, "--no-timings"});
  CHECK(applied.code == 0);
  CHECK(applied.out.find("  removed   rule `r`") != std::string::npos);
  CHECK(applied.out.find("verdict: widening") != std::string::npos);
}
