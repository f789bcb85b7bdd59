// The type checker's entry point: merges the parsed files into one Model and
// runs the passes in dependency order; also the whole-model checks (define
// recursion, unused relations) and the checker's shared helpers.
#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "model/checker_internal.h"
#include "model/frontend.h"

namespace csp::model {

namespace {

template <typename T>
void append(std::vector<T>& into, std::vector<T>& from) {
  std::move(from.begin(), from.end(), std::back_inserter(into));
}

}  // namespace

std::optional<Model> check(std::vector<SpecFile> files, const SourceManager& sources,
                           DiagnosticSink& sink) {
  // A patch that does not apply would only cause errors about what it patches.
  if (!apply_patches(files, sources, sink)) return std::nullopt;
  Model model;
  std::vector<ScopeDecl> scopes;
  std::vector<int> file_order(sources.size(), std::numeric_limits<int>::max());
  for (std::size_t i = 0; i < files.size(); ++i) {
    SpecFile& file = files[i];
    if (file.file >= 0 && static_cast<std::size_t>(file.file) < file_order.size()) {
      file_order[file.file] = static_cast<int>(i);
    }
    append(model.enums, file.enums);
    append(model.kinds, file.kinds);
    append(model.relations, file.relations);
    append(model.tables, file.tables);
    append(model.defines, file.defines);
    append(model.rules, file.rules);
    append(model.properties, file.properties);
    append(model.scenarios, file.scenarios);
    append(scopes, file.scopes);
    append(model.imports, file.imports);
  }

  checking::Checker checker(model, sources, sink, std::move(file_order));
  checker.declare_names();
  checker.resolve_declaration_types();
  checker.apply_scopes(scopes);
  // Tables before bodies: whether a table may be looked up depends on its rows.
  checker.check_tables();
  checker.check_defines();
  checker.check_formulas(model.rules, "rule");
  checker.check_formulas(model.properties, "property");
  checker.check_define_recursion();
  checker.check_scenarios();
  checker.check_imports();
  checker.warn_unused_relations();
  if (!sink.has_errors()) checker.verify_resolved();

  if (sink.has_errors()) return std::nullopt;
  return model;
}

namespace checking {

Checker::Checker(Model& model, const SourceManager& sources, DiagnosticSink& sink,
                 std::vector<int> file_order)
    : model_(model), sources_(sources), sink_(sink), file_order_(std::move(file_order)) {
  define_calls_.resize(model.defines.size());
  relation_used_.resize(model.relations.size(), false);
  table_conflict_.resize(model.tables.size(), {-1, -1});
}

// A define is expanded where it is used, so a cycle in the call graph would
// never finish expanding. Depth-first search in declaration order reports the
// call that closes each cycle, once. The search keeps its own stack: a chain
// of many thousands of defines must not overflow the process's.
void Checker::check_define_recursion() {
  enum class Mark { Unvisited, OnPath, Done };
  std::vector<Mark> marks(model_.defines.size(), Mark::Unvisited);
  std::vector<int> path;               // the defines being visited, outermost first
  std::vector<std::size_t> next_edge;  // per entry of `path`: the next of its calls to follow
  std::vector<int> callees_first;      // finished defines, each after the defines it calls
  bool cyclic = false;

  for (std::size_t root = 0; root < model_.defines.size(); ++root) {
    if (marks[root] != Mark::Unvisited) continue;
    marks[root] = Mark::OnPath;
    path.push_back(static_cast<int>(root));
    next_edge.push_back(0);
    while (!path.empty()) {
      int define = path.back();
      const std::vector<DefineEdge>& edges = define_calls_[define];
      if (next_edge.back() == edges.size()) {
        marks[define] = Mark::Done;
        callees_first.push_back(define);
        path.pop_back();
        next_edge.pop_back();
        continue;
      }
      const DefineEdge& edge = edges[next_edge.back()++];
      if (marks[edge.callee] == Mark::OnPath) {
        cyclic = true;
        auto start = std::find(path.begin(), path.end(), edge.callee);
        std::string cycle;
        for (auto it = start; it != path.end(); ++it) {
          cycle += fmt::format("`{}` -> ", model_.defines[*it].name);
        }
        cycle += fmt::format("`{}`", model_.defines[edge.callee].name);
        error(edge.range, fmt::format("recursive define `{}`: {}", model_.defines[edge.callee].name, cycle),
              code::kRecursiveDefine)
            .help = "a define is expanded where it is used, so it cannot call itself";
      } else if (marks[edge.callee] == Mark::Unvisited) {
        marks[edge.callee] = Mark::OnPath;
        path.push_back(edge.callee);
        next_edge.push_back(0);
      }
    }
  }
  if (!cyclic) check_expanded_heights(callees_first);
}

// The evaluator and the encoder expand a define call in place, so the depth
// they recurse to is the body's height plus that of the defines it calls,
// through any chain of defines. The parser bounds each body; this bounds the
// expansion. Each error is reported once, at the innermost call that makes
// its body too deep.
void Checker::check_expanded_heights(const std::vector<int>& callees_first) {
  std::vector<int> expanded(model_.defines.size(), 0);
  std::vector<bool> too_deep(model_.defines.size(), false);
  auto is_call = [&](const Expr& e) {
    bool call = e.kind == ExprKind::DefineCall || (e.kind == ExprKind::Closure && e.closure_of_define);
    return call && e.id >= 0 && static_cast<std::size_t>(e.id) < expanded.size();
  };
  // Recursion over one body is bounded by the parser (kMaxExprHeight).
  std::function<int(const Expr&)> height = [&](const Expr& e) {
    int h = 1;
    for (const auto& arg : e.args) h = std::max(h, height(*arg) + 1);
    if (is_call(e)) h = std::max(h, expanded[e.id] + kDefineCallLevels);
    return h;
  };
  // The call in `body` that expands deepest; null when there is none or it is already reported.
  std::function<const Expr*(const Expr&)> deepest_call = [&](const Expr& e) -> const Expr* {
    const Expr* best = is_call(e) ? &e : nullptr;
    for (const auto& arg : e.args) {
      const Expr* call = deepest_call(*arg);
      if (call && (!best || expanded[call->id] > expanded[best->id])) best = call;
    }
    return best;
  };
  auto check_body = [&](const Expr& body) {
    int h = height(body);
    if (h <= kMaxExprHeight) return false;
    const Expr* call = deepest_call(body);
    if (!call || too_deep[call->id]) return true;  // the callee's own error covers it
    error(call->range,
          fmt::format("expression nested too deeply once defines are expanded: more than {} levels", kMaxExprHeight),
          code::kTooDeep)
        .help = fmt::format("defines are expanded where they are used (each call adds {} levels), and `{}` alone "
                            "expands to {} levels",
                            kDefineCallLevels, model_.defines[call->id].name, expanded[call->id]);
    return true;
  };
  for (int define : callees_first) {
    const Expr* body = model_.defines[define].body.get();
    if (!body) continue;
    too_deep[define] = check_body(*body);
    expanded[define] = height(*body);
  }
  for (const auto* formulas : {&model_.rules, &model_.properties}) {
    for (const FormulaDecl& formula : *formulas) {
      if (formula.body) check_body(*formula.body);
    }
  }
}

// The Model's INVARIANT (no unresolved form, no Error type) is what every
// later stage relies on. A pass that failed without saying why would break it
// silently, so this last walk turns such a gap into a visible error.
void Checker::verify_resolved() {
  std::function<bool(const Expr&)> resolved = [&](const Expr& expr) {
    bool unresolved = expr.kind == ExprKind::Name || expr.kind == ExprKind::Call || expr.kind == ExprKind::Dot;
    if (unresolved || is_error(expr.type)) {
      error(expr.range, "internal error: the type checker left this expression untyped", code::kInternal);
      return false;
    }
    for (const auto& arg : expr.args) {
      if (!resolved(*arg)) return false;
    }
    return true;
  };
  for (const DefineDecl& define : model_.defines) resolved(*define.body);
  for (const auto* formulas : {&model_.rules, &model_.properties}) {
    for (const FormulaDecl& formula : *formulas) {
      resolved(*formula.body);
      if (!formula.message) continue;
      for (const auto& part : formula.message->parts) {
        if (part.expr) resolved(*part.expr);
      }
    }
  }
  for (const TableDecl& table : model_.tables) {
    for (const auto& row : table.rows) {
      for (const auto& cell : row.cells) resolved(*cell);
    }
  }
  for (const ScenarioDecl& scenario : model_.scenarios) {
    for (const ScenarioEntity& entity : scenario.entities) {
      for (const auto& assignment : entity.assignments) {
        if (assignment.value) resolved(*assignment.value);
      }
    }
    for (const ScenarioFact& fact : scenario.facts) {
      for (const auto& arg : fact.args) resolved(*arg);
    }
  }
}

void Checker::warn_unused_relations() {
  for (std::size_t i = 0; i < model_.relations.size(); ++i) {
    if (relation_used_[i]) continue;
    const RelationDecl& relation = model_.relations[i];
    sink_.warning(relation.range, fmt::format("relation `{}` is never used", relation.name),
                  code::kUnusedRelation);
  }
}

Diagnostic& Checker::error(SourceRange range, std::string message, const char* code) {
  return sink_.error(range, std::move(message), code);
}

void Checker::report_duplicate(SourceRange at, std::string message, SourceRange previous) {
  error(at, std::move(message), code::kDuplicate).notes.push_back({previous, "previous declaration is here"});
}

void Checker::report_unknown_attribute(SourceRange range, const EntityKind& kind, const std::string& name) {
  std::vector<std::string> attributes;
  for (const Attribute& attr : kind.attributes) attributes.push_back(attr.name);
  suggest(error(range, fmt::format("entity `{}` has no attribute `{}`", kind.name, name), code::kUnknownAttribute),
          name, attributes);
}

void Checker::suggest(Diagnostic& diagnostic, std::string_view name,
                      const std::vector<std::string>& candidates) const {
  std::string match = closest_match(name, candidates);
  if (!match.empty()) diagnostic.help = fmt::format("did you mean `{}`?", match);
}

std::string_view Checker::text(SourceRange range) const {
  if (!range.valid() || static_cast<std::size_t>(range.file) >= sources_.size()) return {};
  std::string_view all = sources_.text(range.file);
  if (range.begin > range.end || range.end > all.size()) return {};
  return all.substr(range.begin, range.end - range.begin);
}

// Finds `name` as a whole word, so `p` is not found inside `partnership(p)`.
SourceRange Checker::name_range(SourceRange range, std::string_view name, bool last) const {
  std::string_view written = text(range);
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  auto whole_word = [&](std::size_t at) {
    std::size_t end = at + name.size();
    return (at == 0 || !word_char(written[at - 1])) && (end == written.size() || !word_char(written[end]));
  };
  if (name.empty()) return range;
  std::size_t at = last ? written.rfind(name) : written.find(name);
  while (at != std::string_view::npos && !whole_word(at)) {
    if (last && at == 0) return range;
    at = last ? written.rfind(name, at - 1) : written.find(name, at + 1);
  }
  if (at == std::string_view::npos) return range;
  auto begin = range.begin + static_cast<std::uint32_t>(at);
  return {range.file, begin, begin + static_cast<std::uint32_t>(name.size())};
}

std::string plural(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

}  // namespace checking
}  // namespace csp::model
