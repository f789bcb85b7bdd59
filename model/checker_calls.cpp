// Calls in expressions: `name(args)` resolves to a relation, a table
// (membership or lookup) or a define; `^name(a, b)` / `*name(a, b)` to the
// closure of a binary relation or define. Arity and argument types are checked.
#include <fmt/format.h>

#include "model/checker_internal.h"

namespace csp::model::checking {

void ExprChecker::check_call(Expr& expr) {
  expr.type = Type{};
  const Callable* callable = find_callable(expr);
  if (!callable) return;
  switch (callable->kind) {
    case Callable::Kind::Relation: check_relation_call(expr, callable->id); return;
    case Callable::Kind::Table: check_table_call(expr, callable->id); return;
    case Callable::Kind::Define: check_define_call(expr, callable->id); return;
  }
}

void ExprChecker::check_relation_call(Expr& expr, int relation) {
  const RelationDecl& decl = checker_.model_.relations[relation];
  checker_.relation_used_[relation] = true;
  if (!check_arity(expr, "relation", decl.name, decl.params.size())) return;
  bool ok = check_arguments(expr, decl.name, decl.params);
  expr.kind = ExprKind::RelationCall;
  expr.id = relation;
  if (ok) expr.type = Type{TypeKind::Bool};
}

void ExprChecker::check_define_call(Expr& expr, int define) {
  const DefineDecl& decl = checker_.model_.defines[define];
  if (define_ >= 0) checker_.define_calls_[define_].push_back({define, expr.range});
  if (!check_arity(expr, "define", decl.name, decl.params.size())) return;
  bool ok = check_arguments(expr, decl.name, decl.params);
  expr.kind = ExprKind::DefineCall;
  expr.id = define;
  if (ok) expr.type = Type{TypeKind::Bool};
}

// n arguments test membership; n-1 look the last column up, which needs the
// first n-1 columns to determine it (a missing key yields `none`).
void ExprChecker::check_table_call(Expr& expr, int table) {
  const TableDecl& decl = checker_.model_.tables[table];
  std::size_t columns = decl.params.size();
  bool lookup = columns >= 2 && expr.args.size() + 1 == columns;
  if (lookup && !decl.functional) {
    check_loose_arguments(expr);
    auto [first, second] = checker_.table_conflict_[table];
    std::string key = columns == 2 ? "first column does not" : fmt::format("first {} columns do not", columns - 1);
    Diagnostic& d = checker_.error(expr.range,
                                   fmt::format("table `{}` cannot be looked up: its {} determine the last",
                                               decl.name, key),
                                   code::kNotFunctional);
    d.help = fmt::format("call it with {} to test membership", plural(columns, "argument"));
    if (second >= 0) {
      d.notes.push_back({decl.rows[second].range,
                         fmt::format("row {} has the same key as row {}", second + 1, first + 1)});
    }
    return;
  }
  if (!lookup && expr.args.size() != columns) {
    check_loose_arguments(expr);
    std::string takes = decl.functional ? fmt::format("{} or {}", columns - 1, plural(columns, "argument"))
                                        : plural(columns, "argument");
    checker_.error(expr.range,
                   fmt::format("table `{}` takes {}, got {}", decl.name, takes, expr.args.size()),
                   code::kArity);
    return;
  }
  bool ok = check_arguments(expr, decl.name, decl.params);
  expr.kind = ExprKind::TableCall;
  expr.id = table;
  expr.table_lookup = lookup;
  if (!ok) return;
  if (!lookup) {
    expr.type = Type{TypeKind::Bool};
  } else if (Type last = decl.params.back().type.type; !is_error(last)) {
    expr.type = last;
    expr.type.optional = true;
  }
}

void ExprChecker::check_closure(Expr& expr) {
  expr.type = Type{};
  const Callable* callable = find_callable(expr);
  if (!callable) return;
  SourceRange name_range = checker_.name_range(expr.range, expr.name);
  auto cannot = [&](std::string why) {
    check_loose_arguments(expr);
    checker_.error(name_range, fmt::format("cannot take the closure of `{}`: {}", expr.name, why),
                   code::kBadClosure);
  };
  const std::vector<Param>* params = nullptr;
  switch (callable->kind) {
    case Callable::Kind::Relation:
      params = &checker_.model_.relations[callable->id].params;
      checker_.relation_used_[callable->id] = true;
      break;
    case Callable::Kind::Define:
      params = &checker_.model_.defines[callable->id].params;
      if (define_ >= 0) checker_.define_calls_[define_].push_back({callable->id, expr.range});
      break;
    case Callable::Kind::Table: return cannot("it is a table, and closures need a relation or a define");
  }
  if (params->size() != 2) return cannot(fmt::format("it takes {}, not 2", plural(params->size(), "argument")));
  Type from = (*params)[0].type.type;
  Type to = (*params)[1].type.type;
  if (is_error(from) || is_error(to)) return check_loose_arguments(expr);
  if (!same_base(from, to)) {
    return cannot(fmt::format("its parameters have different types `{}` and `{}`", checker_.type_str(from),
                              checker_.type_str(to)));
  }
  if (!check_arity(expr, "closure of", expr.name, 2)) return;
  bool ok = check_arguments(expr, expr.name, *params);
  expr.id = callable->id;
  expr.closure_of_define = callable->kind == Callable::Kind::Define;
  if (ok) expr.type = Type{TypeKind::Bool};
}

const Callable* ExprChecker::find_callable(Expr& call) {
  const Callable* callable = checker_.find_callable(call.name);
  if (!callable) {
    check_loose_arguments(call);
    checker_.suggest(checker_.error(checker_.name_range(call.range, call.name),
                                    fmt::format("unknown relation `{}`", call.name), code::kUnknownRelation),
                     call.name, checker_.callable_names());
  }
  return callable;
}

bool ExprChecker::check_arguments(Expr& call, const std::string& callee, const std::vector<Param>& params) {
  bool ok = true;
  for (std::size_t i = 0; i < call.args.size() && i < params.size(); ++i) {
    Expr& arg = *call.args[i];
    Type expected = params[i].type.type;
    // A `none` argument is well typed; membership with it is simply false.
    if (arg.kind == ExprKind::NoneLit) {
      arg.type = expected;
      arg.type.optional = !is_error(expected);
      ok = ok && !is_error(expected);
      continue;
    }
    check(arg);
    if (is_error(arg.type) || is_error(expected)) {
      ok = false;
    } else if (!same_base(arg.type, expected)) {
      checker_.error(arg.range,
                     fmt::format("argument {} of `{}` must be `{}`, got `{}`", i + 1, callee,
                                 checker_.type_str(expected), checker_.type_str(arg.type)),
                     code::kTypeMismatch);
      ok = false;
    }
  }
  return ok;
}

void ExprChecker::check_loose_arguments(Expr& call) {
  for (auto& arg : call.args) {
    if (arg->kind != ExprKind::NoneLit) check(*arg);
  }
}

bool ExprChecker::check_arity(Expr& call, std::string_view what, const std::string& callee,
                              std::size_t expected) {
  if (call.args.size() == expected) return true;
  check_loose_arguments(call);
  checker_.error(call.range,
                 fmt::format("{} `{}` takes {}, got {}", what, callee, plural(expected, "argument"),
                             call.args.size()),
                 code::kArity);
  return false;
}

}  // namespace csp::model::checking
