// Text changes between two checked models, declaration by declaration. Each
// kind of declaration is described as a list of named aspects (body,
// description, ...); two versions differ in the aspects whose text differs.
#include "model/changes.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "model/evaluator.h"

namespace csp::model {

namespace {

using Aspects = std::vector<std::pair<std::string, std::string>>;  // (aspect, text)

std::string params_text(const Model& model, const std::vector<Param>& params) {
  std::vector<std::string> out;
  for (const auto& p : params) out.push_back(fmt::format("{}: {}", p.name, type_name(model, p.type.type)));
  return fmt::format("({})", fmt::join(out, ", "));
}

std::string body_text(const Model& model, const ExprPtr& body) { return body ? to_string(model, *body) : "true"; }

const char* expect_text(FormulaDecl::Expect expect) {
  switch (expect) {
    case FormulaDecl::Expect::None: return "";
    case FormulaDecl::Expect::Proved: return "expect proved";
    case FormulaDecl::Expect::Violated: return "expect violated";
  }
  return "";
}

std::string expect_text(const ScenarioDecl& scenario) {
  switch (scenario.expect) {
    case ScenarioDecl::Expect::None: return "";
    case ScenarioDecl::Expect::Allowed: return "expect allowed";
    case ScenarioDecl::Expect::Forbidden:
      if (scenario.expect_by.empty()) return "expect forbidden";
      return fmt::format("expect forbidden by {}", fmt::join(scenario.expect_by, ", "));
  }
  return "";
}

Aspects formula_aspects(const Model& model, const FormulaDecl& f) {
  return {{"body", body_text(model, f.body)}, {"description", f.description}, {"source", f.source},
          {"expectation", expect_text(f.expect)}, {"message", f.message ? f.message->written : ""}};
}

Aspects define_aspects(const Model& model, const DefineDecl& d) {
  return {{"body", body_text(model, d.body)}, {"parameters", params_text(model, d.params)}};
}

Aspects relation_aspects(const Model& model, const RelationDecl& r) {
  return {{"parameters", params_text(model, r.params)}};
}

Aspects table_aspects(const Model& model, const TableDecl& t) {
  std::vector<std::string> rows;
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (const auto& cell : row.cells) cells.push_back(cell ? to_string(model, *cell) : "?");
    rows.push_back(fmt::format("({})", fmt::join(cells, ", ")));
  }
  std::sort(rows.begin(), rows.end());  // a table is a set of rows
  return {{"rows", fmt::format("{}", fmt::join(rows, ", "))}, {"columns", params_text(model, t.params)}};
}

Aspects scenario_aspects(const Model& model, const ScenarioDecl& s) {
  return {{"contents", scenario_text(model, s)}, {"expectation", expect_text(s)}, {"description", s.description},
          {"source", s.source}};
}

class Comparer {
 public:
  Comparer(const Model& base, const Model& proposed) : base_(base), proposed_(proposed) {}

  std::vector<Change> take() { return std::move(changes_); }

  // Declarations matched by name; `aspects` describes one version of one.
  template <typename Decl, typename Describe>
  void compare(const std::vector<Decl>& base, const std::vector<Decl>& proposed, const char* what, bool vocabulary,
               Describe aspects) {
    for (const Decl& b : base) {
      const Decl* p = find(proposed, b.name);
      if (!p) {
        add(Change::Action::Removed, what, b.name, b.range, {}, vocabulary);
        continue;
      }
      Aspects before = aspects(base_, b), after = aspects(proposed_, *p);
      Change change{Change::Action::Modified, what, b.name, {}, "", "", b.range, p->range, vocabulary, {}, {}};
      for (std::size_t i = 0; i < before.size(); ++i) {
        if (before[i].second == after[i].second) continue;
        if (change.aspects.empty()) {
          change.before = before[i].second;
          change.after = after[i].second;
        }
        change.aspects.push_back(before[i].first);
      }
      if (change.aspects.empty()) continue;
      if constexpr (requires { b.extent; }) {
        change.base_extent = b.extent;
        change.proposed_extent = p->extent;
      }
      changes_.push_back(std::move(change));
    }
    for (const Decl& p : proposed) {
      if (!find(base, p.name)) add(Change::Action::Added, what, p.name, {}, p.range, vocabulary);
    }
  }

  void compare_enums() {
    for (const EnumDecl& b : base_.enums) {
      const EnumDecl* p = find(proposed_.enums, b.name);
      if (!p) continue;
      for (std::size_t v = 0; v < b.values.size(); ++v) {
        if (index_of(p->values, b.values[v]) < 0) {
          add(Change::Action::Removed, "enum value", b.name + "." + b.values[v], value_range(b, v), {}, true);
        }
      }
      for (std::size_t v = 0; v < p->values.size(); ++v) {
        if (index_of(b.values, p->values[v]) < 0) {
          add(Change::Action::Added, "enum value", b.name + "." + p->values[v], {}, value_range(*p, v), true);
        }
      }
    }
  }

  void compare_attributes() {
    for (const EntityKind& b : base_.kinds) {
      const EntityKind* p = find(proposed_.kinds, b.name);
      if (!p) continue;
      for (const Attribute& attr : b.attributes) {
        std::string name = b.name + "." + attr.name;
        int index = p->attribute_index(attr.name);
        if (index < 0) {
          add(Change::Action::Removed, "attribute", name, attr.range, {}, true);
          continue;
        }
        const Attribute& other = p->attributes[index];
        std::string before = type_name(base_, attr.type.type), after = type_name(proposed_, other.type.type);
        if (before != after) {
          changes_.push_back({Change::Action::Modified, "attribute", name, {"type"}, before, after, attr.range,
                              other.range, true, {}, {}});
        }
      }
      for (const Attribute& attr : p->attributes) {
        if (b.attribute_index(attr.name) < 0) add(Change::Action::Added, "attribute", b.name + "." + attr.name, {}, attr.range, true);
      }
    }
  }

  // The spec's own scope lines (command-line overrides apply to both sides alike).
  void compare_scopes() {
    if (base_.default_scope != proposed_.default_scope) {
      changes_.push_back({Change::Action::Modified, "scope", "default", {"size"}, std::to_string(base_.default_scope),
                          std::to_string(proposed_.default_scope), {}, {}, false, {}, {}});
    }
    for (std::size_t k = 0; k < base_.kinds.size(); ++k) {
      int other = proposed_.find_kind(base_.kinds[k].name);
      if (other < 0) continue;
      int before = scope_of(base_, static_cast<int>(k)), after = scope_of(proposed_, other);
      if (before == after) continue;
      changes_.push_back({Change::Action::Modified, "scope", base_.kinds[k].name, {"size"}, std::to_string(before),
                          std::to_string(after), {}, {}, false, {}, {}});
    }
  }

 private:
  template <typename Decl>
  static const Decl* find(const std::vector<Decl>& decls, const std::string& name) {
    for (const Decl& d : decls) {
      if (d.name == name) return &d;
    }
    return nullptr;
  }

  static int index_of(const std::vector<std::string>& values, const std::string& value) {
    auto it = std::find(values.begin(), values.end(), value);
    return it == values.end() ? -1 : static_cast<int>(it - values.begin());
  }

  static SourceRange value_range(const EnumDecl& decl, std::size_t v) {
    return v < decl.value_ranges.size() ? decl.value_ranges[v] : decl.range;
  }

  static int scope_of(const Model& model, int kind) {
    auto it = model.kind_scope.find(kind);
    return it == model.kind_scope.end() ? model.default_scope : it->second;
  }

  void add(Change::Action action, const char* what, const std::string& name, SourceRange base_range,
           SourceRange proposed_range, bool vocabulary) {
    changes_.push_back({action, what, name, {}, "", "", base_range, proposed_range, vocabulary, {}, {}});
  }

  const Model& base_;
  const Model& proposed_;
  std::vector<Change> changes_;
};

Aspects no_aspects(const Model&, const EnumDecl&) { return {}; }
Aspects no_kind_aspects(const Model&, const EntityKind&) { return {}; }

}  // namespace

const char* action_name(Change::Action action) {
  switch (action) {
    case Change::Action::Added: return "added";
    case Change::Action::Removed: return "removed";
    case Change::Action::Modified: return "modified";
  }
  return "modified";
}

std::vector<Change> compare_models(const Model& base, const Model& proposed) {
  Comparer c(base, proposed);
  c.compare(base.enums, proposed.enums, "enum", true, no_aspects);
  c.compare_enums();
  c.compare(base.kinds, proposed.kinds, "entity kind", true, no_kind_aspects);
  c.compare_attributes();
  c.compare(base.relations, proposed.relations, "relation", true, relation_aspects);
  c.compare(base.tables, proposed.tables, "table", true, table_aspects);
  c.compare_scopes();
  c.compare(base.defines, proposed.defines, "define", false, define_aspects);
  c.compare(base.rules, proposed.rules, "rule", false, formula_aspects);
  c.compare(base.properties, proposed.properties, "property", false, formula_aspects);
  c.compare(base.scenarios, proposed.scenarios, "scenario", false, scenario_aspects);
  return c.take();
}

std::string scenario_text(const Model& model, const ScenarioDecl& scenario) {
  std::vector<std::string> parts;
  for (const auto& entity : scenario.entities) {
    std::vector<std::string> assignments;
    for (const auto& a : entity.assignments) {
      assignments.push_back(fmt::format("{} = {}", a.attribute, a.value ? to_string(model, *a.value) : "?"));
    }
    std::sort(assignments.begin(), assignments.end());
    parts.push_back(fmt::format("{}: {} {{ {} }}", entity.name, entity.kind.name, fmt::join(assignments, ", ")));
  }
  std::vector<std::string> facts;
  for (const auto& fact : scenario.facts) {
    std::vector<std::string> args;
    for (const auto& arg : fact.args) args.push_back(arg ? to_string(model, *arg) : "?");
    facts.push_back(fmt::format("{}({})", fact.relation, fmt::join(args, ", ")));
  }
  std::sort(facts.begin(), facts.end());
  parts.insert(parts.end(), facts.begin(), facts.end());
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace csp::model
