#include "solver/session.h"

#include <algorithm>
#include <mutex>
#include <new>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "model/stop.h"
#include "solver/prover.h"
#include "solver/smt2.h"
#include "solver/watchdog.h"

namespace csp::solver {

namespace {
SolverStats g_stats;  // process-wide: --stats reports one number per run
std::mutex g_stats_mutex;  // scenario checks run in parallel threads

bool same(const z3::expr& a, const z3::expr& b) { return z3::eq(a, b); }
}  // namespace

std::string why_unknown(const std::string& z3_reason) {
  return model::stop_requested() ? model::interrupted_reason() : z3_reason;
}

std::optional<std::string> out_of_memory_reason(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e)) return "out of memory";
  // Z3 reports a failed allocation (Z3_MEMOUT_FAIL) as an exception with this message.
  if (auto* z3_error = dynamic_cast<const z3::exception*>(&e);
      z3_error && std::string_view(z3_error->msg()).find("out of memory") != std::string_view::npos) {
    return "out of memory in Z3";
  }
  // The watchdog thread could not start: the same shortage, seen by the kernel.
  if (auto* system = dynamic_cast<const std::system_error*>(&e);
      system && system->code() == std::errc::resource_unavailable_try_again) {
    return "out of memory: cannot start a thread";
  }
  return std::nullopt;
}

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
  encode_rules(deadline);
}

Session::Session(const model::Model& model, Unbounded, std::optional<std::chrono::steady_clock::time_point> deadline)
    : model_spec_(model), encoder_(ctx_, model) {
  encode_rules(deadline);
}

void Session::encode_rules(std::optional<std::chrono::steady_clock::time_point> deadline) {
  const model::Model& model = model_spec_;
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
  if (model::stop_requested()) {
    last_reason_ = model::interrupted_reason();
    return Answer::Unknown;
  }
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
  watchdog.finish();
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
  last_reason_ = why_unknown(s.reason_unknown());
  return Answer::Unknown;
}

Answer Session::check_within(const std::vector<int>& rules, const std::vector<z3::expr>& bounds, double budget_ms) {
  std::vector<z3::expr> assumptions = rule_assumptions(rules);
  last_assumptions_ = assumptions;
  last_assumptions_.insert(last_assumptions_.end(), bounds.begin(), bounds.end());
  last_budget_ms_ = budget_ms;
  model_.reset();
  last_core_.reset();
  if (model::stop_requested() || budget_ms <= 0) {
    last_reason_ = model::stop_requested() ? model::interrupted_reason() : "timeout";
    return Answer::Unknown;
  }
  z3::solver s = fresh_solver(assumptions);
  set_timeout(s, budget_ms);
  z3::expr_vector literals(ctx_);
  for (const auto& b : bounds) literals.push_back(b);
  auto start = std::chrono::steady_clock::now();
  Watchdog watchdog(ctx_, budget_ms);
  z3::check_result answer = s.check(literals);
  watchdog.finish();
  record_query(elapsed_ms(start), &s);
  if (answer == z3::sat) {
    model_ = s.get_model();
    return Answer::Sat;
  }
  if (answer == z3::unsat) return Answer::Unsat;
  last_reason_ = why_unknown(s.reason_unknown());
  return Answer::Unknown;
}

std::string Session::to_smt2_within(const std::vector<int>& rules, const std::vector<z3::expr>& bounds) {
  std::vector<z3::expr> assumptions = rule_assumptions(rules);
  assumptions.insert(assumptions.end(), bounds.begin(), bounds.end());
  return to_smt2(assumptions);
}

z3::solver& Session::tracking() {
  if (!tracking_) tracking_ = tracking_solver();
  return *tracking_;
}

void Session::set_timeout(z3::solver& s, double budget_ms) {
  z3::params params = query_params(ctx_, budget_ms);
  if (encoder_.unbounded()) {
    // A forall-exists over unbounded sorts can feed E-matching a loop whose
    // rounds grow until one outlasts the deadline by minutes (Z3 4.8.12
    // looks at its timer only between rounds: random spec 27 ran 100 s on a
    // 1 s budget). Capping the instances per check bounds each round; the
    // shipped proofs need a few hundred at most. The cap can only turn an
    // answer into unknown, never change it: instances are consequences, and
    // a sat answer is re-checked by the evaluator.
    params.set("smt.qi.max_instances", static_cast<unsigned>(std::clamp(budget_ms * 2, 1000.0, 20000.0)));
  }
  s.set(params);
}

z3::params query_params(z3::context& ctx, double budget_ms) {
  z3::params p(ctx);
  p.set("timeout", static_cast<unsigned>(std::clamp(budget_ms, 1.0, 4.0e9)));
  p.set("ctrl_c", false);
  return p;
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
  watchdog.finish();
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
  Shrunk shrunk = shrink(std::move(literals), keep, budget_ms, {});
  if (!shrunk.minimal) return std::nullopt;
  return shrunk.literals;
}

// With options.verify, `checked` says whether the current set was answered
// unsat by a check itself: a set cut down to a step's core was not, and is
// asked once more at the end (unless a later step asked it); should that
// fail, the last set a check did answer unsat is returned.
Session::Shrunk Session::shrink(std::vector<z3::expr> literals, const std::vector<z3::expr>& keep,
                                double budget_ms, ShrinkOptions options) {
  auto start = std::chrono::steady_clock::now();
  std::optional<z3::solver> own;
  if (!incremental_) own = tracking_solver();
  z3::solver& s = incremental_ ? tracking() : *own;
  Shrunk out;
  std::vector<z3::expr> last_checked = literals;  // the last set answered unsat (first: the caller's word)
  bool checked = true;
  // One check of `subset` (with `keep`) within what is left, a step at most step_ms.
  auto ask = [&](const std::vector<z3::expr>& subset, bool whole_budget = false) {
    double budget = budget_ms - elapsed_ms(start);
    if (budget <= 0 || model::stop_requested()) {
      last_reason_ = why_unknown("timeout");
      return z3::unknown;
    }
    if (options.step_ms > 0 && !whole_budget) budget = std::min(budget, options.step_ms);
    set_timeout(s, budget);
    z3::expr_vector trial(ctx_);
    for (const auto& k : keep) trial.push_back(k);
    for (const auto& literal : subset) trial.push_back(literal);
    auto check_start = std::chrono::steady_clock::now();
    Watchdog watchdog(ctx_, budget);
    z3::check_result answer = s.check(trial);
    watchdog.finish();
    record_query(elapsed_ms(check_start));
    if (answer == z3::unknown) last_reason_ = why_unknown(s.reason_unknown());
    return answer;
  };
  // The literals of `literals` in the last check's core, in their order.
  auto in_core = [&](const std::vector<z3::expr>& from, std::optional<std::size_t> skip) {
    z3::expr_vector core = s.unsat_core();
    std::vector<z3::expr> kept;
    for (std::size_t j = 0; j < from.size(); ++j) {
      if (skip && j == *skip) continue;
      bool found = false;
      for (const auto& c : core) found = found || z3::eq(c, from[j]);
      if (found || (skip && j < *skip)) kept.push_back(from[j]);
    }
    return kept;
  };
  bool finished = true;
  if (options.core_first) {
    if (ask(literals, true) != z3::unsat) {
      finished = false;
    } else {
      std::vector<z3::expr> core = in_core(literals, std::nullopt);
      checked = core.size() == literals.size();
      literals = std::move(core);
    }
  }
  for (std::size_t i = 0; finished && i < literals.size();) {
    std::vector<z3::expr> trial = literals;
    trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(i));
    z3::check_result answer = ask(trial);
    if (answer == z3::unknown) {
      // A stop request or the whole budget gone ends it; a step's own limit does not.
      if (!options.keep_undecided || model::stop_requested() || budget_ms - elapsed_ms(start) <= 0) {
        finished = false;
        break;
      }
      ++i;
      continue;
    }
    if (answer == z3::sat) {
      ++i;
      continue;
    }
    // Everything before i was found needed; after it, only what the core kept.
    std::vector<z3::expr> kept = in_core(literals, i);
    checked = kept.size() == trial.size();
    last_checked = std::move(trial);
    literals = std::move(kept);
  }
  if (options.verify && !checked && ask(literals, true) != z3::unsat) {
    literals = std::move(last_checked);  // a core that claimed too much, or no time left to ask
    finished = false;
  }
  if (own) record_counters(s);
  out.literals = std::move(literals);
  out.minimal = finished;
  return out;
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

// Atoms are used in order, so "at most m entities of kind K" is the single
// literal (not (K_exists K$m)).
std::vector<z3::expr> Session::size_bounds(const std::vector<unsigned>& counts) const {
  const auto& universe = encoder_.universe();
  std::vector<z3::expr> out;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const auto* atoms = universe.atoms(static_cast<int>(k));
    if (atoms && counts[k] < atoms->size()) out.push_back(!universe.exists(static_cast<int>(k), (*atoms)[counts[k]]));
  }
  return out;
}

std::vector<z3::expr> Session::small_instance_bounds() const {
  return size_bounds(std::vector<unsigned>(model_spec_.kinds.size(), kSmallInstance));
}

std::string Session::to_smt2(const std::vector<int>& rules) { return to_smt2(rule_assumptions(rules)); }

// The one-shot solver of the assumptions is that query (an incremental check
// differs only by the rules not assumed, each behind a free indicator).
std::string Session::to_smt2(const std::vector<z3::expr>& assumptions) {
  return standalone_script(fresh_solver(assumptions).assertions());
}

std::string Session::unknown_reason(double budget_seconds) const {
  if (last_reason_ != "timeout" && last_reason_ != "canceled") return last_reason_;
  return fmt::format("timeout after {:.0f} s", budget_seconds);
}

}  // namespace csp::solver
