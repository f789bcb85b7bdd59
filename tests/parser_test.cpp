// Parser tests: syntax trees (printed as s-expressions), declaration fields,
// source ranges, and the exact rendered syntax errors with panic-mode recovery.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "model/frontend.h"

using namespace csp::model;

namespace {

struct Parsed {
  SourceManager sources;
  DiagnosticSink sink;
  SpecFile file;
  std::string diagnostics() const { return render_all(sink, sources); }
  std::string text_of(SourceRange r) const { return std::string(sources.text(r.file).substr(r.begin, r.end - r.begin)); }
};

std::unique_ptr<Parsed> parse_text(const std::string& text) {
  auto out = std::make_unique<Parsed>();
  int id = out->sources.add("test.cspv", text);
  out->file = parse(out->sources, id, out->sink);
  return out;
}

const char* kind_name(ExprKind kind) {
  switch (kind) {
    case ExprKind::BoolLit: return "bool";
    case ExprKind::IntLit: return "int";
    case ExprKind::DateLit: return "date";
    case ExprKind::NoneLit: return "none";
    case ExprKind::Name: return "name";
    case ExprKind::Call: return "call";
    case ExprKind::Dot: return "dot";
    case ExprKind::Var: return "var";
    case ExprKind::EnumValue: return "enum";
    case ExprKind::EntityName: return "entity";
    case ExprKind::Attr: return "attr";
    case ExprKind::RelationCall: return "rel";
    case ExprKind::TableCall: return "table";
    case ExprKind::DefineCall: return "define";
    case ExprKind::Closure: return "closure";
    case ExprKind::Not: return "not";
    case ExprKind::And: return "and";
    case ExprKind::Or: return "or";
    case ExprKind::Implies: return "implies";
    case ExprKind::Iff: return "iff";
    case ExprKind::Eq: return "==";
    case ExprKind::Ne: return "!=";
    case ExprKind::Lt: return "<";
    case ExprKind::Le: return "<=";
    case ExprKind::Gt: return ">";
    case ExprKind::Ge: return ">=";
    case ExprKind::Add: return "+";
    case ExprKind::Sub: return "-";
    case ExprKind::In: return "in";
    case ExprKind::Forall: return "forall";
    case ExprKind::Exists: return "exists";
  }
  return "?";
}

// Test-only printer: leaves print as their text, nodes as (op args...).
std::string sexpr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::BoolLit: return e.value ? "true" : "false";
    case ExprKind::IntLit: return std::to_string(e.value);
    case ExprKind::DateLit: return "#" + format_date(e.value);
    case ExprKind::NoneLit: return "none";
    case ExprKind::Name: return e.name;
    default: break;
  }
  std::string out = fmt::format("({}", kind_name(e.kind));
  if (e.kind == ExprKind::Closure) out += e.reflexive ? "*" : "^";
  if (!e.name.empty()) out += " " + e.name;
  for (const auto& b : e.bindings) out += fmt::format(" [{}: {}]", b.name, b.kind.name);
  for (const auto& arg : e.args) out += " " + sexpr(*arg);
  return out + ")";
}

// Parses `rule r { <formula> }` and prints the body.
std::string formula(const std::string& text) {
  auto p = parse_text("rule r {\n" + text + "\n}\n");
  INFO(p->diagnostics());
  REQUIRE_FALSE(p->sink.has_errors());
  REQUIRE(p->file.rules.size() == 1);
  return sexpr(*p->file.rules[0].body);
}

// The rendered diagnostics for a file that must fail to parse.
std::string errors_of(const std::string& text) {
  auto p = parse_text(text);
  return p->diagnostics();
}

}  // namespace

TEST_CASE("expressions: precedence from quantifiers down to dots", "[parser]") {
  CHECK(formula("a or b and c") == "(or a (and b c))");
  CHECK(formula("a and b and c") == "(and a b c)");
  CHECK(formula("a or b or not c") == "(or a b (not c))");
  CHECK(formula("a implies b implies c") == "(implies a (implies b c))");
  CHECK(formula("a iff b iff c") == "(iff (iff a b) c)");
  CHECK(formula("a implies b iff c or d") == "(iff (implies a b) (or c d))");
  CHECK(formula("not a.x == b") == "(not (== (dot x a) b))");
  CHECK(formula("s.seller.mpa_signed <= s.date") == "(<= (dot mpa_signed (dot seller s)) (dot date s))");
  CHECK(formula("d + 30 - e >= 2020-02-01") == "(>= (- (+ d 30) e) #2020-02-01)");
  CHECK(formula("x != none and y == true and z == false") == "(and (!= x none) (== y true) (== z false))");
  CHECK(formula("(a or b) and c") == "(and (or a b) c)");
}

TEST_CASE("expressions: quantifiers, calls, closures and sets", "[parser]") {
  CHECK(formula("forall a, b: K, c: L | r(a, b) implies c.x in {Role.reseller, y}") ==
        "(forall [a: K] [b: K] [c: L] (implies (call r a b) (in (dot x c) (dot reseller Role) y)))");
  CHECK(formula("exists s: Sale | s.date > d") == "(exists [s: Sale] (> (dot date s) d))");
  CHECK(formula("forall x: K | a or b") == "(forall [x: K] (or a b))");
  CHECK(formula("a and forall x: K | b or c") == "(and a (forall [x: K] (or b c)))");
  CHECK(formula("^partnership(a, b) or *reports_to(a, f(b))") ==
        "(or (closure^ partnership a b) (closure* reports_to a (call f b)))");
  CHECK(formula("x not in {IN, NO}") == "(not (in x IN NO))");
  CHECK(formula("region_of(c.country) == europe") == "(== (call region_of (dot country c)) europe)");
}

TEST_CASE("blocks: several formulas are conjoined, none is true", "[parser]") {
  CHECK(formula("a\nb\nc") == "(and a b c)");
  CHECK(formula("forall x: K | p(x)\nforall y: K | q(y)") == "(and (forall [x: K] (call p x)) (forall [y: K] (call q y)))");
  auto p = parse_text("rule empty {}\n");
  REQUIRE(p->file.rules.size() == 1);
  CHECK(sexpr(*p->file.rules[0].body) == "true");
}

TEST_CASE("expression ranges cover the whole expression", "[parser]") {
  auto p = parse_text("rule r { (a or b) and s.seller.date  <= x + 1 }\n");
  REQUIRE_FALSE(p->sink.has_errors());
  const Expr& body = *p->file.rules[0].body;
  CHECK(p->text_of(body.range) == "(a or b) and s.seller.date  <= x + 1");
  CHECK(p->text_of(body.args[0]->range) == "(a or b)");
  const Expr& compare = *body.args[1];
  CHECK(p->text_of(compare.range) == "s.seller.date  <= x + 1");
  CHECK(p->text_of(compare.args[0]->range) == "s.seller.date");
  CHECK(p->text_of(compare.args[0]->args[0]->range) == "s.seller");
  CHECK(p->text_of(p->file.rules[0].range) == "r");
}

TEST_CASE("declarations: enums, entities, relations, tables, defines, scope", "[parser]") {
  auto p = parse_text(
      "include \"base.cspv\"\n"
      "enum Role { indirect_provider, indirect_reseller\n direct_bill, }\n"
      "enum Country from \"regions.csv\" column country_code\n"
      "entity Partner {\n  role: Role\n  mpa_signed: Date?, tenant: Int\n}\n"
      "relation partnership(provider: Partner, reseller: Partner)\n"
      "table region_of(country: Country, region: Region) { (FR, europe), (DE, europe)\n (US, north_america) }\n"
      "table limits(role: Role, max: Int) from \"limits.csv\"\n"
      "define sells(p: Partner, c: Customer) = exists s: Sale | s.seller == p and s.customer == c\n"
      "scope 4\nscope Sale 6\n");
  INFO(p->diagnostics());
  REQUIRE_FALSE(p->sink.has_errors());
  const SpecFile& f = p->file;
  REQUIRE(f.includes.size() == 1);
  CHECK(f.includes[0].path == "base.cspv");
  CHECK(p->text_of(f.includes[0].range) == "\"base.cspv\"");

  REQUIRE(f.enums.size() == 2);
  CHECK(f.enums[0].values == std::vector<std::string>{"indirect_provider", "indirect_reseller", "direct_bill"});
  CHECK(p->text_of(f.enums[0].value_ranges[2]) == "direct_bill");
  CHECK(f.enums[1].values.empty());
  REQUIRE(f.enums[1].csv);
  CHECK(f.enums[1].csv->path == "regions.csv");
  CHECK(f.enums[1].csv->columns == std::vector<std::string>{"country_code"});
  CHECK(p->text_of(f.enums[1].csv->range) == "\"regions.csv\"");

  REQUIRE(f.kinds.size() == 1);
  const auto& attrs = f.kinds[0].attributes;
  REQUIRE(attrs.size() == 3);
  CHECK(attrs[1].name == "mpa_signed");
  CHECK(attrs[1].type.name == "Date");
  CHECK(attrs[1].type.optional);
  CHECK(p->text_of(attrs[1].type.range) == "Date?");
  CHECK_FALSE(attrs[2].type.optional);

  REQUIRE(f.relations.size() == 1);
  CHECK(f.relations[0].params.size() == 2);
  CHECK(f.relations[0].params[1].name == "reseller");

  REQUIRE(f.tables.size() == 2);
  REQUIRE(f.tables[0].rows.size() == 3);
  CHECK(sexpr(*f.tables[0].rows[2].cells[0]) == "US");
  CHECK(p->text_of(f.tables[0].rows[2].range) == "(US, north_america)");
  REQUIRE(f.tables[1].csv);
  CHECK(f.tables[1].csv->columns == std::vector<std::string>{"role", "max"});

  REQUIRE(f.defines.size() == 1);
  CHECK(sexpr(*f.defines[0].body) ==
        "(exists [s: Sale] (and (== (dot seller s) p) (== (dot customer s) c)))");

  REQUIRE(f.scopes.size() == 2);
  CHECK(f.scopes[0].kind.empty());
  CHECK(f.scopes[0].size == 4);
  CHECK(f.scopes[1].kind == "Sale");
  CHECK(f.scopes[1].size == 6);
}

TEST_CASE("rules and properties carry description, source and expect", "[parser]") {
  auto p = parse_text(
      "rule mpa_before_sale\n  \"a partner transacts only after signing the MPA\"\n  source \"CSP-R04\"\n"
      "{\n  forall s: Sale | s.seller.mpa_signed <= s.date\n}\n"
      "property gap \"a documented gap\" source CSP-R13 { true } expect violated\n"
      "property fine { true } expect proved\n");
  INFO(p->diagnostics());
  REQUIRE_FALSE(p->sink.has_errors());
  REQUIRE(p->file.rules.size() == 1);
  const auto& rule = p->file.rules[0];
  CHECK(rule.name == "mpa_before_sale");
  CHECK(rule.description == "a partner transacts only after signing the MPA");
  CHECK(rule.source == "CSP-R04");
  REQUIRE(p->file.properties.size() == 2);
  CHECK(p->file.properties[0].source == "CSP-R13");
  CHECK(p->file.properties[0].expect == FormulaDecl::Expect::Violated);
  CHECK(p->text_of(p->file.properties[0].expect_range) == "expect violated");
  CHECK(p->file.properties[1].expect == FormulaDecl::Expect::Proved);
}

TEST_CASE("scenarios: entities, facts and the expected verdict", "[parser]") {
  auto p = parse_text(
      "scenario cross_region_sale \"a reseller sells abroad\"\n  source \"scenario 7\"\n{\n"
      "  R1: Partner { role = indirect_reseller, country = FR, mpa_signed = 2019-06-01 }\n"
      "  C1: Customer { country = US\n active = true, seats = -3, mpa = none }\n"
      "  P1: Partner\n"
      "  partnership(P1, R1), located(C1, Region.europe)\n"
      "  expect forbidden by CSP-R13, \"CSP-R14\", mpa_signed\n"
      "}\n");
  INFO(p->diagnostics());
  REQUIRE_FALSE(p->sink.has_errors());
  REQUIRE(p->file.scenarios.size() == 1);
  const auto& s = p->file.scenarios[0];
  CHECK(s.description == "a reseller sells abroad");
  CHECK(s.source == "scenario 7");
  REQUIRE(s.entities.size() == 3);
  CHECK(s.entities[0].name == "R1");
  CHECK(s.entities[0].kind.name == "Partner");
  REQUIRE(s.entities[0].assignments.size() == 3);
  CHECK(s.entities[0].assignments[2].attribute == "mpa_signed");
  CHECK(sexpr(*s.entities[0].assignments[2].value) == "#2019-06-01");
  std::vector<std::string> values;
  for (const auto& a : s.entities[1].assignments) values.push_back(sexpr(*a.value));
  CHECK(values == std::vector<std::string>{"US", "true", "-3", "none"});
  CHECK(s.entities[2].assignments.empty());
  REQUIRE(s.facts.size() == 2);
  CHECK(s.facts[0].relation == "partnership");
  CHECK(sexpr(*s.facts[1].args[1]) == "(dot europe Region)");
  CHECK(s.expect == ScenarioDecl::Expect::Forbidden);
  CHECK(s.expect_by == std::vector<std::string>{"CSP-R13", "CSP-R14", "mpa_signed"});
  CHECK(p->text_of(s.expect_range) == "expect forbidden by CSP-R13, \"CSP-R14\", mpa_signed");
}

TEST_CASE("syntax error: a type where the colon belongs", "[parser]") {
  CHECK(errors_of("entity Partner {\n  role Int\n}\n") ==
        "test.cspv:2:8: error: expected `:` after attribute name, got `Int`\n"
        "  role Int\n"
        "       ^~~\n"
        "1 error generated\n");
}

TEST_CASE("syntax error: end of file inside a rule body", "[parser]") {
  CHECK(errors_of("rule r {\n  a and b\n") ==
        "test.cspv:2:10: error: expected `}` to close the rule body, got end of file\n"
        "  a and b\n"
        "         ^\n"
        "1 error generated\n");
}

TEST_CASE("syntax error: a misspelt declaration keyword gets a suggestion", "[parser]") {
  CHECK(errors_of("rul r { true }\n") ==
        "test.cspv:1:1: error: expected declaration, got identifier `rul`\n"
        "rul r { true }\n"
        "^~~\n"
        "  = help: did you mean `rule`?\n"
        "1 error generated\n");
}

TEST_CASE("syntax error: `=` used as a comparison", "[parser]") {
  CHECK(errors_of("rule r { p.role = reseller }\n") ==
        "test.cspv:1:17: error: `=` is not a comparison operator\n"
        "rule r { p.role = reseller }\n"
        "                ^\n"
        "  = help: use `==` to compare\n"
        "1 error generated\n");
}

TEST_CASE("syntax error: a keyword where a name belongs", "[parser]") {
  CHECK(errors_of("enum Country { FR, in, DE }\n") ==
        "test.cspv:1:20: error: expected enum value or `}`, got `in`\n"
        "enum Country { FR, in, DE }\n"
        "                   ^~\n"
        "  = help: `in` is a reserved word\n"
        "1 error generated\n");
}

TEST_CASE("syntax error: a missing quantifier bar and a bad closure", "[parser]") {
  CHECK(errors_of("rule r { forall x: K x.a }\nrule s { ^r(a b) }\n") ==
        "test.cspv:1:22: error: expected `|` before the quantifier body, got identifier `x`\n"
        "rule r { forall x: K x.a }\n"
        "                     ^\n"
        "test.cspv:2:15: error: expected `,` after the first argument of `^r`, got identifier `b`\n"
        "rule s { ^r(a b) }\n"
        "              ^\n"
        "2 errors generated\n");
}

TEST_CASE("syntax error: scenario items", "[parser]") {
  CHECK(errors_of("scenario s {\n  R1 Partner\n}\nscenario t {\n  expect maybe\n}\n") ==
        "test.cspv:2:6: error: expected `:` or `(` after identifier `R1`, got identifier `Partner`\n"
        "  R1 Partner\n"
        "     ^~~~~~~\n"
        "test.cspv:5:10: error: expected `allowed` or `forbidden` after `expect`, got identifier `maybe`\n"
        "  expect maybe\n"
        "         ^~~~~\n"
        "2 errors generated\n");
}

TEST_CASE("recovery: every independent error in one run, good declarations kept", "[parser]") {
  auto p = parse_text(
      "enum Role { a, b }\n"
      "entity Partner { role: }\n"
      "rule ok { true }\n"
      "relation r(p: Partner q: Partner)\n"
      "property p { x == }\n"
      "scope 3\n");
  CHECK(p->diagnostics() ==
        "test.cspv:2:24: error: expected type, got `}`\n"
        "entity Partner { role: }\n"
        "                       ^\n"
        "test.cspv:4:23: error: expected `,` or `)` after parameter, got identifier `q`\n"
        "relation r(p: Partner q: Partner)\n"
        "                      ^\n"
        "test.cspv:5:19: error: expected expression, got `}`\n"
        "property p { x == }\n"
        "                  ^\n"
        "3 errors generated\n");
  CHECK(p->file.enums.size() == 1);
  CHECK(p->file.rules.size() == 1);
  CHECK(p->file.scopes.size() == 1);
}

TEST_CASE("recovery stops at 50 errors per file", "[parser]") {
  std::string text;
  for (int i = 0; i < 80; ++i) text += "rule r { ) }\n";
  auto p = parse_text(text);
  CHECK(p->sink.error_count() == 50);
}

TEST_CASE("lexical errors are reported with the syntax errors", "[parser]") {
  auto p = parse_text("rule r \"unterminated\n{ a && !b }\n");
  CHECK(p->diagnostics() ==
        "test.cspv:1:8: error: unterminated string\n"
        "rule r \"unterminated\n"
        "       ^\n"
        "  = help: strings end with `\"` on the same line\n"
        "test.cspv:2:5: error: `&&` is not an operator\n"
        "{ a && !b }\n"
        "    ^~\n"
        "  = help: use `and`\n"
        "test.cspv:2:8: error: `!` is not an operator\n"
        "{ a && !b }\n"
        "       ^\n"
        "  = help: use `not`\n"
        "3 errors generated\n");
  // `&&` and `!` are read as `and` and `not`, so the rule is still parsed.
  REQUIRE(p->file.rules.size() == 1);
  CHECK(sexpr(*p->file.rules[0].body) == "(and a (not b))");
}

TEST_CASE("syntax error: a misspelt `source` before a rule body", "[parser]") {
  CHECK(errors_of("rule r \"d\" sourc \"CSP-R01\" { true }\n") ==
        "test.cspv:1:12: error: expected `{` to open the rule body, got identifier `sourc`\n"
        "rule r \"d\" sourc \"CSP-R01\" { true }\n"
        "           ^~~~~\n"
        "  = help: did you mean `source`?\n"
        "1 error generated\n");
}

TEST_CASE("deeply nested input is an error, not a crash", "[parser]") {
  std::string deep = "rule r { " + std::string(100000, '(') + "a" + std::string(100000, ')') + " }\n";
  auto p = parse_text(deep + "rule ok { true }\n");
  REQUIRE(p->sink.all().size() == 1);
  CHECK(p->sink.all()[0].message == "expression nested too deeply");
  CHECK(p->file.rules.size() == 1);
  std::string chain;
  for (int i = 0; i < 5000; ++i) chain += "not ";
  auto q = parse_text("rule r { " + chain + "a }\n");
  CHECK(q->sink.error_count() == 1);
  std::string implications;
  for (int i = 0; i < 50000; ++i) implications += "a implies ";
  CHECK(parse_text("rule r { " + implications + "b }\n")->sink.error_count() == 1);
  std::string quantifiers;
  for (int i = 0; i < 50000; ++i) quantifiers += "forall x: K | ";
  CHECK(parse_text("rule r { " + quantifiers + "b }\n")->sink.error_count() == 1);
  // Nesting within the limit is fine.
  auto fine = parse_text("rule r { " + std::string(150, '(') + "a" + std::string(150, ')') + " }\n");
  CHECK_FALSE(fine->sink.has_errors());
}

namespace {

// `first op op op ...`: `count` operands joined by `op`.
std::string chain(const std::string& operand, const std::string& op, int count) {
  std::string out = operand;
  for (int i = 1; i < count; ++i) out += op + operand;
  return out;
}

// Where the first diagnostic points, as "line:col", and its message.
std::string first_error(const Parsed& p) {
  if (p.sink.all().empty()) return "(none)";
  const Diagnostic& d = p.sink.all().front();
  LineCol at = p.sources.line_col(d.range.file, d.range.begin);
  return fmt::format("{}:{} {} `{}`", at.line, at.column, d.message, p.text_of(d.range));
}

}  // namespace

// Issue #9: `+`, `-`, `.` and `iff` chains are read by loops into left-deep
// trees as deep as the input; 30,000 operands overflowed the checker's stack.
TEST_CASE("chains of `+`, `-`, `.` and `iff` deeper than the limit are an error at the operator", "[parser]") {
  const std::string too_deep = fmt::format("more than {} levels of operators", kMaxExprHeight);
  // The k-th `+` of `p.n + p.n + ...` builds a node of height k + 2 (`p.n` is 2).
  auto sum = parse_text("rule r { forall p: P |\n" + chain("p.n", " + ", 30000) + " > 0 }\nrule ok { true }\n");
  CHECK(first_error(*sum) == fmt::format("2:{} expression nested too deeply: {} `+`", 6 * (kMaxExprHeight - 1) - 1,
                                         too_deep));
  CHECK(sum->sink.error_count() == 1);
  CHECK(sum->file.rules.size() == 1);  // recovery: the next rule is kept

  auto difference = parse_text("rule r { forall p: P |\n" + chain("p.n", " - ", 30000) + " > 0 }\n");
  CHECK(first_error(*difference) == fmt::format("2:{} expression nested too deeply: {} `-`",
                                                6 * (kMaxExprHeight - 1) - 1, too_deep));

  // The k-th `.` of `p.q.q...` builds a node of height k + 1.
  std::string dots;
  for (int i = 0; i < 30000; ++i) dots += ".q";
  auto path = parse_text("rule r { forall p: P |\np" + dots + " > 0 }\n");
  CHECK(first_error(*path) == fmt::format("2:{} expression nested too deeply: {} `.`", 2 * kMaxExprHeight, too_deep));

  auto iff = parse_text("rule r { forall p: P |\n" + chain("p.b", " iff ", 30000) + " }\n");
  CHECK(first_error(*iff) == fmt::format("2:{} expression nested too deeply: {} `iff`", 8 * (kMaxExprHeight - 1) - 3,
                                         too_deep));
}

TEST_CASE("chains up to the depth limit parse; `and` and `or` chains of any length are one node", "[parser]") {
  // forall + `>` + (operands - 1) additions + the operand's two levels = the limit.
  auto sum = parse_text("rule r { forall p: P | " + chain("p.n", " + ", kMaxExprHeight - 3) + " > 0 }\n");
  INFO(sum->diagnostics());
  REQUIRE_FALSE(sum->sink.has_errors());
  CHECK(sum->file.rules[0].body->height == kMaxExprHeight);

  auto conjunction = parse_text("rule r { forall p: P | " + chain("p.b", " and ", 100000) + " }\n");
  REQUIRE_FALSE(conjunction->sink.has_errors());
  CHECK(conjunction->file.rules[0].body->args[0]->args.size() == 100000);
  auto disjunction = parse_text("rule r { forall p: P | " + chain("p.b", " or ", 100000) + " }\n");
  REQUIRE_FALSE(disjunction->sink.has_errors());
  CHECK(disjunction->file.rules[0].body->height == 4);
}
