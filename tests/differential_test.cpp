// Differential test of the encoding (issue #8). Three independent answers to
// "is this property proved within scope?" must agree:
//   - the solver with every quantifier expanded to ground terms,
//   - the solver with every quantifier kept (ground_limit 0),
//   - the exhaustive oracle (tests/support/enumerate.h): every instance
//     enumerated and evaluated by model::Evaluator, which shares no code with
//     encoder/.
// The random specs come from tests/support/random_spec.h and go through the
// real front end. The shipped specs are checked with the two encodings and the
// default ground limit (too large to enumerate).
//
// Environment (for longer runs; the defaults keep this test to a few seconds):
//   CSPV_DIFF_SEED   first seed (default 1)
//   CSPV_DIFF_SPECS  number of random specs (default kDefaultSpecs below)
//   CSPV_DIFF_VERBOSE=1  per-spec times and a summary on stdout
// A failure prints the seed and the spec text; `CSPV_DIFF_SEED=<seed>
// CSPV_DIFF_SPECS=1 csp_unit_tests "[differential]"` replays it.
#include <chrono>
#include <cstdlib>
#include <limits>
#include <set>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "model/evaluator.h"
#include "model/frontend.h"
#include "solver/prover.h"
#include "tests/support/enumerate.h"
#include "tests/support/fixture.h"
#include "tests/support/random_spec.h"

using namespace csp;

namespace {

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 10);
}

model::Scope uniform_scope(const model::Model& m, int size) {
  model::Scope scope;
  scope.size.assign(m.kinds.size(), size);
  return scope;
}

solver::SolveOptions options_with_ground_limit(std::size_t limit) {
  solver::SolveOptions options;
  options.ground_limit = limit;
  options.minimize = false;  // verdicts only
  options.timeout_seconds = 20;
  options.unbounded = false;  // the oracle's verdicts are within the scope
  return options;
}

// A proof for every size is checked against the oracle at the scope: it must
// find no counterexample; a violation the scope cannot contain must be larger.
void check_unbounded_answers(const model::Model& m, const model::Scope& scope,
                             const std::vector<model::CheckResult>& results, const test::OracleVerdicts& oracle) {
  for (std::size_t p = 0; p < m.properties.size(); ++p) {
    const auto& r = results[p + 1];
    INFO("property " << m.properties[p].name << " (for every size: " << model::status_name(r.status) << " "
                     << r.unbounded_note << ")");
    if (r.unbounded) CHECK_FALSE(oracle.properties[p].violated);
    if (r.status == model::Status::Violated && !oracle.properties[p].violated) {
      REQUIRE(r.instance);
      auto counts = model::count_by_kind(m, *r.instance);
      bool larger = false;
      for (std::size_t k = 0; k < counts.size(); ++k) larger = larger || counts[k] > scope.size[k];
      CHECK(larger);
    }
  }
}

constexpr std::size_t kExpandAll = std::numeric_limits<std::size_t>::max();

// About half a second per spec on the 2-core CI machine (four prove runs of a
// few queries each): the unit test stays near 10 s; `ctest -C long` runs 200.
constexpr std::uint64_t kDefaultSpecs = 20;

// Seeds on which the solver with kept quantifiers is known to answer unknown,
// skipped by the random-spec test so that a long run still checks the rest.
// None at present (seed 27 was one: see its regression test below).
const std::set<std::uint64_t> kKnownSolverTimeouts = {};

// Seeds whose attempt for every size overruns its budget. None at present:
// seed 27 was one (a forall-exists over unbounded sorts fed E-matching for
// 100 s past a 1 s budget) until the attempt capped its instances.
const std::set<std::uint64_t> kUnboundedOverruns = {};

// The verdict solver::prove would give, from the oracle's answers.
model::Status oracle_status(const test::OracleVerdicts& oracle, std::size_t property) {
  const auto& p = oracle.properties[property];
  if (!oracle.consistent && p.vacuous) return model::Status::Vacuous;
  return p.violated ? model::Status::Violated : model::Status::Proved;
}

std::string verdicts_line(const std::vector<model::CheckResult>& results) {
  std::string out;
  for (const auto& r : results) out += fmt::format("{}={} ", r.name, model::status_name(r.status));
  return out;
}

}  // namespace

TEST_CASE("oracle: the literal value sets are complete only for comparisons with literals", "[differential]") {
  auto complete = test::check_text(R"(
    entity A { d: Date?, n: Int }
    rule r { forall a: A | a.d <= 2021-01-01 and a.n in {3, 5} }
    property p { forall a: A | a.d != none implies a.d < 2020-12-31 }
  )");
  REQUIRE(complete.model);
  auto domains = test::literal_domains(*complete.model);
  CHECK(domains.complete);
  CHECK(domains.ints == std::vector<std::int64_t>{2, 3, 4, 5, 6});
  CHECK(domains.dates.size() == 4);  // 2020-12-30 .. 2021-01-02

  auto arithmetic = test::check_text(R"(
    entity A { d: Date, e: Date }
    property p { forall a: A | a.d + 30 <= a.e }
  )");
  REQUIRE(arithmetic.model);
  auto incomplete = test::literal_domains(*arithmetic.model);
  CHECK_FALSE(incomplete.complete);
  CHECK_THAT(incomplete.why_incomplete, Catch::Matchers::Contains("a.d"));
}

TEST_CASE("oracle: exhaustive verdicts on a spec with known answers", "[differential]") {
  auto checked = test::check_text(R"(
    enum Role { provider, reseller }
    entity P { role: Role, signed: Date? }
    entity S { seller: P, date: Date }
    relation partner(a: P, b: P)
    rule signed_by_2021 { forall s: S | s.seller.signed <= 2021-01-01 }
    property seller_signed { forall s: S | s.seller.signed != none }
    property before_2021 { forall s: S | s.seller.signed < 2021-01-01 }
    property no_self_partner { forall p: P | not partner(p, p) }
  )");
  REQUIRE(checked.model);
  const auto& m = *checked.model;
  auto domains = test::literal_domains(m);
  REQUIRE(domains.complete);
  auto oracle = test::exhaustive_verdicts(m, uniform_scope(m, 2), domains);
  CHECK(oracle.consistent);
  CHECK_FALSE(oracle.properties[0].violated);
  CHECK(oracle.properties[1].violated);  // signed on the sale day, 2021-01-01
  CHECK(oracle.properties[2].violated);
  REQUIRE(oracle.properties[2].counterexample);
  model::Evaluator evaluator(m, *oracle.properties[2].counterexample);
  CHECK(evaluator.well_formed());
  CHECK(evaluator.violated_rules().empty());
  CHECK_FALSE(evaluator.holds(m.properties[2]));
}

TEST_CASE("oracle: symmetry breaking and pruning do not change the verdicts", "[differential]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::string text = test::random_spec(seed, {4096});
    INFO("seed " << seed << "\n" << text);
    auto checked = test::check_text(text);
    INFO(checked.diagnostics());
    REQUIRE(checked.model);
    const auto& m = *checked.model;
    auto domains = test::literal_domains(m);
    auto scope = uniform_scope(m, 2);
    auto fast = test::exhaustive_verdicts(m, scope, domains);
    // Brute force: no symmetry breaking, the rules checked only on complete instances.
    std::vector<bool> violated(m.properties.size(), false);
    bool consistent = false;
    test::EnumerationOptions plain;
    plain.break_symmetry = false;
    auto stats = test::for_each_instance(m, scope, domains, {}, [&](const model::Instance& instance) {
      model::Evaluator evaluator(m, instance);
      if (!evaluator.violated_rules().empty()) return true;
      auto counts = model::count_by_kind(m, instance);
      consistent = consistent || std::all_of(counts.begin(), counts.end(), [](int c) { return c > 0; });
      for (std::size_t p = 0; p < m.properties.size(); ++p) {
        violated[p] = violated[p] || !evaluator.holds(m.properties[p]);
      }
      return true;
    }, plain);
    CHECK(stats.visited == test::instance_space(m, scope, domains));
    CHECK(fast.consistent == consistent);
    for (std::size_t p = 0; p < m.properties.size(); ++p) CHECK(fast.properties[p].violated == violated[p]);
  }
}

namespace {

// Totals over a run, printed with CSPV_DIFF_VERBOSE=1.
struct Tally {
  std::uint64_t specs = 0, instances = 0, violated = 0, proved = 0, other = 0;
  double ground_seconds = 0, quantified_seconds = 0, oracle_seconds = 0;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The three verdicts of every check of one random spec, at scopes 1 and 2.
void check_random_spec(std::uint64_t seed, Tally& tally, bool verbose) {
  std::string text = test::random_spec(seed);
  auto checked = test::check_text(text, fmt::format("random-{}.cspv", seed));
  INFO("seed " << seed << " (replay: CSPV_DIFF_SEED=" << seed << " CSPV_DIFF_SPECS=1)\n" << text);
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const auto& m = *checked.model;
  auto domains = test::literal_domains(m);
  INFO(domains.why_incomplete);
  REQUIRE(domains.complete);  // the generator compares Int and Date with literals only
  ++tally.specs;
  for (int size : {1, 2}) {
    auto scope = uniform_scope(m, size);
    std::vector<model::CheckResult> by_ground, by_quantifier;
    auto start = std::chrono::steady_clock::now();
    try {
      by_ground = solver::prove(m, scope, options_with_ground_limit(kExpandAll));
      tally.ground_seconds += seconds_since(start);
      auto middle = std::chrono::steady_clock::now();
      by_quantifier = solver::prove(m, scope, options_with_ground_limit(0));
      tally.quantified_seconds += seconds_since(middle);
    } catch (const std::exception& e) {
      FAIL("seed " << seed << " scope " << size << ": " << e.what());
    }
    double solving = seconds_since(start);
    auto oracle_start = std::chrono::steady_clock::now();
    auto oracle = test::exhaustive_verdicts(m, scope, domains);
    tally.oracle_seconds += seconds_since(oracle_start);
    if (size == 2 && kUnboundedOverruns.count(seed) == 0) {
      auto options = options_with_ground_limit(0);
      options.unbounded = true;
      options.timeout_seconds = 4;  // 1 s for each attempt for every size: only its answers are checked here
      check_unbounded_answers(m, scope, solver::prove(m, scope, options), oracle);
    }
    tally.instances += oracle.stats.visited;
    if (verbose) {
      fmt::print("seed {} scope {}: {:.3f} s solving, {:.3f} s enumerating {} instances; {}\n", seed, size, solving,
                 seconds_since(oracle_start), oracle.stats.visited, verdicts_line(by_ground));
    }
    INFO("scope " << size << "\nground:     " << verdicts_line(by_ground) << "\nquantified: "
                  << verdicts_line(by_quantifier));
    REQUIRE(by_ground.size() == m.properties.size() + 1);
    REQUIRE(by_quantifier.size() == by_ground.size());
    for (std::size_t i = 0; i < by_ground.size(); ++i) {
      if (by_ground[i].status == model::Status::Unknown || by_quantifier[i].status == model::Status::Unknown) {
        FAIL_CHECK("unknown from the solver on `" << by_ground[i].name << "`: " << by_ground[i].unknown_reason
                                                   << by_quantifier[i].unknown_reason);
      }
      CHECK(model::status_name(by_ground[i].status) == std::string(model::status_name(by_quantifier[i].status)));
    }
    auto consistency = oracle.consistent ? model::Status::Consistent : model::Status::Inconsistent;
    CHECK(model::status_name(by_ground[0].status) == std::string(model::status_name(consistency)));
    for (std::size_t p = 0; p < m.properties.size(); ++p) {
      auto expected = oracle_status(oracle, p);
      INFO("property " << m.properties[p].name);
      std::string witness = oracle.properties[p].counterexample
          ? model::format_instance(m, *oracle.properties[p].counterexample) : "(none)";
      INFO("the oracle's counterexample:\n" << witness);
      CHECK(model::status_name(by_ground[p + 1].status) == std::string(model::status_name(expected)));
      (expected == model::Status::Violated ? tally.violated
       : expected == model::Status::Proved ? tally.proved : tally.other)++;
    }
  }
}

void print_tally(const Tally& t, double seconds) {
  fmt::print("{} specs, {} instances enumerated, verdicts: {} violated, {} proved, {} vacuous; {:.1f} s "
             "({:.1f} s ground, {:.1f} s quantified, {:.1f} s oracle)\n",
             t.specs, t.instances, t.violated, t.proved, t.other, seconds, t.ground_seconds, t.quantified_seconds,
             t.oracle_seconds);
}

}  // namespace

TEST_CASE("random specs: ground expansion, kept quantifiers and the exhaustive oracle agree", "[differential]") {
  const std::uint64_t first = env_number("CSPV_DIFF_SEED", 1);
  const std::uint64_t count = env_number("CSPV_DIFF_SPECS", kDefaultSpecs);
  const bool verbose = env_number("CSPV_DIFF_VERBOSE", 0) != 0;
  Tally tally;
  auto start = std::chrono::steady_clock::now();
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    if (kKnownSolverTimeouts.count(seed) > 0) {
      WARN("seed " << seed << " skipped: a known solver timeout (run \"[known-issue]\")");
      continue;
    }
    check_random_spec(seed, tally, verbose);
  }
  if (verbose) print_tally(tally, seconds_since(start));
}

// Seed 27 once ran 60 s past a 5 s timeout: forall-exists over one kind with
// a variable read only in `in`, so Z3 triggered on existence predicates and
// every Skolem term fed the loop. Such quantifiers are now expanded.
TEST_CASE("random spec 27: an alternation without patterns answers", "[differential]") {
  Tally tally;
  auto start = std::chrono::steady_clock::now();
  check_random_spec(27, tally, false);
  // Its attempt for every size once overran a 1 s budget by 100 s: a hang
  // guard, far above the few seconds the whole case takes.
  CHECK(seconds_since(start) < 40);
}

// ------------------------------------------------------------ shipped specs

namespace {

// The shipped policy and scenarios at one scope: the verdicts of ground
// expansion everywhere, kept quantifiers, and the default ground limit agree.
void check_shipped_specs(int size) {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  auto m = model::load_model({test::source_path("specs")}, sources, sink);
  INFO(model::render_all(sink, sources));
  REQUIRE(m);
  auto scope = uniform_scope(*m, size);
  std::vector<std::pair<std::string, std::vector<model::CheckResult>>> runs;
  for (auto [label, limit] : {std::pair<const char*, std::size_t>{"default", solver::SolveOptions{}.ground_limit},
                              {"ground", kExpandAll}, {"quantified", 0}}) {
    auto options = options_with_ground_limit(limit);
    options.timeout_seconds = solver::SolveOptions{}.timeout_seconds;
    runs.emplace_back(label, solver::prove(*m, scope, options));
  }
  const auto& reference = runs.front().second;
  REQUIRE(reference.size() == m->properties.size() + 1);
  for (const auto& [label, results] : runs) {
    INFO("scope " << size << ", " << label << ": " << verdicts_line(results) << "\ndefault: " << verdicts_line(reference));
    REQUIRE(results.size() == reference.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      CHECK(results[i].status != model::Status::Unknown);
      CHECK(model::status_name(results[i].status) == std::string(model::status_name(reference[i].status)));
    }
  }
}

}  // namespace

TEST_CASE("shipped specs: the ground limit does not change a verdict at scopes 2 and 3", "[differential][specs]") {
  check_shipped_specs(2);
  check_shipped_specs(3);
}

// About 40 s here: run by `ctest -C long` (tests/CMakeLists.txt).
TEST_CASE("shipped specs: the ground limit does not change a verdict at scope 4", "[.][long][specs]") {
  check_shipped_specs(4);
}
