#include "solver/smt2.h"

#include <optional>
#include <unordered_map>
#include <vector>

namespace csp::solver {
namespace {

// (_ at-most k) l1 ... ln  ==  (<= (+ (ite l1 1 0) ... (ite ln 1 0)) k), and at-least alike.
std::optional<z3::expr> as_sum(const z3::expr& e, const z3::expr_vector& args) {
  Z3_decl_kind kind = e.decl().decl_kind();
  if (kind != Z3_OP_PB_AT_MOST && kind != Z3_OP_PB_AT_LEAST) return std::nullopt;
  z3::context& ctx = e.ctx();
  z3::expr_vector terms(ctx);
  for (const auto& a : args) terms.push_back(z3::ite(a, ctx.int_val(1), ctx.int_val(0)));
  // SMT-LIB's + takes two terms or more.
  z3::expr sum = terms.empty() ? ctx.int_val(0) : terms.size() == 1 ? terms[0] : z3::sum(terms);
  z3::expr k = ctx.int_val(Z3_get_decl_int_parameter(ctx, e.decl(), 0));
  return kind == Z3_OP_PB_AT_MOST ? sum <= k : sum >= k;
}

// Rewrites cardinality terms wherever they occur outside quantifiers (the
// shrinker asserts them at the top, or behind a guard literal); shared
// subterms are rewritten once.
class Portable {
 public:
  z3::expr rewrite(const z3::expr& e) {
    if (!e.is_app()) return e;  // quantifiers and variables: cardinality terms are never built inside them
    unsigned id = Z3_get_ast_id(e.ctx(), e);
    if (auto found = done_.find(id); found != done_.end()) return found->second;
    z3::expr_vector args(e.ctx());
    bool changed = false;
    for (unsigned i = 0; i < e.num_args(); ++i) {
      args.push_back(rewrite(e.arg(i)));
      changed = changed || !z3::eq(args.back(), e.arg(i));
    }
    z3::expr out = e;
    if (auto sum = as_sum(e, args)) {
      out = *sum;
    } else if (changed) {
      std::vector<Z3_ast> raw;
      for (const auto& a : args) raw.push_back(a);
      out = z3::expr(e.ctx(), Z3_update_term(e.ctx(), e, static_cast<unsigned>(raw.size()), raw.data()));
    }
    done_.emplace(id, out);
    return out;
  }

 private:
  std::unordered_map<unsigned, z3::expr> done_;
};

}  // namespace

std::string standalone_script(const z3::expr_vector& assertions) {
  z3::solver s(assertions.ctx());
  Portable portable;
  for (const auto& a : assertions) s.add(portable.rewrite(a));
  // ALL: the queries mix datatypes, uninterpreted functions, integers and
  // quantifiers; without a logic cvc5 assumes the same, with a warning.
  return "(set-logic ALL)\n" + s.to_smt2();
}

}  // namespace csp::solver
