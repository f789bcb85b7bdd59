// Merging the two sides of a diff into one set of files for check(): the
// vocabulary united by name, each side's rules, defines and differing tables
// renamed `side:name` so both rule sets live in one model.
#include "model/merge.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "model/frontend.h"

namespace csp::model {

namespace {

constexpr const char* kMergeConflict = "E0401";

ExprPtr clone_or_null(const ExprPtr& expr) { return expr ? expr->clone() : nullptr; }

std::optional<MessageTemplate> clone_message(const std::optional<MessageTemplate>& message) {
  if (!message) return std::nullopt;
  MessageTemplate copy;
  copy.written = message->written;
  copy.range = message->range;
  for (const auto& part : message->parts) copy.parts.push_back({part.text, clone_or_null(part.expr)});
  return copy;
}

std::vector<ExprPtr> clone_all(const std::vector<ExprPtr>& exprs) {
  std::vector<ExprPtr> out;
  for (const auto& e : exprs) out.push_back(clone_or_null(e));
  return out;
}

TableDecl clone_table(const TableDecl& table) {
  TableDecl copy;
  copy.name = table.name;
  copy.range = table.range;
  copy.params = table.params;
  copy.csv = table.csv;
  copy.functional = table.functional;
  copy.extent = table.extent;
  for (const auto& row : table.rows) copy.rows.push_back({clone_all(row.cells), row.range});
  return copy;
}

DefineDecl clone_define(const DefineDecl& define) {
  DefineDecl copy;
  copy.name = define.name;
  copy.range = define.range;
  copy.params = define.params;
  copy.body = clone_or_null(define.body);
  copy.slot_count = define.slot_count;
  copy.extent = define.extent;
  return copy;
}

FormulaDecl clone_formula(const FormulaDecl& formula) {
  FormulaDecl copy;
  copy.name = formula.name;
  copy.range = formula.range;
  copy.description = formula.description;
  copy.source = formula.source;
  copy.message = clone_message(formula.message);
  copy.body = clone_or_null(formula.body);
  copy.slot_count = formula.slot_count;
  copy.expect = formula.expect;
  copy.expect_range = formula.expect_range;
  copy.extent = formula.extent;
  return copy;
}

ScenarioDecl clone_scenario(const ScenarioDecl& scenario) {
  ScenarioDecl copy;
  copy.name = scenario.name;
  copy.range = scenario.range;
  copy.description = scenario.description;
  copy.source = scenario.source;
  copy.expect = scenario.expect;
  copy.expect_by = scenario.expect_by;
  copy.expect_range = scenario.expect_range;
  copy.extent = scenario.extent;
  for (const auto& entity : scenario.entities) {
    ScenarioEntity e;
    e.name = entity.name;
    e.range = entity.range;
    e.kind = entity.kind;
    for (const auto& a : entity.assignments) {
      e.assignments.push_back({a.attribute, a.range, clone_or_null(a.value), a.attribute_id});
    }
    copy.entities.push_back(std::move(e));
  }
  for (const auto& fact : scenario.facts) {
    copy.facts.push_back({fact.relation, fact.range, clone_all(fact.args), fact.relation_id});
  }
  return copy;
}

template <typename T, typename Clone>
std::vector<T> clone_each(const std::vector<T>& items, Clone clone) {
  std::vector<T> out;
  for (const auto& item : items) out.push_back(clone(item));
  return out;
}

SpecFile clone_file(const SpecFile& file) {
  SpecFile copy;
  copy.file = file.file;
  copy.includes = file.includes;
  copy.enums = file.enums;
  copy.kinds = file.kinds;
  copy.relations = file.relations;
  copy.tables = clone_each(file.tables, clone_table);
  copy.defines = clone_each(file.defines, clone_define);
  copy.rules = clone_each(file.rules, clone_formula);
  copy.properties = clone_each(file.properties, clone_formula);
  copy.scenarios = clone_each(file.scenarios, clone_scenario);
  copy.scopes = file.scopes;
  for (const PatchDecl& patch : file.patches) {
    PatchDecl& patched = copy.patches.emplace_back();
    patched.action = patch.action;
    patched.what = patch.what;
    patched.name = patch.name;
    patched.range = patch.range;
    patched.action_range = patch.action_range;
    if (patch.declaration) patched.declaration = std::make_unique<SpecFile>(clone_file(*patch.declaration));
  }
  return copy;
}

// ------------------------------------------------------------- comparison

std::string type_text(const TypeRef& type) { return type.name + (type.optional ? "?" : ""); }

std::string params_text(const std::vector<Param>& params) {
  std::vector<std::string> types;
  for (const auto& p : params) types.push_back(type_text(p.type));
  return fmt::format("({})", fmt::join(types, ", "));
}

// Literal cells as parsed: equal text means equal contents.
std::string cell_text(const Expr& cell) {
  return fmt::format("{}:{}:{}", static_cast<int>(cell.kind), cell.value, cell.name);
}

bool same_table(const TableDecl& a, const TableDecl& b) {
  if (a.params.size() != b.params.size() || a.rows.size() != b.rows.size()) return false;
  for (std::size_t i = 0; i < a.params.size(); ++i) {
    if (a.params[i].name != b.params[i].name || type_text(a.params[i].type) != type_text(b.params[i].type)) {
      return false;
    }
  }
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    const auto& x = a.rows[r].cells;
    const auto& y = b.rows[r].cells;
    if (x.size() != y.size()) return false;
    for (std::size_t c = 0; c < x.size(); ++c) {
      if (!x[c] || !y[c] || cell_text(*x[c]) != cell_text(*y[c])) return false;
    }
  }
  return true;
}

// ------------------------------------------------------------- renaming

// Points every call (and closure) of a side's body at the side's own copy
// of a renamed define or table.
void rename_calls(Expr& expr, DiffSide side, const std::set<std::string>& renamed) {
  if ((expr.kind == ExprKind::Call || expr.kind == ExprKind::Closure) && renamed.count(expr.name)) {
    expr.name = side_qualified(side, expr.name);
  }
  for (auto& arg : expr.args) rename_calls(*arg, side, renamed);
}

ExprPtr make_expr(ExprKind kind, SourceRange range) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->range = range;
  return e;
}

// `forall it: Kind | it.attr != none`, for the side that declares `attr` non-optional.
FormulaDecl never_none_rule(DiffSide side, const EntityKind& kind, const Attribute& attr) {
  auto var = make_expr(ExprKind::Name, attr.range);
  var->name = "it";
  auto dot = make_expr(ExprKind::Dot, attr.range);
  dot->name = attr.name;
  dot->args.push_back(std::move(var));
  auto ne = make_expr(ExprKind::Ne, attr.range);
  ne->args.push_back(std::move(dot));
  ne->args.push_back(make_expr(ExprKind::NoneLit, attr.range));
  auto forall = make_expr(ExprKind::Forall, attr.range);
  Binding binding;
  binding.name = "it";
  binding.range = attr.range;
  binding.kind.name = kind.name;
  binding.kind.range = attr.range;
  forall->bindings.push_back(binding);
  forall->args.push_back(std::move(ne));

  FormulaDecl rule;
  rule.name = side_qualified(side, fmt::format("{}.{}", kind.name, attr.name));
  rule.range = attr.range;
  rule.description = fmt::format("`{}.{}` is never `none`: this side declares it `{}`", kind.name, attr.name,
                                 type_text(attr.type));
  rule.body = std::move(forall);
  return rule;
}

// ------------------------------------------------------------- the merge

class Merger {
 public:
  explicit Merger(DiagnosticSink& sink) : sink_(sink) {}

  void add_vocabulary(const std::vector<SpecFile>& files, DiffSide side) {
    for (const auto& file : files) {
      for (const auto& e : file.enums) add_enum(e);
      for (const auto& k : file.kinds) add_kind(k);
      for (const auto& r : file.relations) add_relation(r);
      for (const auto& t : file.tables) tables_[side == DiffSide::Base ? 0 : 1].push_back(&t);
    }
  }

  void add_rules(const std::vector<SpecFile>& files, DiffSide side) {
    std::set<std::string> renamed = side_tables_[side_index(side)];
    for (const auto& file : files) {
      for (const auto& d : file.defines) renamed.insert(d.name);
    }
    SpecFile out;
    out.file = -1;
    for (const auto& file : files) {
      for (const auto& t : file.tables) {
        if (!renamed.count(t.name)) continue;
        out.tables.push_back(clone_table(t));
        out.tables.back().name = side_qualified(side, t.name);
      }
      for (const auto& d : file.defines) {
        out.defines.push_back(clone_define(d));
        out.defines.back().name = side_qualified(side, d.name);
        if (out.defines.back().body) rename_calls(*out.defines.back().body, side, renamed);
      }
      for (const auto& r : file.rules) {
        out.rules.push_back(clone_formula(r));
        out.rules.back().name = side_qualified(side, r.name);
        if (out.rules.back().body) rename_calls(*out.rules.back().body, side, renamed);
      }
    }
    for (auto& rule : implied_rules_[side_index(side)]) out.rules.push_back(std::move(rule));
    sides_.push_back(std::move(out));
  }

  // Identical tables are shared; a table the sides declare differently (or
  // only one side declares) under a name both use is kept once per side.
  void split_tables() {
    std::map<std::string, const TableDecl*> base_by_name;
    for (const TableDecl* t : tables_[0]) base_by_name.emplace(t->name, t);
    std::set<std::string> proposed_names;
    for (const TableDecl* t : tables_[1]) {
      proposed_names.insert(t->name);
      auto base = base_by_name.find(t->name);
      if (base == base_by_name.end()) {
        shared_tables_.push_back(t);  // only the proposed side has it: vocabulary like any other
      } else if (!same_table(*base->second, *t)) {
        side_tables_[0].insert(t->name);
        side_tables_[1].insert(t->name);
      }
    }
    for (const TableDecl* t : tables_[0]) {
      if (!side_tables_[0].count(t->name)) shared_tables_.push_back(t);
    }
  }

  std::vector<SpecFile> take() {
    SpecFile vocabulary;
    vocabulary.file = -1;
    vocabulary.enums = std::move(enums_);
    vocabulary.kinds = std::move(kinds_);
    vocabulary.relations = std::move(relations_);
    for (const TableDecl* t : shared_tables_) vocabulary.tables.push_back(clone_table(*t));
    std::vector<SpecFile> out;
    out.push_back(std::move(vocabulary));
    for (auto& side : sides_) out.push_back(std::move(side));
    return out;
  }

 private:
  static int side_index(DiffSide side) { return side == DiffSide::Base ? 0 : 1; }

  void add_enum(const EnumDecl& decl) {
    auto it = enum_index_.find(decl.name);
    if (it == enum_index_.end()) {
      enum_index_.emplace(decl.name, enums_.size());
      enums_.push_back(decl);
      return;
    }
    EnumDecl& merged = enums_[it->second];
    for (std::size_t v = 0; v < decl.values.size(); ++v) {
      if (std::find(merged.values.begin(), merged.values.end(), decl.values[v]) != merged.values.end()) continue;
      merged.values.push_back(decl.values[v]);
      merged.value_ranges.push_back(v < decl.value_ranges.size() ? decl.value_ranges[v] : decl.range);
    }
  }

  void add_kind(const EntityKind& kind) {
    auto it = kind_index_.find(kind.name);
    if (it == kind_index_.end()) {
      kind_index_.emplace(kind.name, kinds_.size());
      kinds_.push_back(kind);
      return;
    }
    EntityKind& merged = kinds_[it->second];
    for (const Attribute& attr : kind.attributes) {
      int index = merged.attribute_index(attr.name);
      if (index < 0) {
        merged.attributes.push_back(attr);
        continue;
      }
      Attribute& existing = merged.attributes[index];
      if (existing.type.name != attr.type.name) {
        conflict(attr.range,
                 fmt::format("attribute `{}.{}` is `{}` in base and `{}` in proposed", kind.name, attr.name,
                             type_text(existing.type), type_text(attr.type)),
                 existing.range);
      } else if (existing.type.optional != attr.type.optional) {
        // The wider type is merged; the narrower side keeps its promise as a rule.
        bool base_narrower = !existing.type.optional;
        DiffSide narrower = base_narrower ? DiffSide::Base : DiffSide::Proposed;
        implied_rules_[side_index(narrower)].push_back(never_none_rule(narrower, kind, base_narrower ? existing : attr));
        existing.type.optional = true;
      }
    }
  }

  void add_relation(const RelationDecl& relation) {
    auto it = relation_index_.find(relation.name);
    if (it == relation_index_.end()) {
      relation_index_.emplace(relation.name, relations_.size());
      relations_.push_back(relation);
      return;
    }
    const RelationDecl& existing = relations_[it->second];
    if (params_text(existing.params) != params_text(relation.params)) {
      conflict(relation.range,
               fmt::format("relation `{}` is `{}{}` in base and `{}{}` in proposed", relation.name, relation.name,
                           params_text(existing.params), relation.name, params_text(relation.params)),
               existing.range);
    }
  }

  void conflict(SourceRange at, std::string message, SourceRange base) {
    Diagnostic& d = sink_.error(at, std::move(message), kMergeConflict);
    d.notes.push_back({base, "the base side declares it here"});
    d.help = "a diff compares both rule sets over one vocabulary; rename the symbol on one side";
  }

  DiagnosticSink& sink_;
  std::vector<EnumDecl> enums_;
  std::vector<EntityKind> kinds_;
  std::vector<RelationDecl> relations_;
  std::map<std::string, std::size_t> enum_index_, kind_index_, relation_index_;
  std::vector<const TableDecl*> tables_[2];
  std::vector<const TableDecl*> shared_tables_;
  std::set<std::string> side_tables_[2];  // names of tables kept once per side
  std::vector<FormulaDecl> implied_rules_[2];
  std::vector<SpecFile> sides_;
};

template <typename Decl>
bool declares(const std::vector<SpecFile>& files, std::vector<Decl> SpecFile::*member, const std::string& name) {
  for (const auto& file : files) {
    for (const auto& decl : file.*member) {
      if (decl.name == name) return true;
    }
  }
  return false;
}

// The other side's properties and scenarios that `own` does not declare,
// one candidate file each, so each can be kept or dropped on its own.
std::vector<SpecFile> borrowed_tests(const std::vector<SpecFile>& own, const std::vector<SpecFile>& other) {
  std::vector<SpecFile> out;
  for (const auto& file : other) {
    for (const auto& p : file.properties) {
      if (declares(own, &SpecFile::properties, p.name)) continue;
      out.emplace_back().properties.push_back(clone_formula(p));
    }
    for (const auto& s : file.scenarios) {
      if (declares(own, &SpecFile::scenarios, s.name)) continue;
      out.emplace_back().scenarios.push_back(clone_scenario(s));
    }
  }
  return out;
}

std::optional<Model> check_quietly(std::vector<SpecFile> files, const SourceManager& sources) {
  DiagnosticSink ignored;
  return check(std::move(files), sources, ignored);
}

std::vector<SpecFile> with(const std::vector<SpecFile>& own, const std::vector<SpecFile>& extra) {
  std::vector<SpecFile> files = clone_files(own);
  for (const auto& f : extra) files.push_back(clone_file(f));
  return files;
}

// `own` with every borrowed test that type-checks against it (a test that
// names a symbol this side lacks is left to the side that declares it).
std::optional<Model> checks_model(const std::vector<SpecFile>& own, const std::vector<SpecFile>& other,
                                  const SourceManager& sources) {
  std::vector<SpecFile> borrowed = borrowed_tests(own, other);
  if (auto all = check_quietly(with(own, borrowed), sources)) return all;
  std::vector<SpecFile> fitting;
  for (auto& test : borrowed) {
    std::vector<SpecFile> one;
    one.push_back(clone_file(test));
    if (check_quietly(with(own, one), sources)) fitting.push_back(std::move(test));
  }
  return check_quietly(with(own, fitting), sources);
}

}  // namespace

std::string_view side_name(DiffSide side) {
  switch (side) {
    case DiffSide::Base: return "base";
    case DiffSide::Proposed: return "proposed";
  }
  return "base";
}

std::string side_qualified(DiffSide side, std::string_view name) {
  return fmt::format("{}:{}", side_name(side), name);
}

std::optional<std::pair<DiffSide, std::string>> split_side(std::string_view merged_name) {
  for (DiffSide side : {DiffSide::Base, DiffSide::Proposed}) {
    std::string prefix = fmt::format("{}:", side_name(side));
    if (merged_name.substr(0, prefix.size()) == prefix) {
      return std::make_pair(side, std::string(merged_name.substr(prefix.size())));
    }
  }
  return std::nullopt;
}

std::string strip_side_qualifiers(std::string text) {
  for (DiffSide side : {DiffSide::Base, DiffSide::Proposed}) {
    std::string prefix = fmt::format("{}:", side_name(side));
    for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
      bool starts_word = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_');
      if (starts_word) {
        text.erase(at, prefix.size());
      } else {
        at += prefix.size();
      }
    }
  }
  return text;
}

std::vector<SpecFile> clone_files(const std::vector<SpecFile>& files) { return clone_each(files, clone_file); }

std::optional<std::vector<SpecFile>> merge_sides(const std::vector<SpecFile>& base,
                                                 const std::vector<SpecFile>& proposed, DiagnosticSink& sink) {
  std::size_t errors_before = sink.error_count();
  Merger merger(sink);
  merger.add_vocabulary(base, DiffSide::Base);
  merger.add_vocabulary(proposed, DiffSide::Proposed);
  merger.split_tables();
  merger.add_rules(base, DiffSide::Base);
  merger.add_rules(proposed, DiffSide::Proposed);
  if (sink.error_count() > errors_before) return std::nullopt;
  return merger.take();
}

std::optional<DiffModels> build_diff_models(const std::vector<SpecFile>& base, const std::vector<SpecFile>& proposed,
                                            const SourceManager& sources, DiagnosticSink& sink) {
  auto base_model = check(clone_files(base), sources, sink);
  auto proposed_model = check(clone_files(proposed), sources, sink);
  if (!base_model || !proposed_model || sink.has_errors()) return std::nullopt;

  auto files = merge_sides(base, proposed, sink);
  if (!files) return std::nullopt;
  // The sides check on their own, so an error here comes from uniting them
  // (say, a value name two enums now share). The sides' warnings would repeat.
  DiagnosticSink merge_sink;
  std::optional<Model> merged = check(std::move(*files), sources, merge_sink);
  if (!merged || merge_sink.has_errors()) {
    sink.error({}, "the two sides cannot be checked over their united vocabulary", kMergeConflict);
    for (const auto& d : merge_sink.all()) {
      if (d.severity == Severity::Error) sink.add(d);
    }
    return std::nullopt;
  }
  auto base_checks = checks_model(base, proposed, sources);
  auto proposed_checks = checks_model(proposed, base, sources);
  if (!base_checks || !proposed_checks) {
    sink.error({}, "internal error: a side's model no longer checks with the other side's tests added", kMergeConflict);
    return std::nullopt;
  }
  return DiffModels{std::move(*base_model), std::move(*proposed_model), std::move(*base_checks),
                    std::move(*proposed_checks), std::move(*merged)};
}

std::vector<DiffCheck> diff_checks(const DiffModels& models) {
  std::vector<DiffCheck> checks{{CheckResult::Kind::Consistency, "rules"}};  // the consistency check's result name
  auto add = [&](CheckResult::Kind kind, const std::string& name) {
    bool known = std::any_of(checks.begin(), checks.end(),
                             [&](const DiffCheck& c) { return c.kind == kind && c.name == name; });
    if (!known) checks.push_back({kind, name});
  };
  const Model* sides[] = {&models.base_checks, &models.proposed_checks};
  for (const Model* side : sides) {
    for (const auto& p : side->properties) add(CheckResult::Kind::Property, p.name);
  }
  for (const Model* side : sides) {
    for (const auto& s : side->scenarios) add(CheckResult::Kind::Scenario, s.name);
  }
  return checks;
}

}  // namespace csp::model
