// The spec language's syntax tree and, after the type checker has run, the
// checked model. One tree type serves both: the parser builds it with names
// as written (ExprKind::Name, Call, Dot), and model::check() resolves every
// name in place (Var, EnumValue, Attr, RelationCall, ...), sets each Expr's
// type, and fills the ids. After check() succeeds the Model is immutable.
//
// INVARIANT (after check): no Expr has kind Name, Call or Dot; every Expr has
// a type other than TypeKind::Error; every id below points into Model.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/source.h"

namespace csp::model {

// ---------------------------------------------------------------- types

enum class TypeKind { Error, Bool, Int, Date, Enum, Entity };

struct Type {
  TypeKind kind = TypeKind::Error;
  int id = -1;            // enum id (Enum) or entity kind id (Entity); -1 otherwise
  bool optional = false;  // `T?`: the value may be `none`
  bool operator==(const Type& o) const { return kind == o.kind && id == o.id && optional == o.optional; }
};

/// A type as written in the source (`Partner?`), resolved by the checker.
struct TypeRef {
  std::string name;  // "Bool", "Int", "Date", or an enum / entity kind name
  bool optional = false;
  SourceRange range;
  Type type;  // filled by check()
};

// ------------------------------------------------------------- expressions

enum class ExprKind {
  // literals
  BoolLit, IntLit, DateLit, NoneLit,
  // unresolved forms, produced by the parser only
  Name,   // `x`, `Partner1`, `europe`         (text in `name`)
  Call,   // `name(args...)`                    (text in `name`, args)
  Dot,    // `args[0].name`                     (also `Role.reseller`)
  // resolved forms, produced by the checker
  Var,           // bound variable; `id` = variable slot in the enclosing declaration
  EnumValue,     // `id` = enum id, `value` = ordinal
  EntityName,    // a scenario's named entity; `id` = index into Scenario::entities
  Attr,          // args[0].attribute; `id` = attribute index in kind `kind_id`
  RelationCall,  // relation membership; `id` = relation id
  TableCall,     // table membership (args == columns) or lookup (args == columns - 1)
  DefineCall,    // `id` = define id; inlined by evaluator and encoder
  Closure,       // `^rel(a, b)` / `*rel(a, b)`: `id` = relation or define (see closure_of_define)
  // operators. And / Or are n-ary (two or more args): the parser builds
  // `a and b and c` and a block `{ f1 f2 f3 }` as one node.
  Not, And, Or, Implies, Iff,
  Eq, Ne, Lt, Le, Gt, Ge,
  Add, Sub,
  In,            // args[0] in { args[1], ..., args[n] }
  Forall, Exists,
};

struct Binding {
  std::string name;
  SourceRange range;
  TypeRef kind;  // the entity kind quantified over (checker sets kind.type)
  int slot = -1; // variable slot (filled by check)
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// The deepest expression tree accepted, defines expanded where they are
/// used. Every pass (checker, evaluator, encoder, printers, the destructor)
/// recurses over the tree; the parser and the checker reject deeper ones
/// (a chain `a + b + ...` nests one level per operator), so no pass can
/// overflow the stack. Measured at this limit (every command, every report
/// format): a release build needs under 512 KB of the 8 MB stack, an ASan
/// build under 4 MB (at 1000 levels it overflowed 8 MB in the evaluator).
constexpr int kMaxExprHeight = 500;

/// Levels one define call adds to the define's body when it is expanded: the
/// evaluator nests two calls deep per expansion (eval, define_holds).
constexpr int kDefineCallLevels = 2;

struct Expr {
  ExprKind kind = ExprKind::BoolLit;
  SourceRange range;
  Type type;                   // filled by check()
  std::vector<ExprPtr> args;
  std::string name;            // identifier as written (Name, Call, Dot, Var, Attr, ...)
  std::int64_t value = 0;      // Bool/Int literal, Date as days since 1970-01-01, enum ordinal
  int id = -1;                 // resolved id (see ExprKind)
  int kind_id = -1;            // Attr: entity kind of args[0]
  bool reflexive = false;      // Closure: `*` (reflexive-transitive) instead of `^`
  bool closure_of_define = false;  // Closure: `id` names a define instead of a relation
  bool table_lookup = false;   // TableCall: lookup form, returns the last column
  std::vector<Binding> bindings;  // Forall / Exists
  int height = 1;              // levels of the tree rooted here (a leaf is 1), as parsed

  ExprPtr clone() const;
};

// ------------------------------------------------------------ declarations

/// Where a declaration's data came from when it was imported from CSV.
struct CsvSource {
  std::string path;          // as written, relative to the including file
  std::string resolved_path; // as opened
  std::vector<std::string> columns;  // header names used (enum: one column)
  SourceRange range;
};

struct EnumDecl {
  std::string name;
  SourceRange range;
  std::vector<std::string> values;
  std::vector<SourceRange> value_ranges;  // CSV-loaded values point at the `from` clause
  std::optional<CsvSource> csv;
};

struct Attribute {
  std::string name;
  SourceRange range;
  TypeRef type;
  /// `country: Country fixed`: a scenario's repair never changes it (a fact
  /// of the world, such as where a customer is, not a choice).
  bool fixed = false;
  SourceRange fixed_range;
};

struct EntityKind {
  std::string name;
  SourceRange range;
  std::vector<Attribute> attributes;
  int attribute_index(const std::string& attr) const;
};

struct Param {
  std::string name;
  SourceRange range;
  TypeRef type;
};

struct RelationDecl {
  std::string name;
  SourceRange range;
  std::vector<Param> params;  // entity kinds or enums only
};

/// A literal cell of a table row or a scenario attribute value.
struct Literal {
  ExprPtr expr;  // BoolLit / IntLit / DateLit / NoneLit / Name (enum value or entity name)
};

struct TableDecl {
  std::string name;
  SourceRange range;
  std::vector<Param> params;  // Bool, Int, Date or enum columns
  struct Row {
    std::vector<ExprPtr> cells;  // literals; resolved to EnumValue etc. by check()
    SourceRange range;
  };
  std::vector<Row> rows;
  std::optional<CsvSource> csv;
  bool functional = false;  // set by check(): the first n-1 columns determine the last
  SourceRange extent;       // the whole declaration, from its keyword (diff shows its text)
};

struct DefineDecl {
  std::string name;
  SourceRange range;
  std::vector<Param> params;  // slots 0..n-1
  ExprPtr body;               // Bool
  int slot_count = 0;         // params + quantifier bindings
  SourceRange extent;         // the whole declaration, from its keyword (diff shows its text)
};

/// `message "{t.reseller} sold to {t.customer} on {t.date}"`: the sentence a
/// rule or property prints for a violation, each `{expr}` filled in with the
/// value of an expression over the variables of the formula's outermost
/// `forall` under the violating binding (docs/language.md, *Messages*).
struct MessageTemplate {
  struct Part {
    std::string text;  // literal text (escapes and `{{` `}}` resolved), or empty before `expr`
    ExprPtr expr;      // null for a literal part
  };
  std::vector<Part> parts;
  std::string written;  // the string as written between its quotes, for the formatter
  SourceRange range;    // the string literal, quotes included
};

/// A rule or a property: a named closed formula.
struct FormulaDecl {
  std::string name;
  SourceRange range;        // the name
  std::string description;  // one line
  std::string source;       // catalogue id, e.g. "CSP-R04"
  std::optional<MessageTemplate> message;
  ExprPtr body;             // Bool
  int slot_count = 0;
  // Properties only: `expect proved` / `expect violated` (Alloy's `expect`).
  enum class Expect { None, Proved, Violated } expect = Expect::None;
  SourceRange expect_range;
  SourceRange extent;       // the whole declaration, from its keyword (diff shows its text)
};

struct ScenarioEntity {
  std::string name;          // `P1`
  SourceRange range;
  TypeRef kind;              // `Partner`
  struct Assignment {
    std::string attribute;
    SourceRange range;
    ExprPtr value;           // literal, `none`, enum value or another entity's name
    int attribute_id = -1;   // filled by check
  };
  std::vector<Assignment> assignments;  // attributes left out are free
};

struct ScenarioFact {
  std::string relation;
  SourceRange range;
  std::vector<ExprPtr> args;  // entity names or enum values
  int relation_id = -1;       // filled by check
};

struct ScenarioDecl {
  std::string name;
  SourceRange range;
  std::string description;
  std::string source;
  std::vector<ScenarioEntity> entities;
  std::vector<ScenarioFact> facts;
  enum class Expect { None, Allowed, Forbidden } expect = Expect::None;
  std::vector<std::string> expect_by;   // `expect forbidden by CSP-R13, mpa_signed`
  SourceRange expect_range;
  SourceRange extent;                   // the whole declaration, from its keyword (diff shows its text)
};

struct ScopeDecl {
  std::string kind;  // empty: the default scope
  int size = 0;
  SourceRange range;
};

struct IncludeDecl {
  std::string path;  // as written
  SourceRange range;
};

/// `import`: how the records of a data file become entities of a kind or
/// tuples of a relation, for `cspverify audit` (docs/audit.md). prove, check
/// and verify type-check imports but never read their data.
struct ImportValue {
  /// Data fields (JSON paths such as `companyProfile.address.country`, or CSV
  /// column names): the first that is present and not empty gives the value.
  /// Empty when the value is the constant below.
  std::vector<std::string> fields;
  std::vector<SourceRange> field_ranges;
  ExprPtr constant;  // a literal (`customer`, `none`, `true`, `2020-02-01`) when `fields` is empty
  /// `"field" { "new": true, "renew": false }`: the field's text translated
  /// through this table (a text it does not list is a data error).
  struct MapEntry {
    std::string text;
    SourceRange range;
    ExprPtr value;  // literal, resolved by check() against the target's type
  };
  std::vector<MapEntry> map;
};

struct ImportAssignment {
  std::string target;  // attribute (entity import) or parameter (relation import)
  SourceRange range;
  ImportValue value;
  int target_id = -1;  // attribute or parameter index, filled by check()
  Type type;           // the attribute's or parameter's type, filled by check()
};

/// `where "state" == "Active"`: only records whose field has (or lacks) that text.
struct ImportFilter {
  std::string field;
  SourceRange range;
  bool equal = true;  // `==`; false: `!=`
  std::string text;
};

struct ImportDecl {
  std::string target;  // entity kind or relation name
  SourceRange range;
  std::string path;    // data file, relative to the audit's --data directory
  SourceRange path_range;
  std::string items;   // `items "a.b"`: where a JSON document keeps its record array
  SourceRange items_range;
  /// `key "id"`: each record is a new entity with this field as its key.
  /// `join "id"`: each record sets attributes of the existing entity with that key.
  std::string key;
  SourceRange key_range;
  bool join = false;
  /// `partition "customerId"`: records are split by this field's value across
  /// shards (audit/shard.h); imports without one are read by every shard.
  std::string partition;
  SourceRange partition_range;
  std::vector<ImportFilter> filters;
  std::vector<ImportAssignment> assignments;

  // Filled by check().
  enum class Target { Unresolved, Kind, Relation } target_kind = Target::Unresolved;
  int target_id = -1;
  enum class Format { Unknown, Csv, Json, Ndjson } format = Format::Unknown;
};

struct SpecFile;

/// A patch of a declaration the other loaded files make (docs/language.md,
/// "Patches"): `extend entity Partner { ... }`, `replace rule r ...`,
/// `remove rule r`. apply_patches() (frontend.h) turns every patch into
/// plain declarations before the checker runs, so no later stage sees one.
struct PatchDecl {
  enum class Action { Extend, Replace, Remove };
  Action action = Action::Replace;
  std::string what;         // the declaration keyword it patches: `rule`, `entity`, `table`, ...
  std::string name;         // the declaration it patches
  SourceRange range;        // the name, in the patch
  SourceRange action_range; // `extend` / `replace` / `remove`
  /// Extend and Replace: the declaration written after the action word, as
  /// the only declaration of a file of its own; null for Remove.
  std::unique_ptr<SpecFile> declaration;
};

/// Everything parsed from one file.
struct SpecFile {
  int file = -1;  // SourceManager id
  std::vector<IncludeDecl> includes;
  std::vector<EnumDecl> enums;
  std::vector<EntityKind> kinds;
  std::vector<RelationDecl> relations;
  std::vector<TableDecl> tables;
  std::vector<DefineDecl> defines;
  std::vector<FormulaDecl> rules;
  std::vector<FormulaDecl> properties;
  std::vector<ScenarioDecl> scenarios;
  std::vector<ScopeDecl> scopes;
  std::vector<ImportDecl> imports;
  std::vector<PatchDecl> patches;  // in file order
};

/// The checked model: every file's declarations merged in load order, every
/// name resolved. Ids are indices into these vectors.
struct Model {
  std::vector<EnumDecl> enums;
  std::vector<EntityKind> kinds;
  std::vector<RelationDecl> relations;
  std::vector<TableDecl> tables;
  std::vector<DefineDecl> defines;
  std::vector<FormulaDecl> rules;
  std::vector<FormulaDecl> properties;
  std::vector<ScenarioDecl> scenarios;
  std::vector<ImportDecl> imports;  // data mappings for `cspverify audit`
  int default_scope = 3;
  std::map<int, int> kind_scope;  // per-kind scope declared in the spec (kind id -> size)

  int find_enum(const std::string& name) const;
  int find_kind(const std::string& name) const;
  int find_relation(const std::string& name) const;
  int find_table(const std::string& name) const;
  int find_rule(const std::string& name) const;
  int find_property(const std::string& name) const;
  int find_scenario(const std::string& name) const;
};

/// Days since 1970-01-01 for a proleptic Gregorian date; nullopt if invalid.
std::optional<std::int64_t> days_from_date(int year, int month, int day);
/// `YYYY-MM-DD` for a day number.
std::string format_date(std::int64_t days);
/// Human-readable type, e.g. `Partner?`, `Date`.
std::string type_name(const Model& model, Type type);

/// The source spelling of a binary operator (`implies`, `<=`, ...); "?" for any other kind.
const char* operator_text(ExprKind kind);

}  // namespace csp::model
