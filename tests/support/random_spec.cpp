#include "tests/support/random_spec.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace csp::test {

namespace {

enum class T { Bool, Int, Date, Enum, Entity };

struct EnumSpec {
  std::string name;
  std::vector<std::string> values;
};
struct AttrSpec {
  std::string name;
  T type = T::Bool;
  int target = -1;  // enum or kind
  bool optional = false;
};
struct KindSpec {
  std::string name;
  std::vector<AttrSpec> attrs;
};
struct ParamSpec {
  std::string name;
  T type = T::Entity;  // Entity or Enum
  int target = -1;
};
struct RelSpec {
  std::string name;
  std::vector<ParamSpec> params;
};

struct Term {
  std::string text;
  T type = T::Entity;
  int target = -1;
  bool optional = false;
};
struct Var {
  std::string name;
  int kind = -1;
};

constexpr int kMaxVars = 3;  // bound variables in scope at once: 2^3 ground tuples at scope 2

// Dates near each other, so that some comparisons are tight.
const char* const kDates[] = {"2020-01-31", "2020-02-01", "2020-02-29", "2020-03-01", "2021-06-15", "2019-12-31"};

std::uint64_t sat_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

class Generator {
 public:
  Generator(std::uint64_t seed, const RandomSpecOptions& options) : rng_(seed), seed_(seed), options_(options) {}

  std::string run() {
    for (int attempt = 0; attempt < 100; ++attempt) {
      vocabulary();
      if (space_at_2() <= options_.max_space_at_2) break;
    }
    std::string out = fmt::format("// random spec, seed {}\n", seed_);
    emit_vocabulary(out);
    int rules = 2 + rng_.below(3);
    int properties = 2 + rng_.below(2);
    for (int i = 0; i < rules; ++i) emit_formula(out, "rule", fmt::format("r{}", i), i);
    for (int i = 0; i < properties; ++i) emit_formula(out, "property", fmt::format("p{}", i), i);
    if (rng_.chance(30)) out += fmt::format("scope {}\n", 1 + rng_.below(3));
    return out;
  }

 private:
  // ------------------------------------------------------------ vocabulary

  void vocabulary() {
    enums_.clear();
    kinds_.clear();
    relations_.clear();
    dates_.clear();
    ints_.clear();
    int enum_count = 1 + rng_.below(2);
    for (int e = 0; e < enum_count; ++e) {
      EnumSpec spec{fmt::format("E{}", e), {}};
      int values = 2 + rng_.below(2);
      for (int v = 0; v < values; ++v) spec.values.push_back(fmt::format("{}{}", static_cast<char>('p' + e), v));
      enums_.push_back(spec);
    }
    // Now and then two enums share a value name, which must then be qualified.
    if (enum_count == 2 && rng_.chance(25)) enums_[1].values[0] = enums_[0].values[0];

    int kind_count = 2 + rng_.below(2);
    for (int k = 0; k < kind_count; ++k) kinds_.push_back({fmt::format("K{}", k), {}});
    for (int k = 0; k < kind_count; ++k) {
      int attrs = rng_.chance(8) ? 0 : 1 + rng_.below(3);
      for (int a = 0; a < attrs; ++a) {
        AttrSpec attr;
        int roll = rng_.below(100);
        if (roll < 28) {
          attr.type = T::Bool;
          attr.optional = rng_.chance(15);
        } else if (roll < 52) {
          attr.type = T::Enum;
          attr.target = rng_.below(enum_count);
          attr.optional = rng_.chance(25);
        } else if (roll < 80) {
          attr.type = T::Entity;
          attr.target = rng_.below(kind_count);
          attr.optional = rng_.chance(75);
        } else if (roll < 95) {
          attr.type = T::Date;
          attr.optional = rng_.chance(50);
        } else {
          attr.type = T::Int;
          attr.optional = rng_.chance(30);
        }
        const char* prefix = attr.type == T::Bool ? "b" : attr.type == T::Enum ? "c" : attr.type == T::Entity ? "r"
                             : attr.type == T::Date ? "d" : "n";
        attr.name = fmt::format("{}{}", prefix, a);
        kinds_[k].attrs.push_back(attr);
      }
    }
    int relation_count = 1 + rng_.below(2);
    for (int r = 0; r < relation_count; ++r) {
      RelSpec rel{fmt::format("rel{}", r), {}};
      rel.params.push_back({"a", T::Entity, rng_.below(kind_count)});
      if (rng_.chance(15)) {
        rel.params.push_back({"b", T::Enum, rng_.below(enum_count)});
      } else {
        rel.params.push_back({"b", T::Entity, rng_.below(kind_count)});
      }
      relations_.push_back(rel);
    }
    int date_count = 1 + rng_.below(2);
    while (static_cast<int>(dates_.size()) < date_count) {
      std::string d = kDates[rng_.below(static_cast<int>(std::size(kDates)))];
      if (std::find(dates_.begin(), dates_.end(), d) == dates_.end()) dates_.push_back(d);
    }
    ints_.push_back(rng_.below(4));
    if (rng_.chance(50)) ints_.push_back(ints_[0] + 1 + rng_.below(3));
  }

  // The enumeration's size with every kind at scope 2 (before pruning), as
  // tests/support/enumerate.cpp counts it, with 3 values per literal.
  std::uint64_t space_at_2() const {
    std::size_t n = kinds_.size();
    std::vector<int> counts(n, 0);
    std::uint64_t total = 0;
    while (true) {
      std::uint64_t here = 1;
      for (std::size_t k = 0; k < n; ++k) {
        for (const auto& a : kinds_[k].attrs) {
          std::uint64_t size = a.optional ? 1 : 0;
          switch (a.type) {
            case T::Bool: size += 2; break;
            case T::Int: size += 3 * ints_.size(); break;
            case T::Date: size += 3 * dates_.size(); break;
            case T::Enum: size += enums_[a.target].values.size(); break;
            case T::Entity: size += counts[a.target]; break;
          }
          for (int i = 0; i < counts[k]; ++i) here = sat_mul(here, size);
        }
      }
      for (const auto& r : relations_) {
        std::uint64_t tuples = 1;
        for (const auto& p : r.params) {
          tuples *= p.type == T::Entity ? counts[p.target] : enums_[p.target].values.size();
        }
        here = sat_mul(here, tuples >= 63 ? UINT64_MAX : std::uint64_t{1} << tuples);
      }
      total = sat_add(total, here);
      std::size_t k = 0;
      for (; k < n; ++k) {
        if (++counts[k] <= 2) break;
        counts[k] = 0;
      }
      if (k == n) return total;
    }
  }

  void emit_vocabulary(std::string& out) {
    for (const auto& e : enums_) {
      out += fmt::format("enum {} {{ ", e.name);
      for (std::size_t v = 0; v < e.values.size(); ++v) out += (v ? ", " : "") + e.values[v];
      out += rng_.chance(20) ? ", }\n" : " }\n";
    }
    for (const auto& k : kinds_) {
      bool lines = rng_.chance(50);
      out += fmt::format("entity {} {{", k.name);
      for (std::size_t a = 0; a < k.attrs.size(); ++a) {
        const auto& attr = k.attrs[a];
        std::string type = attr.type == T::Bool   ? "Bool"
                           : attr.type == T::Int  ? "Int"
                           : attr.type == T::Date ? "Date"
                           : attr.type == T::Enum ? enums_[attr.target].name
                                                  : kinds_[attr.target].name;
        if (lines) {
          out += fmt::format("\n  {}: {}{}", attr.name, type, attr.optional ? "?" : "");
        } else {
          out += fmt::format("{} {}: {}{}", a ? "," : "", attr.name, type, attr.optional ? "?" : "");
        }
      }
      out += lines ? "\n}\n" : " }\n";
    }
    for (const auto& r : relations_) {
      out += fmt::format("relation {}(", r.name);
      for (std::size_t p = 0; p < r.params.size(); ++p) {
        const auto& param = r.params[p];
        out += fmt::format("{}{}: {}", p ? ", " : "", param.name,
                           param.type == T::Entity ? kinds_[param.target].name : enums_[param.target].name);
      }
      out += ")\n";
    }
  }

  void emit_formula(std::string& out, const char* what, const std::string& name, int index) {
    counter_ = 0;
    out += fmt::format("{} {}", what, name);
    if (rng_.chance(70)) out += fmt::format(" \"random {} {}\"", what, index);
    if (rng_.chance(40)) out += fmt::format(" source \"RND-{}\"", index);
    out += " {\n";
    int formulas = rng_.chance(15) ? 2 : 1;  // a block of two formulas is their conjunction
    for (int f = 0; f < formulas; ++f) {
      std::string body = what[0] == 'r' ? rule_formula() : property_formula();
      out += "  " + body + "\n";
      if (what[0] == 'r') rule_texts_.push_back(body);
    }
    out += "}\n";
  }

  // Policy-shaped rules, `forall x | guard implies constraint`, most of the
  // time: random rules are otherwise mostly contradictory, and inconsistent
  // rules make every property vacuous (a verdict worth testing, but rarely).
  std::string rule_formula() {
    std::vector<Var> env;
    if (rng_.chance(65)) return guarded(env);
    return formula(env, 3);
  }

  // A third of the properties follow from the rules (proved unless the
  // encodings disagree); the others are random and mostly violated.
  std::string property_formula() {
    std::vector<Var> env;
    if (!rule_texts_.empty() && rng_.chance(35)) {
      const std::string& rule = rule_texts_[rng_.below(static_cast<int>(rule_texts_.size()))];
      int roll = rng_.below(100);
      if (roll < 25) return rule;
      if (roll < 55) return group(rule) + " or " + group(formula(env, 2));
      if (roll < 75) return "not (not " + group(rule) + ")";
      std::string other = rule_texts_[rng_.below(static_cast<int>(rule_texts_.size()))];
      return group(rule) + " and " + group(other);
    }
    if (rng_.chance(40)) return guarded(env);
    return formula(env, 3);
  }

  std::string guarded(std::vector<Var>& env) {
    std::size_t outer = env.size();
    std::string text = bindings(env, "forall ");
    std::string guard = rng_.chance(70) ? atom(env) : group(formula(env, 1));
    std::string body = operand(env, 2);
    env.resize(outer);
    return text + guard + " implies " + body;
  }

  // -------------------------------------------------------------- formulas

  static std::string group(const std::string& s) { return "(" + s + ")"; }

  std::string formula(std::vector<Var>& env, int depth) {
    if (env.empty()) return rng_.chance(3) ? (rng_.chance(50) ? "true" : "false") : quantifier(env, depth);
    int roll = rng_.below(100);
    if (depth <= 0 || roll < 35) return atom(env);
    if (roll < 45) return "not " + operand(env, depth - 1);
    if (roll < 65) {
      std::string op = rng_.chance(50) ? " and " : " or ";
      // One statement per draw: the order of evaluation of operands is
      // unspecified, and the same seed must give the same text everywhere.
      std::string s = operand(env, depth - 1);
      s += op;
      s += operand(env, depth - 1);
      if (rng_.chance(25)) {
        s += op;
        s += operand(env, depth - 1);
      }
      return s;
    }
    if (roll < 82) {
      std::string lhs = operand(env, depth - 1);
      std::string rhs = operand(env, depth - 1);
      return lhs + (roll < 77 ? " implies " : " iff ") + rhs;
    }
    if (static_cast<int>(env.size()) < kMaxVars) return quantifier(env, depth);
    return atom(env);
  }

  // A formula as an operand of a connective: atoms bind tighter than every
  // connective, so they go without parentheses half the time.
  std::string operand(std::vector<Var>& env, int depth) {
    if (!env.empty() && (depth <= 0 || rng_.chance(30))) {
      std::string a = atom(env);
      return rng_.chance(50) ? a : group(a);
    }
    return group(formula(env, depth));
  }

  std::string quantifier(std::vector<Var>& env, int depth) {
    std::size_t outer = env.size();
    std::string text = bindings(env, rng_.chance(55) ? "forall " : "exists ");
    text += formula(env, depth - 1);
    env.resize(outer);
    return text;
  }

  // `forall v0: K0, v1: K1 | ` with the variables added to `env`.
  std::string bindings(std::vector<Var>& env, std::string text) {
    int count = 1 + (static_cast<int>(env.size()) + 2 <= kMaxVars && rng_.chance(40) ? 1 : 0);
    std::vector<Var> bound;
    for (int i = 0; i < count; ++i) bound.push_back({fmt::format("v{}", counter_++), rng_.below(static_cast<int>(kinds_.size()))});
    if (count == 2 && bound[0].kind == bound[1].kind && rng_.chance(50)) {
      text += fmt::format("{}, {}: {}", bound[0].name, bound[1].name, kinds_[bound[0].kind].name);
    } else {
      for (int i = 0; i < count; ++i) {
        text += fmt::format("{}{}: {}", i ? ", " : "", bound[i].name, kinds_[bound[i].kind].name);
      }
    }
    env.insert(env.end(), bound.begin(), bound.end());
    return text + " | ";
  }

  // --------------------------------------------------------------- terms

  Term var_term(const Var& v) const { return {v.name, T::Entity, v.kind, false}; }

  // A variable, then up to two reference hops, then maybe one attribute.
  Term random_term(const std::vector<Var>& env) {
    // The innermost variable half the time, so that quantified variables get used.
    Term t = var_term(rng_.chance(50) ? env.back() : env[rng_.below(static_cast<int>(env.size()))]);
    for (int hop = 0; hop < 2 && rng_.chance(40); ++hop) {
      std::vector<const AttrSpec*> refs;
      for (const auto& a : kinds_[t.target].attrs) if (a.type == T::Entity) refs.push_back(&a);
      if (refs.empty()) break;
      t = follow(t, *refs[rng_.below(static_cast<int>(refs.size()))]);
    }
    const auto& attrs = kinds_[t.target].attrs;
    if (!attrs.empty() && rng_.chance(70)) t = follow(t, attrs[rng_.below(static_cast<int>(attrs.size()))]);
    return t;
  }

  static Term follow(const Term& owner, const AttrSpec& attr) {
    return {owner.text + "." + attr.name, attr.type, attr.target, owner.optional || attr.optional};
  }

  // Every term of entity kind `kind` with at most two reference hops.
  std::vector<Term> entity_terms(const std::vector<Var>& env, int kind) const {
    std::vector<Term> out, frontier;
    for (const auto& v : env) frontier.push_back(var_term(v));
    for (int hop = 0; hop <= 2; ++hop) {
      std::vector<Term> next;
      for (const auto& t : frontier) {
        if (t.target == kind) out.push_back(t);
        if (hop == 2) continue;
        for (const auto& a : kinds_[t.target].attrs) if (a.type == T::Entity) next.push_back(follow(t, a));
      }
      frontier = std::move(next);
    }
    return out;
  }

  // A term of kind `kind` other than `avoid` when there is one.
  std::optional<Term> entity_term(const std::vector<Var>& env, int kind, const std::string& avoid = "") {
    auto terms = entity_terms(env, kind);
    if (!avoid.empty()) {
      std::vector<Term> others;
      for (const auto& t : terms) if (t.text != avoid) others.push_back(t);
      if (!others.empty()) terms = std::move(others);
    }
    if (terms.empty()) return std::nullopt;
    // Prefer variables (listed first) so that terms stay short.
    std::size_t vars = 0;
    while (vars < terms.size() && terms[vars].text.find('.') == std::string::npos) ++vars;
    if (vars > 0 && rng_.chance(60)) return terms[rng_.below(static_cast<int>(vars))];
    return terms[rng_.below(static_cast<int>(terms.size()))];
  }

  std::string enum_literal(int e) {
    const std::string& value = enums_[e].values[rng_.below(static_cast<int>(enums_[e].values.size()))];
    bool shared = false;
    for (std::size_t other = 0; other < enums_.size(); ++other) {
      if (static_cast<int>(other) == e) continue;
      const auto& vs = enums_[other].values;
      shared = shared || std::find(vs.begin(), vs.end(), value) != vs.end();
    }
    return shared || rng_.chance(25) ? enums_[e].name + "." + value : value;
  }

  std::string literal_of(T type) {
    if (type == T::Date) return dates_[rng_.below(static_cast<int>(dates_.size()))];
    return std::to_string(ints_[rng_.below(static_cast<int>(ints_.size()))]);
  }

  // ---------------------------------------------------------------- atoms

  std::string atom(std::vector<Var>& env) {
    if (rng_.chance(20)) {
      if (auto call = relation_call(env)) return *call;
    }
    return atom_on(env, random_term(env));
  }

  std::string atom_on(std::vector<Var>& env, const Term& t) {
    switch (t.type) {
      case T::Bool: return bool_atom(t);
      case T::Enum: return enum_atom(env, t);
      case T::Date:
      case T::Int: return ordered_atom(t);
      case T::Entity: return entity_atom(env, t);
    }
    return "true";
  }

  std::optional<std::string> relation_call(const std::vector<Var>& env, std::optional<Term> given = std::nullopt) {
    const RelSpec& r = relations_[rng_.below(static_cast<int>(relations_.size()))];
    std::vector<std::string> args;
    bool used_given = false;
    for (const auto& p : r.params) {
      if (p.type == T::Enum) {
        args.push_back(enum_literal(p.target));
        continue;
      }
      if (given && !used_given && given->target == p.target && given->type == T::Entity) {
        args.push_back(given->text);
        used_given = true;
        continue;
      }
      if (rng_.chance(3)) {
        args.push_back("none");  // well typed; membership with `none` is false
        continue;
      }
      auto t = entity_term(env, p.target);
      if (!t) return std::nullopt;
      args.push_back(t->text);
    }
    bool homogeneous = r.params[0].type == T::Entity && r.params[1].type == T::Entity &&
                       r.params[0].target == r.params[1].target;
    std::string prefix = homogeneous && rng_.chance(20) ? (rng_.chance(50) ? "^" : "*") : "";
    if (!prefix.empty() && (args[0] == "none" || args[1] == "none")) prefix.clear();
    return fmt::format("{}{}({}, {})", prefix, r.name, args[0], args[1]);
  }

  std::string bool_atom(const Term& t) {
    int roll = rng_.below(100);
    if (!t.optional && roll < 30) return t.text;
    if (!t.optional && roll < 45) return "not " + t.text;
    if (t.optional && roll < 30) return fmt::format("{} {} none", t.text, rng_.chance(50) ? "==" : "!=");
    const char* op = rng_.chance(60) ? "==" : "!=";
    const char* value = rng_.chance(50) ? "true" : "false";
    return fmt::format("{} {} {}", t.text, op, value);
  }

  std::string enum_atom(const std::vector<Var>& env, const Term& t) {
    int roll = rng_.below(100);
    if (t.optional && roll < 20) return fmt::format("{} {} none", t.text, rng_.chance(50) ? "==" : "!=");
    if (roll < 35) {
      std::string list = enum_literal(t.target);
      list += ", " + enum_literal(t.target);
      if (t.optional && rng_.chance(30)) list = "none, " + list;
      return fmt::format("{} {}in {{{}}}", t.text, rng_.chance(20) ? "not " : "", list);
    }
    if (roll < 50) {
      // Another term of the same enum, if one is at hand.
      for (int tries = 0; tries < 4; ++tries) {
        Term u = random_term(env);
        if (u.type == T::Enum && u.target == t.target && u.text != t.text) {
          return fmt::format("{} {} {}", t.text, rng_.chance(50) ? "==" : "!=", u.text);
        }
      }
    }
    return fmt::format("{} {} {}", t.text, rng_.chance(60) ? "==" : "!=", enum_literal(t.target));
  }

  std::string ordered_atom(const Term& t) {
    int roll = rng_.below(100);
    if (t.optional && roll < 25) return fmt::format("{} {} none", t.text, rng_.chance(50) ? "==" : "!=");
    if (roll < 35) {
      std::string first = literal_of(t.type);
      std::string second = literal_of(t.type);
      return fmt::format("{} in {{{}, {}}}", t.text, first, second);
    }
    static const char* const ops[] = {"<", "<=", ">", ">=", "==", "!="};
    const char* op = ops[rng_.below(6)];
    if (rng_.chance(25)) return fmt::format("{} {} {}", literal_of(t.type), op, t.text);
    return fmt::format("{} {} {}", t.text, op, literal_of(t.type));
  }

  std::string entity_atom(std::vector<Var>& env, const Term& t) {
    int roll = rng_.below(100);
    if (roll < 25) {
      if (auto call = relation_call(env, t)) return *call;
    }
    if (t.optional && roll < 45) {
      return rng_.chance(80) ? fmt::format("{} {} none", t.text, rng_.chance(50) ? "==" : "!=")
                             : fmt::format("none {} {}", rng_.chance(50) ? "==" : "!=", t.text);
    }
    auto u = entity_term(env, t.target, t.text);
    if (!u || u->text == t.text) {
      // Nothing else of this kind at hand: `v0 == v0` says nothing, so
      // test an attribute of t instead, or whether it is none.
      const auto& attrs = kinds_[t.target].attrs;
      if (!attrs.empty() && depth_ < 3) {
        ++depth_;
        std::string a = atom_on(env, follow(t, attrs[rng_.below(static_cast<int>(attrs.size()))]));
        --depth_;
        return a;
      }
      if (t.optional) return t.text + " != none";
      if (auto call = relation_call(env, t)) return *call;
      return t.text + " == " + t.text;
    }
    if (roll < 60) {
      auto w = entity_term(env, t.target, u->text);
      std::string list = u->text + ", " + w->text;
      if (t.optional && rng_.chance(30)) list = "none, " + list;
      return fmt::format("{} in {{{}}}", t.text, list);
    }
    return fmt::format("{} {} {}", t.text, rng_.chance(50) ? "==" : "!=", u->text);
  }

  Rng rng_;
  std::uint64_t seed_;
  RandomSpecOptions options_;
  std::vector<EnumSpec> enums_;
  std::vector<KindSpec> kinds_;
  std::vector<RelSpec> relations_;
  std::vector<std::string> dates_;
  std::vector<int> ints_;
  std::vector<std::string> rule_texts_;
  int counter_ = 0;
  int depth_ = 0;  // nesting of atom_on through attributes
};

}  // namespace

std::string random_spec(std::uint64_t seed, const RandomSpecOptions& options) {
  return Generator(seed, options).run();
}

}  // namespace csp::test
