#include "model/premise.h"

#include <algorithm>

namespace csp::model {

namespace {

ExprPtr node(ExprKind kind, SourceRange range) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->range = range;
  e->type = Type{TypeKind::Bool};
  return e;
}

ExprPtr truth(SourceRange range) {
  ExprPtr e = node(ExprKind::BoolLit, range);
  e->value = 1;
  return e;
}

bool is_true(const Expr& e) { return e.kind == ExprKind::BoolLit && e.value != 0; }

// `parts` joined by `kind` (And / Or), dropping `true` from an And: the
// evaluator and the encoder take n-ary And/Or, but not with fewer than two.
ExprPtr join(ExprKind kind, std::vector<ExprPtr> parts, SourceRange range) {
  if (kind == ExprKind::And) {
    std::erase_if(parts, [](const ExprPtr& p) { return is_true(*p); });
    if (parts.empty()) return truth(range);
  } else if (std::any_of(parts.begin(), parts.end(), [](const ExprPtr& p) { return is_true(*p); })) {
    return truth(range);
  }
  if (parts.size() == 1) return std::move(parts.front());
  ExprPtr e = node(kind, range);
  e->args = std::move(parts);
  return e;
}

ExprPtr negated(const Expr& e) {
  ExprPtr n = node(ExprKind::Not, e.range);
  n->args.push_back(e.clone());
  return n;
}

class PremiseBuilder {
 public:
  ExprPtr build(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Forall: {
        ExprPtr inner = build(*e.args[0]);
        ExprPtr q = node(ExprKind::Exists, e.range);
        q->bindings = e.bindings;
        q->args.push_back(std::move(inner));
        return q;
      }
      case ExprKind::Implies: {
        conditional_ = true;
        std::vector<ExprPtr> parts;
        parts.push_back(e.args[0]->clone());
        parts.push_back(build(*e.args[1]));
        return join(ExprKind::And, std::move(parts), e.range);
      }
      case ExprKind::Or: {
        conditional_ = true;
        std::vector<ExprPtr> parts;
        for (std::size_t i = 0; i + 1 < e.args.size(); ++i) parts.push_back(negated(*e.args[i]));
        parts.push_back(build(*e.args.back()));
        return join(ExprKind::And, std::move(parts), e.range);
      }
      case ExprKind::And: {
        std::vector<ExprPtr> parts;
        for (const auto& arg : e.args) parts.push_back(build(*arg));
        return join(ExprKind::Or, std::move(parts), e.range);
      }
      default: return truth(e.range);
    }
  }
  bool conditional() const { return conditional_; }

 private:
  bool conditional_ = false;
};

}  // namespace

Premise premise_of(const FormulaDecl& rule) {
  Premise premise;
  premise.formula.name = rule.name;
  premise.formula.range = rule.range;
  premise.formula.description = rule.description;
  premise.formula.source = rule.source;
  premise.formula.slot_count = rule.slot_count;
  if (!rule.body) return premise;
  PremiseBuilder builder;
  premise.formula.body = builder.build(*rule.body);
  premise.conditional = builder.conditional();
  return premise;
}

}  // namespace csp::model
