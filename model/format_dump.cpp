// Location-free dumps of a syntax tree and of a checked model (format.h):
// fmt checks its output against the input with them, and the tests compare
// the checked models of every shipped spec before and after formatting.
#include <fmt/format.h>

#include "model/format.h"

namespace csp::model {

namespace {

class Dumper {
 public:
  std::string take() { return std::move(out_); }

  void line(int depth, const std::string& text) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  void type(int depth, const char* what, const TypeRef& t) {
    line(depth, fmt::format("{} {}{} resolved {}/{}/{}", what, t.name, t.optional ? "?" : "",
                            static_cast<int>(t.type.kind), t.type.id, t.type.optional));
  }

  void expr(int depth, const Expr* e) {
    if (!e) {
      line(depth, "null");
      return;
    }
    line(depth, fmt::format("expr {} `{}` value {} id {} kind {} reflexive {} define {} lookup {} type {}/{}/{}",
                            static_cast<int>(e->kind), e->name, e->value, e->id, e->kind_id, e->reflexive,
                            e->closure_of_define, e->table_lookup, static_cast<int>(e->type.kind), e->type.id,
                            e->type.optional));
    for (const auto& b : e->bindings) {
      line(depth + 1, fmt::format("binding {} slot {}", b.name, b.slot));
      type(depth + 2, "over", b.kind);
    }
    for (const auto& arg : e->args) expr(depth + 1, arg.get());
  }

  void params(int depth, const std::vector<Param>& ps) {
    for (const auto& p : ps) type(depth, p.name.c_str(), p.type);
  }

  void csv(int depth, const std::optional<CsvSource>& source) {
    if (source) line(depth, fmt::format("from \"{}\" columns {}", source->path, fmt::join(source->columns, ",")));
  }

  void enums(const std::vector<EnumDecl>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("enum {} {{{}}}", d.name, fmt::join(d.values, ",")));
      csv(1, d.csv);
    }
  }

  void kinds(const std::vector<EntityKind>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("entity {}", d.name));
      for (const auto& a : d.attributes) {
        type(1, a.name.c_str(), a.type);
        if (a.fixed) line(2, "fixed");
      }
    }
  }

  void relations(const std::vector<RelationDecl>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("relation {}", d.name));
      params(1, d.params);
    }
  }

  void tables(const std::vector<TableDecl>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("table {} functional {}", d.name, d.functional));
      params(1, d.params);
      csv(1, d.csv);
      for (const auto& row : d.rows) {
        line(1, "row");
        for (const auto& cell : row.cells) expr(2, cell.get());
      }
    }
  }

  void defines(const std::vector<DefineDecl>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("define {} slots {}", d.name, d.slot_count));
      params(1, d.params);
      expr(1, d.body.get());
    }
  }

  void formulas(const char* what, const std::vector<FormulaDecl>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("{} {} \"{}\" source \"{}\" expect {} slots {}", what, d.name, d.description, d.source,
                          static_cast<int>(d.expect), d.slot_count));
      if (d.message) {
        for (const auto& part : d.message->parts) {
          if (part.expr) {
            expr(1, part.expr.get());
          } else {
            line(1, fmt::format("message text \"{}\"", part.text));
          }
        }
      }
      expr(1, d.body.get());
    }
  }

  void scenarios(const std::vector<ScenarioDecl>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("scenario {} \"{}\" source \"{}\" expect {} by {}", d.name, d.description, d.source,
                          static_cast<int>(d.expect), fmt::join(d.expect_by, ",")));
      for (const auto& entity : d.entities) {
        type(1, entity.name.c_str(), entity.kind);
        for (const auto& a : entity.assignments) {
          line(2, fmt::format("{} = (attribute {})", a.attribute, a.attribute_id));
          expr(3, a.value.get());
        }
      }
      for (const auto& fact : d.facts) {
        line(1, fmt::format("fact {} (relation {})", fact.relation, fact.relation_id));
        for (const auto& arg : fact.args) expr(2, arg.get());
      }
    }
  }

  void imports(const std::vector<ImportDecl>& decls) {
    for (const auto& d : decls) {
      line(0, fmt::format("import {} from \"{}\" items \"{}\" {} \"{}\" partition \"{}\" target {}/{} format {}",
                          d.target, d.path, d.items, d.join ? "join" : "key", d.key, d.partition,
                          static_cast<int>(d.target_kind), d.target_id, static_cast<int>(d.format)));
      for (const auto& f : d.filters) line(1, fmt::format("where \"{}\" {} \"{}\"", f.field, f.equal ? "==" : "!=", f.text));
      for (const auto& a : d.assignments) {
        line(1, fmt::format("{} = fields {} (target {})", a.target, fmt::join(a.value.fields, ","), a.target_id));
        if (a.value.constant) expr(2, a.value.constant.get());
        for (const auto& entry : a.value.map) {
          line(2, fmt::format("\"{}\":", entry.text));
          expr(3, entry.value.get());
        }
      }
    }
  }

  void file(const SpecFile& f) {
    for (const auto& i : f.includes) line(0, fmt::format("include \"{}\"", i.path));
    enums(f.enums);
    kinds(f.kinds);
    relations(f.relations);
    tables(f.tables);
    defines(f.defines);
    formulas("rule", f.rules);
    formulas("property", f.properties);
    scenarios(f.scenarios);
    for (const auto& s : f.scopes) line(0, fmt::format("scope {} {}", s.kind, s.size));
    imports(f.imports);
    for (const auto& p : f.patches) {
      line(0, fmt::format("patch {} {} {}", static_cast<int>(p.action), p.what, p.name));
      if (p.declaration) {
        Dumper inner;
        inner.file(*p.declaration);
        for (char c : inner.take()) out_ += c;
      }
    }
  }

  void model(const Model& m) {
    enums(m.enums);
    kinds(m.kinds);
    relations(m.relations);
    tables(m.tables);
    defines(m.defines);
    formulas("rule", m.rules);
    formulas("property", m.properties);
    scenarios(m.scenarios);
    imports(m.imports);
    line(0, fmt::format("scope {}", m.default_scope));
    for (const auto& [kind, size] : m.kind_scope) line(0, fmt::format("scope kind {} {}", kind, size));
  }

 private:
  std::string out_;
};

}  // namespace

std::string dump_syntax(const SpecFile& file) {
  Dumper dumper;
  dumper.file(file);
  return dumper.take();
}

std::string dump_model(const Model& model) {
  Dumper dumper;
  dumper.model(model);
  return dumper.take();
}

}  // namespace csp::model
