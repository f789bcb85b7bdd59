#include "model/ast.h"

#include <fmt/format.h>

namespace csp::model {

ExprPtr Expr::clone() const {
  auto copy = std::make_unique<Expr>();
  copy->kind = kind;
  copy->range = range;
  copy->type = type;
  copy->name = name;
  copy->value = value;
  copy->id = id;
  copy->kind_id = kind_id;
  copy->reflexive = reflexive;
  copy->closure_of_define = closure_of_define;
  copy->table_lookup = table_lookup;
  copy->bindings = bindings;
  copy->height = height;
  for (const auto& arg : args) copy->args.push_back(arg->clone());
  return copy;
}

int EntityKind::attribute_index(const std::string& attr) const {
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (attributes[i].name == attr) return static_cast<int>(i);
  }
  return -1;
}

namespace {

template <typename T>
int find_by_name(const std::vector<T>& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int Model::find_enum(const std::string& name) const { return find_by_name(enums, name); }
int Model::find_kind(const std::string& name) const { return find_by_name(kinds, name); }
int Model::find_relation(const std::string& name) const { return find_by_name(relations, name); }
int Model::find_table(const std::string& name) const { return find_by_name(tables, name); }
int Model::find_rule(const std::string& name) const { return find_by_name(rules, name); }
int Model::find_property(const std::string& name) const { return find_by_name(properties, name); }
int Model::find_scenario(const std::string& name) const { return find_by_name(scenarios, name); }

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
std::optional<std::int64_t> days_from_date(int year, int month, int day) {
  static const int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int limit = kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > limit) return std::nullopt;
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// civil_from_days. Any day number is accepted: `d + n` with a large n makes
// dates far from any calendar, and the shift below would overflow int64 near
// its ends (found by fuzz/evaluator_fuzzer.cpp), so the era arithmetic is
// done in 128 bits. The year always fits in 64 bits again.
std::string format_date(std::int64_t days) {
  using Wide = __int128;
  Wide z = static_cast<Wide>(days) + 719468;
  Wide era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<std::int64_t>(z - era * 146097);
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  auto y = static_cast<std::int64_t>(yoe + era * 400);
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", y + (m <= 2 ? 1 : 0), m, d);
}

std::string type_name(const Model& model, Type type) {
  std::string base;
  switch (type.kind) {
    case TypeKind::Error: base = "<error>"; break;
    case TypeKind::Bool: base = "Bool"; break;
    case TypeKind::Int: base = "Int"; break;
    case TypeKind::Date: base = "Date"; break;
    case TypeKind::Enum: base = type.id >= 0 ? model.enums[type.id].name : "<enum>"; break;
    case TypeKind::Entity: base = type.id >= 0 ? model.kinds[type.id].name : "<entity>"; break;
  }
  return type.optional ? base + "?" : base;
}

// Shared by the formatter and the evaluator's explanations, so both spell an
// operator as the parser reads it.
const char* operator_text(ExprKind kind) {
  switch (kind) {
    case ExprKind::Iff: return "iff";
    case ExprKind::Implies: return "implies";
    case ExprKind::Or: return "or";
    case ExprKind::And: return "and";
    case ExprKind::Eq: return "==";
    case ExprKind::Ne: return "!=";
    case ExprKind::Lt: return "<";
    case ExprKind::Le: return "<=";
    case ExprKind::Gt: return ">";
    case ExprKind::Ge: return ">=";
    case ExprKind::Add: return "+";
    case ExprKind::Sub: return "-";
    default: return "?";
  }
}

}  // namespace csp::model
