#include "encoder/universe.h"

#include <fmt/format.h>

namespace csp::encoder {
namespace {

class BoundedUniverse final : public Universe {
 public:
  BoundedUniverse(z3::context& ctx, const model::Model& model, const model::Scope& scope)
      : ctx_(ctx) {
    for (std::size_t k = 0; k < model.kinds.size(); ++k) add_kind(model.kinds[k].name, k, scope.size[k]);
  }

  z3::sort sort(int kind) const override { return kinds_[kind].sort; }
  z3::expr exists(int kind, const z3::expr& atom) const override { return kinds_[kind].exists(atom); }
  z3::func_decl exists_decl(int kind) const override { return kinds_[kind].exists; }
  const std::vector<z3::expr>* atoms(int kind) const override { return &kinds_[kind].atoms; }
  std::vector<z3::expr> atoms_in(const z3::model&, int kind) const override { return kinds_[kind].atoms; }

  z3::expr_vector axioms() const override {
    z3::expr_vector out(ctx_);
    for (const auto& k : kinds_) {
      // (assert (=> (K_exists K$i+1) (K_exists K$i)))   -- atoms are used in order
      for (std::size_t i = 0; i + 1 < k.atoms.size(); ++i) {
        out.push_back(z3::implies(k.exists(k.atoms[i + 1]), k.exists(k.atoms[i])));
      }
      // A kind with scope 0 still needs one atom for its sort; it never exists.
      if (k.empty) out.push_back(!k.exists(k.atoms[0]));
    }
    return out;
  }

 private:
  struct Kind {
    z3::sort sort;
    z3::func_decl exists;
    std::vector<z3::expr> atoms;
    bool empty;
  };

  void add_kind(const std::string& name, std::size_t id, int size) {
    // (declare-datatypes () ((K!n K$0 K$1 ...)))  -- generated names: spec names
    // need not be valid SMT identifiers, and the decoder never parses names.
    unsigned n = size > 0 ? static_cast<unsigned>(size) : 1u;
    std::vector<std::string> names;
    for (unsigned i = 0; i < n; ++i) names.push_back(fmt::format("{}${}", name, i));
    std::vector<const char*> cnames;
    for (const auto& s : names) cnames.push_back(s.c_str());
    z3::func_decl_vector constructors(ctx_), testers(ctx_);
    std::string sort_name = fmt::format("K{}_{}", id, name);
    z3::sort sort = ctx_.enumeration_sort(sort_name.c_str(), n, cnames.data(), constructors, testers);
    std::vector<z3::expr> atoms;
    for (unsigned i = 0; i < n; ++i) atoms.push_back(constructors[i]());
    z3::func_decl exists = ctx_.function(fmt::format("{}_exists", sort_name).c_str(), sort, ctx_.bool_sort());
    kinds_.push_back(Kind{sort, exists, std::move(atoms), size <= 0});
  }

  z3::context& ctx_;
  std::vector<Kind> kinds_;
};

class UnboundedUniverse final : public Universe {
 public:
  UnboundedUniverse(z3::context& ctx, const model::Model& model) : ctx_(ctx) {
    for (std::size_t k = 0; k < model.kinds.size(); ++k) {
      // (declare-sort K0_Org 0) (declare-fun K0_Org_exists (K0_Org) Bool)
      std::string name = fmt::format("K{}_{}", k, model.kinds[k].name);
      z3::sort sort = ctx.uninterpreted_sort(name.c_str());
      kinds_.push_back({sort, ctx.function(fmt::format("{}_exists", name).c_str(), sort, ctx.bool_sort())});
    }
  }

  z3::sort sort(int kind) const override { return kinds_[kind].sort; }
  z3::expr exists(int kind, const z3::expr& atom) const override { return kinds_[kind].exists(atom); }
  z3::func_decl exists_decl(int kind) const override { return kinds_[kind].exists; }
  const std::vector<z3::expr>* atoms(int) const override { return nullptr; }
  std::vector<z3::expr> atoms_in(const z3::model& m, int kind) const override {
    std::vector<z3::expr> out;
    // A sort the model never mentions has no universe in it: no entity of that kind.
    for (unsigned i = 0; i < Z3_model_get_num_sorts(ctx_, m); ++i) {
      if (!Z3_is_eq_sort(ctx_, Z3_model_get_sort(ctx_, m, i), kinds_[kind].sort)) continue;
      z3::expr_vector elements(ctx_, Z3_model_get_sort_universe(ctx_, m, kinds_[kind].sort));
      for (const auto& e : elements) out.push_back(e);
    }
    return out;
  }
  z3::expr_vector axioms() const override { return z3::expr_vector(ctx_); }

 private:
  struct Kind {
    z3::sort sort;
    z3::func_decl exists;
  };
  z3::context& ctx_;
  std::vector<Kind> kinds_;
};

}  // namespace

std::unique_ptr<Universe> make_unbounded_universe(z3::context& ctx, const model::Model& model) {
  return std::make_unique<UnboundedUniverse>(ctx, model);
}

std::unique_ptr<Universe> make_bounded_universe(z3::context& ctx, const model::Model& model,
                                                const model::Scope& scope) {
  return std::make_unique<BoundedUniverse>(ctx, model, scope);
}

}  // namespace csp::encoder
