// Private to the type checker (model/checker*.cpp): the state shared by its
// passes over the merged Model (name tables, define call graph, relation use)
// and the diagnostic helpers they report through.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/source.h"

namespace csp::model::checking {

// Stable diagnostic codes: E02xx names and types, E03xx scopes and scenarios.
namespace code {
inline constexpr const char* kDuplicate = "E0201";
inline constexpr const char* kUnknownType = "E0202";
inline constexpr const char* kUnknownAttribute = "E0203";
inline constexpr const char* kUnknownName = "E0204";
inline constexpr const char* kAmbiguousValue = "E0205";
inline constexpr const char* kUnknownRelation = "E0206";
inline constexpr const char* kArity = "E0207";
inline constexpr const char* kTypeMismatch = "E0208";
inline constexpr const char* kBadDeclarationType = "E0209";
inline constexpr const char* kRecursiveDefine = "E0210";
inline constexpr const char* kNotFunctional = "E0211";
inline constexpr const char* kUnknownEnumValue = "E0212";
inline constexpr const char* kNone = "E0213";
inline constexpr const char* kBadClosure = "E0214";
inline constexpr const char* kTooDeep = "E0215";
inline constexpr const char* kPatchTarget = "E0216";  // a patch of a declaration that does not exist
inline constexpr const char* kPatchTwice = "E0217";   // two patches of one declaration
inline constexpr const char* kScope = "E0301";
inline constexpr const char* kScenario = "E0302";
inline constexpr const char* kUnknownRule = "E0303";
inline constexpr const char* kImport = "E0304";
inline constexpr const char* kInternal = "E0299";
inline constexpr const char* kUnusedRelation = "W0201";
}  // namespace code

/// What a name in the relation/table/define namespace stands for.
struct Callable {
  enum class Kind { Relation, Table, Define };
  Kind kind = Kind::Relation;
  int id = -1;
};

struct EnumValueRef {
  int enum_id = -1;
  int ordinal = -1;
};

/// One call of a define (or a closure over one) inside another define's body.
struct DefineEdge {
  int callee = -1;
  SourceRange range;
};

/// A scenario's named entity: its index in ScenarioDecl::entities and its kind.
struct NamedEntity {
  int index = -1;
  Type type;
};
/// The entities of the scenario being checked, by name.
using EntityNames = std::unordered_map<std::string, NamedEntity>;

class Checker {
 public:
  Checker(Model& model, const SourceManager& sources, DiagnosticSink& sink,
          std::vector<int> file_order);

  // checker_names.cpp: namespaces, duplicates and the lookup tables.
  void declare_names();
  // checker_decls.cpp: declared types, scopes, tables.
  void resolve_declaration_types();
  void apply_scopes(const std::vector<ScopeDecl>& scopes);
  void check_tables();
  // checker_expr.cpp: bodies of defines, rules and properties.
  void check_defines();
  void check_formulas(std::vector<FormulaDecl>& formulas, std::string_view what);
  void check_message(FormulaDecl& formula);
  // checker.cpp: whole-model checks.
  /// Reports call cycles among defines; without one, checks that no body is
  /// deeper than kMaxExprHeight once its define calls are expanded.
  void check_define_recursion();
  void warn_unused_relations();
  /// Reports any expression a pass left unresolved or untyped without an error.
  void verify_resolved();
  // checker_scenario.cpp
  void check_scenarios();
  // checker_imports.cpp: `import` mappings (docs/audit.md).
  void check_imports();

  // Lookups over the declarations that won their namespace.
  std::optional<Type> find_type(const std::string& name) const;
  int find_enum(const std::string& name) const;
  const Callable* find_callable(const std::string& name) const;
  const std::vector<EnumValueRef>* find_enum_value(const std::string& name) const;
  int find_value_of(int enum_id, const std::string& value) const;
  std::vector<std::string> type_names() const;
  std::vector<std::string> callable_names() const;

  /// Sets ref.type; reports an unknown name (with a suggestion) and returns false.
  bool resolve_type_ref(TypeRef& ref);
  /// Resolves a table cell, scenario value or fact argument against the type
  /// it must have. `what` names the slot in messages ("argument 1 of `r`").
  bool resolve_literal(Expr& expr, Type expected, std::string_view what,
                       const EntityNames* entities);

  /// "entity `Partner` has no attribute `regoin`" with a suggestion.
  void report_unknown_attribute(SourceRange range, const EntityKind& kind, const std::string& name);
  /// `Enum.value` (a Dot whose owner names an enum) -> EnumValue, or an error.
  bool resolve_qualified_value(Expr& expr);

  Diagnostic& error(SourceRange range, std::string message, const char* code);
  void report_duplicate(SourceRange at, std::string message, SourceRange previous);
  /// Adds "did you mean `x`?" when some candidate is close to `name`.
  void suggest(Diagnostic& diagnostic, std::string_view name,
               const std::vector<std::string>& candidates) const;
  /// The source text of a range, as the user wrote it.
  std::string_view text(SourceRange range) const;
  /// The part of `range` that spells `name` (the whole range if it does not).
  SourceRange name_range(SourceRange range, std::string_view name, bool last = false) const;
  SourceRange size_range(const ScopeDecl& scope) const;
  /// `callees_first` lists every define after the defines it calls.
  void check_expanded_heights(const std::vector<int>& callees_first);
  std::string type_str(Type type) const { return type_name(model_, type); }

  Model& model_;
  const SourceManager& sources_;
  DiagnosticSink& sink_;
  std::vector<int> file_order_;  // file id -> position in load order

  std::unordered_map<std::string, Type> types_;
  std::unordered_map<std::string, Callable> callables_;
  std::unordered_map<std::string, std::vector<EnumValueRef>> enum_values_;
  std::vector<std::vector<DefineEdge>> define_calls_;  // by caller define id
  std::vector<bool> relation_used_;
  // By table id: two rows (0-based) with one key and different last values, or (-1, -1).
  std::vector<std::pair<int, int>> table_conflict_;

 private:
  // checker_scenario.cpp
  bool resolve_literal_name(Expr& expr, Type expected, std::string_view what,
                            const EntityNames* entities);
  bool literal_type_fits(Expr& expr, Type expected, std::string_view what);
  void check_entities(ScenarioDecl& scenario, EntityNames& names);
  void check_assignments(ScenarioEntity& entity, const EntityNames& names);
  void check_fact(ScenarioFact& fact, const EntityNames& names);
  void check_expected_rules(const ScenarioDecl& scenario);
};

/// Resolves and types the expressions of one declaration (a define, rule or
/// property body) in place; owns that declaration's variable slots.
class ExprChecker {
 public:
  /// `define`: the define whose body this is, for the recursion check (-1: none).
  ExprChecker(Checker& checker, int define);

  /// Introduces a variable (a define parameter or a quantifier binding) and returns its slot.
  int bind(const std::string& name, Type type);
  /// Introduces a variable in a slot another checker gave it (a message sees the body's).
  void bind_at(const std::string& name, Type type, int slot);
  void reserve_slots(int count) { next_slot_ = std::max(next_slot_, count); }
  /// Checks a whole body, which must be `Bool` ("rule body must be `Bool`, got `Int`").
  void check_body(Expr& body, std::string_view what);
  void check(Expr& expr);
  int slot_count() const { return next_slot_; }

 private:
  struct Variable {
    std::string name;
    int slot = -1;
    Type type;
  };
  const Variable* find_variable(const std::string& name) const;

  // checker_expr.cpp
  void check_name(Expr& expr);
  void check_dot(Expr& expr);
  void check_logic(Expr& expr);
  void check_equality(Expr& expr);
  void check_ordering(Expr& expr);
  void check_arithmetic(Expr& expr);
  void check_in(Expr& expr);
  void check_quantifier(Expr& expr);
  /// Gives a `none` literal the type of what it is compared with; false (after
  /// reporting at `at`) when that can never be `none`.
  bool type_none(Expr& none, const Expr& other, const Expr& at);
  std::string spelled(const Expr& expr) const;

  // checker_calls.cpp
  void check_call(Expr& expr);
  void check_closure(Expr& expr);
  void check_relation_call(Expr& expr, int relation);
  void check_table_call(Expr& expr, int table);
  void check_define_call(Expr& expr, int define);
  /// What a call or closure names; reports an unknown name and returns null.
  const Callable* find_callable(Expr& call);
  /// Checks args against params (pairwise, args.size() <= params.size()).
  bool check_arguments(Expr& call, const std::string& callee, const std::vector<Param>& params);
  /// Checks the arguments of a call that cannot be resolved, for their own errors.
  void check_loose_arguments(Expr& call);
  bool check_arity(Expr& call, std::string_view what, const std::string& callee, std::size_t expected);

  Checker& checker_;
  int define_;
  std::vector<Variable> variables_;  // innermost binding last
  int next_slot_ = 0;
};

/// Base types agree: `T` and `T?` are compatible.
inline bool same_base(Type a, Type b) { return a.kind == b.kind && a.id == b.id; }
inline bool is_error(Type t) { return t.kind == TypeKind::Error; }
/// "1 argument", "3 arguments".
std::string plural(std::size_t count, std::string_view noun);

}  // namespace csp::model::checking
