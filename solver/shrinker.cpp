// Shrinking a model to a minimal counterexample or witness (Session::Shrinker).
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "solver/session.h"
#include "solver/smt2.h"
#include "solver/watchdog.h"

namespace csp::solver {

// Shrinking runs on one incremental solver under assumptions: each step
// only adds unit literals, so Z3 keeps what it learned, where a fresh solver
// would preprocess and search the whole query again.
Session::Shrinker::Shrinker(Session& session, const std::vector<int>& rules, z3::model& best,
                            std::chrono::steady_clock::time_point deadline, QueryItem* queries)
    : session_(session), solver_(session.fresh_solver(session.rule_assumptions(rules))), best_(best),
      deadline_(deadline), queries_(queries), one_shot_(!session.small_instance_bounds().empty()) {}

Answer Session::Shrinker::check(const std::vector<z3::expr>& assumptions, const char* step) {
  if (!queries_) return solve(assumptions);
  double budget = std::chrono::duration<double, std::milli>(deadline_ - std::chrono::steady_clock::now()).count();
  queries_->asking("minimise", step, budget, [&]() {
    z3::expr_vector query = solver_.assertions();  // standalone: the assumptions asserted
    for (const auto& a : assumptions) query.push_back(a);
    return standalone_script(query);
  });
  Answer answer = solve(assumptions);
  queries_->answered(answer);
  return answer;
}

Answer Session::Shrinker::solve(const std::vector<z3::expr>& assumptions) {
  double budget = std::chrono::duration<double, std::milli>(deadline_ - std::chrono::steady_clock::now()).count();
  if (budget <= 0) return Answer::Unknown;
  std::optional<z3::solver> fresh;
  if (one_shot_) {
    // The bounds as facts: Z3's preprocessing then drops every atom beyond
    // them, which assumptions on the incremental solver never do.
    fresh.emplace(session_.ctx_);
    for (const auto& e : solver_.assertions()) fresh->add(e);
    for (const auto& a : assumptions) fresh->add(a);
  }
  z3::solver& s = fresh ? *fresh : solver_;
  z3::params params = query_params(session_.ctx_, budget);
  params.set("rlimit", rlimit_);  // also resets a steering limit on the incremental solver
  s.set(params);
  z3::expr_vector literals(session_.ctx_);
  if (!fresh) {
    for (const auto& a : assumptions) literals.push_back(a);
  }
  auto start = std::chrono::steady_clock::now();
  Watchdog watchdog(session_.ctx_, budget);
  z3::check_result answer = s.check(literals);
  watchdog.finish();
  record_query(elapsed_ms(start), fresh ? &*fresh : nullptr);
  if (answer == z3::sat) {
    best_ = s.get_model();
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

std::vector<z3::expr> Session::Shrinker::bounds(const std::vector<unsigned>& counts) const {
  return session_.size_bounds(counts);
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
        Answer answer = check(bounds(trial), "entities");
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
    // Implied (no kind has more entities than the total), and stated so that
    // Z3 propagates it at once: the atoms beyond total - 1 of every kind go.
    std::vector<unsigned> each(counts.size(), total - 1);
    Answer answer = check(bounds(each), "cardinality");
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
    Answer answer = check(assumptions, "tuples");
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

// Soft preferences, greedily: each attribute in turn takes its first
// preferred value that keeps the query satisfiable with the instance's shape
// (atoms, edges, references, `none`s) fixed. Every answer kept is a model of
// the same query, so the verdict cannot change; an unknown answer (the
// resource limit), the last of kSteeringChecks checks, or the check's own
// deadline ends the steering with the last model found.
void Session::Shrinker::natural_values() {
  const encoder::Encoder& encoder = session_.encoder_;
  std::vector<z3::expr> kept;
  for (const auto& e : encoder.shape_of(best_)) kept.push_back(e);
  std::vector<encoder::Encoder::ValuePreference> preferences = encoder.value_preferences(best_);
  if (preferences.empty()) return;
  rlimit_ = kSteeringRlimit;
  unsigned checks_left = kSteeringChecks;
  auto steer = [&](const std::vector<z3::expr>& assumptions) {
    --checks_left;
    return check(assumptions, "values");
  };
  // Every first choice at once: often they agree, and one check settles them all.
  std::vector<z3::expr> all_first = kept;
  for (const auto& preference : preferences) all_first.push_back(preference.choices.front());
  if (steer(all_first) == Answer::Sat) {
    rlimit_ = 0;
    return;
  }
  for (const auto& preference : preferences) {
    if (checks_left == 0) break;
    bool stop = false;
    for (const auto& choice : preference.choices) {
      if (best_.eval(choice, true).is_true()) {  // already so: keep it without a check
        kept.push_back(choice);
        break;
      }
      if (checks_left == 0) {
        stop = true;
        break;
      }
      kept.push_back(choice);
      Answer answer = steer(kept);
      if (answer == Answer::Sat) break;
      kept.pop_back();
      if (answer == Answer::Unknown) {
        stop = true;
        break;
      }
    }
    if (stop) break;
  }
  rlimit_ = 0;
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
    Answer answer = check({guard}, "blame");
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

}  // namespace csp::solver
