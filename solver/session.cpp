#include "solver/session.h"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "solver/prover.h"
#include "solver/watchdog.h"

namespace csp::solver {

namespace {
SolverStats g_stats;  // process-wide: --stats reports one number per run
std::mutex g_stats_mutex;  // scenario checks run in parallel threads

bool same(const z3::expr& a, const z3::expr& b) { return z3::eq(a, b); }
}  // namespace

SolverStats solver_stats() {
  std::lock_guard<std::mutex> lock(g_stats_mutex);
  return g_stats;
}

void record_counters(const z3::solver& solver) {
  std::uint64_t conflicts = 0, instantiations = 0;
  z3::stats st = solver.statistics();
  for (unsigned i = 0; i < st.size(); ++i) {
    if (!st.is_uint(i)) continue;
    if (st.key(i) == "conflicts") conflicts += st.uint_value(i);
    if (st.key(i) == "quant instantiations") instantiations += st.uint_value(i);
  }
  std::lock_guard<std::mutex> lock(g_stats_mutex);
  g_stats.conflicts += conflicts;
  g_stats.quantifier_instantiations += instantiations;
}

void record_query(double ms, const z3::solver* solver) {
  if (solver) record_counters(*solver);
  std::lock_guard<std::mutex> lock(g_stats_mutex);
  g_stats.solver_ms += ms;
  ++g_stats.queries;
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Session::Session(const model::Model& model, const model::Scope& scope, std::size_t ground_limit,
                 std::optional<std::chrono::steady_clock::time_point> deadline)
    : model_spec_(model), encoder_(ctx_, model, scope, ground_limit) {
  if (deadline) encoder_.set_deadline(*deadline);
  frames_.emplace_back();
  for (const auto& axiom : encoder_.background()) add(axiom);
  for (const auto& rule : model.rules) {
    indicators_.push_back(ctx_.bool_const(fmt::format("rule!{}", rule.name).c_str()));
    rule_bodies_.push_back(encoder_.formula(rule));
  }
  flush_axioms();
}

void Session::flush_axioms() {
  for (const auto& axiom : encoder_.take_new_axioms()) frames_.front().push_back(axiom);
}

std::vector<int> Session::all_rules() const {
  std::vector<int> ids(model_spec_.rules.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int>(i);
  return ids;
}

int Session::rule_of(const z3::expr& literal) const {
  for (std::size_t r = 0; r < indicators_.size(); ++r) {
    if (same(literal, indicators_[r])) return static_cast<int>(r);
  }
  return -1;
}

std::vector<z3::expr> Session::rule_assumptions(const std::vector<int>& rules) const {
  std::vector<z3::expr> out;
  for (int r : rules) out.push_back(indicators_[r]);
  return out;
}

z3::solver Session::fresh_solver(const std::vector<z3::expr>& assumptions) {
  z3::solver s(ctx_);
  for (const auto& frame : frames_) {
    for (const auto& e : frame) s.add(e);
  }
  for (const auto& a : assumptions) {
    int r = rule_of(a);
    s.add(r >= 0 ? rule_bodies_[r] : a);
  }
  return s;
}

Answer Session::check(const std::vector<int>& rules, double budget_ms) {
  return check_assuming(rule_assumptions(rules), budget_ms);
}

// One attempt with the whole budget. (With the ground encoding, Z3's time
// varied 100x with its random seed and a series of seeded restarts with
// doubling resource limits paid; with kept quantifiers and patterns the
// queries answer in a few hundred instantiations and restarts only repeat
// the preprocessing: bench/README.md.)
Answer Session::check_assuming(const std::vector<z3::expr>& assumptions, double budget_ms) {
  last_assumptions_ = assumptions;
  last_budget_ms_ = budget_ms;
  model_.reset();
  last_core_.reset();
  if (budget_ms <= 0) {
    last_reason_ = "timeout";
    return Answer::Unknown;
  }
  std::optional<z3::solver> fresh;
  if (!incremental_) fresh = fresh_solver(assumptions);
  z3::solver& s = incremental_ ? tracking() : *fresh;
  set_timeout(s, budget_ms);
  z3::expr_vector literals(ctx_);
  if (incremental_) {
    for (const auto& a : assumptions) literals.push_back(a);
  }
  auto start = std::chrono::steady_clock::now();
  Watchdog watchdog(ctx_, budget_ms);
  z3::check_result answer = incremental_ ? s.check(literals) : s.check();
  record_query(elapsed_ms(start), incremental_ ? nullptr : &s);
  switch (answer) {
    case z3::sat: model_ = s.get_model(); return Answer::Sat;
    case z3::unsat:
      if (incremental_) {
        last_core_.emplace();
        for (const auto& literal : s.unsat_core()) last_core_->push_back(literal);
      }
      return Answer::Unsat;
    case z3::unknown: break;
  }
  last_reason_ = s.reason_unknown();
  return Answer::Unknown;
}

z3::solver& Session::tracking() {
  if (!tracking_) tracking_ = tracking_solver();
  return *tracking_;
}

void Session::set_timeout(z3::solver& s, double budget_ms) {
  z3::params p(ctx_);
  p.set("timeout", static_cast<unsigned>(std::clamp(budget_ms, 1.0, 4.0e9)));
  s.set(p);
}

z3::solver Session::tracking_solver() {
  z3::solver s(ctx_);
  for (const auto& frame : frames_) {
    for (const auto& e : frame) s.add(e);
  }
  for (std::size_t r = 0; r < indicators_.size(); ++r) s.add(z3::implies(indicators_[r], rule_bodies_[r]));
  return s;
}

std::vector<z3::expr> Session::core() {
  if (last_core_) return *last_core_;
  // Only now are the assumptions tracked, on a solver of their own.
  z3::solver s = tracking_solver();
  z3::expr_vector literals(ctx_);
  for (const auto& a : last_assumptions_) literals.push_back(a);
  std::vector<z3::expr> out;
  auto start = std::chrono::steady_clock::now();
  set_timeout(s, last_budget_ms_);
  Watchdog watchdog(ctx_, last_budget_ms_);
  z3::check_result answer = s.check(literals);
  record_query(elapsed_ms(start), &s);
  if (answer != z3::unsat) return last_assumptions_;  // no core found: every assumption
  for (const auto& literal : s.unsat_core()) out.push_back(literal);
  return out;
}

std::vector<int> Session::core_rules() {
  std::vector<int> out;
  for (const auto& literal : core()) {
    int r = rule_of(literal);
    if (r >= 0) out.push_back(r);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Deletion on one incremental solver: each trial leaves one literal out;
// when the rest is still unsat, everything outside that trial's core goes
// too. A literal found necessary stays necessary for every subset (dropping
// constraints only adds models), so one pass suffices.
std::optional<std::vector<z3::expr>> Session::minimise(std::vector<z3::expr> literals,
                                                       const std::vector<z3::expr>& keep,
                                                       double budget_ms) {
  auto start = std::chrono::steady_clock::now();
  std::optional<z3::solver> own;
  if (!incremental_) own = tracking_solver();
  z3::solver& s = incremental_ ? tracking() : *own;
  for (std::size_t i = 0; i < literals.size();) {
    double budget = budget_ms - elapsed_ms(start);
    if (budget <= 0) return std::nullopt;
    set_timeout(s, budget);
    z3::expr_vector trial(ctx_);
    for (const auto& k : keep) trial.push_back(k);
    for (std::size_t j = 0; j < literals.size(); ++j) {
      if (j != i) trial.push_back(literals[j]);
    }
    auto check_start = std::chrono::steady_clock::now();
    Watchdog watchdog(ctx_, budget);
    z3::check_result answer = s.check(trial);
    record_query(elapsed_ms(check_start));
    if (answer == z3::unknown) {
      last_reason_ = s.reason_unknown();
      if (own) record_counters(s);
      return std::nullopt;
    }
    if (answer == z3::sat) {
      ++i;
      continue;
    }
    z3::expr_vector core = s.unsat_core();
    std::vector<z3::expr> kept;
    for (std::size_t j = 0; j < literals.size(); ++j) {
      bool in_core = false;
      for (const auto& c : core) in_core = in_core || z3::eq(c, literals[j]);
      if (j != i && (j < i || in_core)) kept.push_back(literals[j]);
    }
    literals = std::move(kept);
  }
  if (own) record_counters(s);
  return literals;
}

// Shrinking runs on one incremental solver under assumptions: each step
// only adds unit literals, so Z3 keeps what it learned, where a fresh solver
// would preprocess and search the whole query again.
Session::Shrinker::Shrinker(Session& session, const std::vector<int>& rules, z3::model& best,
                            std::chrono::steady_clock::time_point deadline)
    : session_(session), solver_(session.fresh_solver(session.rule_assumptions(rules))), best_(best),
      deadline_(deadline) {}

Answer Session::Shrinker::check(const std::vector<z3::expr>& assumptions) {
  double budget = std::chrono::duration<double, std::milli>(deadline_ - std::chrono::steady_clock::now()).count();
  if (budget <= 0) return Answer::Unknown;
  z3::params p(session_.ctx_);
  p.set("timeout", static_cast<unsigned>(std::clamp(budget, 1.0, 4.0e9)));
  solver_.set(p);
  z3::expr_vector literals(session_.ctx_);
  for (const auto& a : assumptions) literals.push_back(a);
  auto start = std::chrono::steady_clock::now();
  Watchdog watchdog(session_.ctx_, budget);
  z3::check_result answer = solver_.check(literals);
  record_query(elapsed_ms(start));
  if (answer == z3::sat) {
    best_ = solver_.get_model();
    return Answer::Sat;
  }
  return answer == z3::unsat ? Answer::Unsat : Answer::Unknown;
}

std::vector<unsigned> Session::Shrinker::entity_counts() const {
  const auto& universe = session_.encoder_.universe();
  std::vector<unsigned> counts;
  for (std::size_t k = 0; k < session_.model_spec_.kinds.size(); ++k) {
    unsigned n = 0;
    for (const auto& atom : *universe.atoms(static_cast<int>(k))) {
      n += best_.eval(universe.exists(static_cast<int>(k), atom), true).is_true() ? 1 : 0;
    }
    counts.push_back(n);
  }
  return counts;
}

// Atoms are used in order, so "at most m entities of kind K" is the single
// literal (not (K_exists K$m)).
std::vector<z3::expr> Session::Shrinker::bounds(const std::vector<unsigned>& counts) const {
  const auto& universe = session_.encoder_.universe();
  std::vector<z3::expr> out;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const auto& atoms = *universe.atoms(static_cast<int>(k));
    if (counts[k] < atoms.size()) out.push_back(!universe.exists(static_cast<int>(k), atoms[counts[k]]));
  }
  return out;
}

// Per kind, one entity fewer while that stays possible with no other kind
// growing; then a single cardinality check proves that no instance has fewer
// entities in total (or finds one, and the descent starts again from it).
bool Session::Shrinker::fewest_entities() {
  std::vector<unsigned> counts = entity_counts();
  for (;;) {
    for (std::size_t k = 0; k < counts.size(); ++k) {
      while (counts[k] > 0) {
        std::vector<unsigned> trial = counts;
        --trial[k];
        Answer answer = check(bounds(trial));
        if (answer == Answer::Unknown) return finish_entities(counts, false);
        if (answer == Answer::Unsat) break;
        counts = entity_counts();
      }
    }
    unsigned total = 0;
    for (unsigned c : counts) total += c;
    if (total == 0) return finish_entities(counts, true);
    z3::expr_vector literals = session_.encoder_.entity_literals();
    solver_.push();
    solver_.add(z3::atmost(literals, total - 1));
    Answer answer = check({});
    solver_.pop();
    if (answer != Answer::Sat) return finish_entities(counts, answer == Answer::Unsat);
    counts = entity_counts();
  }
}

bool Session::Shrinker::finish_entities(const std::vector<unsigned>& counts, bool proved) {
  for (const auto& bound : bounds(counts)) {
    session_.add(bound);
    solver_.add(bound);
  }
  return proved;
}

// Edges: drop each tuple of the instance in turn, keeping every absent one
// absent, so the instance ends with no edge that could be removed. Skipped
// when the instance has many edges (then the graph is reported as found).
bool Session::Shrinker::fewest_tuples(std::size_t max_tuples) {
  z3::expr_vector all = session_.encoder_.tuple_literals();
  auto present = [&]() {
    std::vector<z3::expr> in, out;
    for (const auto& t : all) (best_.eval(t, true).is_true() ? in : out).push_back(t);
    return std::make_pair(in, out);
  };
  auto [in, out] = present();
  if (in.size() > max_tuples) return false;
  std::vector<z3::expr> kept;  // tuples found necessary
  while (!in.empty()) {
    z3::expr candidate = in.back();
    in.pop_back();
    std::vector<z3::expr> assumptions;
    for (const auto& t : out) assumptions.push_back(!t);
    assumptions.push_back(!candidate);
    Answer answer = check(assumptions);
    if (answer == Answer::Unknown) return false;
    if (answer == Answer::Unsat) {
      kept.push_back(candidate);
      continue;
    }
    auto now = present();
    out = now.second;
    in.clear();
    for (const auto& t : now.first) {
      bool necessary = std::any_of(kept.begin(), kept.end(), [&](const z3::expr& k) { return z3::eq(k, t); });
      if (!necessary) in.push_back(t);
    }
  }
  return true;
}

// A generic count (diff: the forbidding side's broken rules), by binary
// search on "at most k of them" with the bound behind an assumption literal.
bool Session::Shrinker::fewest_true(const z3::expr_vector& literals) {
  if (literals.empty()) return true;  // z3::atmost needs a literal
  auto count = [&]() {
    unsigned n = 0;
    for (const auto& l : literals) n += best_.eval(l, true).is_true() ? 1 : 0;
    return n;
  };
  unsigned low = 0, high = count();
  bool proved = true;
  while (low < high) {
    unsigned mid = low + (high - low) / 2;
    z3::expr guard = session_.ctx_.bool_const(fmt::format("atmost!{}", session_.fresh_++).c_str());
    solver_.add(z3::implies(guard, z3::atmost(literals, mid)));
    Answer answer = check({guard});
    if (answer == Answer::Sat) high = std::min(mid, count());
    if (answer == Answer::Unsat) low = mid + 1;
    if (answer == Answer::Unknown) {
      proved = false;
      break;
    }
  }
  session_.add(z3::atmost(literals, high));
  solver_.add(z3::atmost(literals, high));
  return proved;
}

std::optional<std::vector<int>> Session::minimise_core(std::vector<int> rules, double budget_ms) {
  std::vector<z3::expr> literals;
  for (int r : rules) literals.push_back(indicators_[r]);
  auto minimal = minimise(literals, {}, budget_ms);
  if (!minimal) return std::nullopt;
  std::vector<int> out;
  for (const auto& literal : *minimal) out.push_back(rule_of(literal));
  std::sort(out.begin(), out.end());
  return out;
}

z3::expr_vector Session::assertions() {
  z3::expr_vector out(ctx_);
  for (const auto& frame : frames_) {
    for (const auto& e : frame) out.push_back(e);
  }
  for (std::size_t r = 0; r < indicators_.size(); ++r) out.push_back(z3::implies(indicators_[r], rule_bodies_[r]));
  return out;
}

std::string Session::to_smt2(const std::vector<int>& rules) {
  std::vector<z3::expr> assumptions;
  for (int r : rules) assumptions.push_back(indicators_[r]);
  return fresh_solver(assumptions).to_smt2();
}

}  // namespace csp::solver
