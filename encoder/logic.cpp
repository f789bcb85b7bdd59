#include "encoder/logic.h"

#include <cstdint>
#include <unordered_map>

namespace csp::encoder {

z3::expr all_of(z3::context& ctx, const std::vector<z3::expr>& parts) {
  z3::expr_vector kept(ctx);
  for (const auto& p : parts) {
    if (p.is_false()) return p;
    if (!p.is_true()) kept.push_back(p);
  }
  if (kept.empty()) return ctx.bool_val(true);
  return kept.size() == 1 ? kept[0] : z3::mk_and(kept);
}

z3::expr any_of(z3::context& ctx, const std::vector<z3::expr>& parts) {
  z3::expr_vector kept(ctx);
  for (const auto& p : parts) {
    if (p.is_true()) return p;
    if (!p.is_false()) kept.push_back(p);
  }
  if (kept.empty()) return ctx.bool_val(false);
  return kept.size() == 1 ? kept[0] : z3::mk_or(kept);
}

z3::expr both(const z3::expr& a, const z3::expr& b) { return all_of(a.ctx(), {a, b}); }
z3::expr either(const z3::expr& a, const z3::expr& b) { return any_of(a.ctx(), {a, b}); }

z3::expr negation(const z3::expr& a) {
  if (a.is_true()) return a.ctx().bool_val(false);
  if (a.is_false()) return a.ctx().bool_val(true);
  if (a.is_app() && a.decl().decl_kind() == Z3_OP_NOT) return a.arg(0);
  return !a;
}

z3::expr implication(const z3::expr& a, const z3::expr& b) {
  if (a.is_true()) return b;
  if (a.is_false() || b.is_true()) return a.ctx().bool_val(true);
  if (b.is_false()) return negation(a);
  return z3::implies(a, b);
}

bool contains_quantifier(const z3::expr& e) {
  std::vector<z3::expr> todo{e};
  std::unordered_map<unsigned, bool> seen;
  while (!todo.empty()) {
    z3::expr t = todo.back();
    todo.pop_back();
    if (!seen.emplace(t.id(), true).second) continue;
    if (t.is_quantifier()) return true;
    if (t.is_app()) {
      for (unsigned i = 0; i < t.num_args(); ++i) todo.push_back(t.arg(i));
    }
  }
  return false;
}

std::size_t saturating_product(std::size_t a, std::size_t b) {
  if (a != 0 && b > SIZE_MAX / a) return SIZE_MAX;
  return a * b;
}

namespace {

// Which of the quantifier's variables a term uses (bit i: vars[i]), and
// whether it may serve in a pattern: uninterpreted applications over
// variables and constants only (no arithmetic, no connectives, no ite).
struct TermInfo {
  std::uint64_t vars = 0;
  bool pattern_safe = false;
  bool is_variable = false;  // one of the quantifier's own variables
};

class PatternFinder {
 public:
  PatternFinder(const z3::expr_vector& vars, const std::function<bool(const z3::func_decl&)>& skip)
      : vars_(vars), skip_(skip) {
    all_ = vars.size() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << vars.size()) - 1;
  }

  std::vector<Pattern> find(const z3::expr& body) {
    visit(body);
    std::vector<Pattern> singles;
    for (const auto& t : candidates_) {
      if (info_.at(t.id()).vars == all_ && !has_covering_argument(t)) singles.push_back({t});
    }
    if (!singles.empty()) return singles;
    // No one term uses every variable: one multi-pattern, a term per variable.
    Pattern multi;
    std::uint64_t covered = 0;
    for (const auto& t : candidates_) {
      std::uint64_t v = info_.at(t.id()).vars;
      if ((v & ~covered) != 0 && !has_argument_with(t, v)) {
        multi.push_back(t);
        covered |= v;
      }
    }
    if (covered != all_) return {};
    return {multi};
  }

 private:
  const TermInfo& visit(const z3::expr& e) {
    auto found = info_.find(e.id());
    if (found != info_.end()) return found->second;
    TermInfo info;
    if (e.is_app()) {
      for (unsigned i = 0; i < vars_.size(); ++i) {
        if (z3::eq(e, vars_[i])) {
          info.vars = std::uint64_t{1} << i;
          info.is_variable = true;
        }
      }
      bool uninterpreted = e.decl().decl_kind() == Z3_OP_UNINTERPRETED;
      info.pattern_safe = uninterpreted || (e.num_args() == 0 && e.decl().decl_kind() == Z3_OP_DT_CONSTRUCTOR);
      for (unsigned i = 0; i < e.num_args(); ++i) {
        const TermInfo& arg = visit(e.arg(i));
        info.vars |= arg.vars;
        info.pattern_safe = info.pattern_safe && arg.pattern_safe;
      }
      if (uninterpreted && e.num_args() > 0 && info.vars != 0 && info.pattern_safe && !skip_(e.decl())) {
        candidates_.push_back(e);
      }
    }
    // Quantified subterms (nested quantifiers) are never patterns, and the
    // variables they bind are not ours: nothing to record.
    return info_.emplace(e.id(), info).first->second;
  }

  bool has_covering_argument(const z3::expr& t) const { return has_argument_with(t, all_); }

  // Whether a smaller term inside `t` (not a bare variable) already uses `vars`.
  bool has_argument_with(const z3::expr& t, std::uint64_t vars) const {
    for (unsigned i = 0; i < t.num_args(); ++i) {
      const TermInfo& arg = info_.at(t.arg(i).id());
      if (!arg.is_variable && (arg.vars & vars) == vars) return true;
    }
    return false;
  }

  const z3::expr_vector& vars_;
  const std::function<bool(const z3::func_decl&)>& skip_;
  std::uint64_t all_ = 0;
  std::unordered_map<unsigned, TermInfo> info_;
  std::vector<z3::expr> candidates_;  // in discovery order: deterministic output
};

}  // namespace

std::vector<Pattern> choose_patterns(const z3::expr& body, const z3::expr_vector& vars,
                                     const std::function<bool(const z3::func_decl&)>& skip) {
  if (vars.empty() || vars.size() > 64) return {};
  return PatternFinder(vars, skip).find(body);
}

z3::expr quantified(bool forall, const z3::expr_vector& vars, const std::vector<Pattern>& patterns,
                    const z3::expr& body) {
  z3::context& ctx = body.ctx();
  std::vector<Z3_app> bound;
  for (unsigned i = 0; i < vars.size(); ++i) bound.push_back(reinterpret_cast<Z3_app>(static_cast<Z3_ast>(vars[i])));
  std::vector<Z3_pattern> made;
  std::vector<z3::ast> held;  // a fresh AST has no reference until wrapped: the next call could free it
  for (const auto& p : patterns) {
    std::vector<Z3_ast> terms;
    for (const auto& t : p) terms.push_back(t);
    made.push_back(Z3_mk_pattern(ctx, static_cast<unsigned>(terms.size()), terms.data()));
    ctx.check_error();
    held.emplace_back(ctx, reinterpret_cast<Z3_ast>(made.back()));
  }
  Z3_ast q = forall ? Z3_mk_forall_const(ctx, 0, static_cast<unsigned>(bound.size()), bound.data(),
                                         static_cast<unsigned>(made.size()), made.data(), body)
                    : Z3_mk_exists_const(ctx, 0, static_cast<unsigned>(bound.size()), bound.data(),
                                         static_cast<unsigned>(made.size()), made.data(), body);
  ctx.check_error();
  return z3::expr(ctx, q);
}

}  // namespace csp::encoder
