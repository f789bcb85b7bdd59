// A concrete relationship graph in the spec's vocabulary: entities with
// attribute values, and relation tuples. Solver-free: the solver decodes Z3
// models into Instances, scenarios describe Instances, the evaluator and every
// report read them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "model/ast.h"

namespace csp::model {

struct Value {
  enum class Tag { None, Bool, Int, Date, Enum, Entity };
  Tag tag = Tag::None;
  std::int64_t v = 0;  // bool 0/1, int, days, enum ordinal, or entity index in Instance::entities
  int type_id = -1;    // enum id (Enum) or entity kind id (Entity)

  static Value none() { return {}; }
  static Value boolean(bool b) { return {Tag::Bool, b ? 1 : 0, -1}; }
  static Value integer(std::int64_t i) { return {Tag::Int, i, -1}; }
  static Value date(std::int64_t days) { return {Tag::Date, days, -1}; }
  static Value enum_value(int enum_id, std::int64_t ordinal) { return {Tag::Enum, ordinal, enum_id}; }
  static Value entity(int kind_id, std::int64_t index) { return {Tag::Entity, index, kind_id}; }

  bool is_none() const { return tag == Tag::None; }
  auto operator<=>(const Value&) const = default;
};

using Tuple = std::vector<Value>;

struct Entity {
  std::string name;   // `Partner1`, or the scenario's name `P1`
  int kind = -1;      // entity kind id
  std::vector<Value> attributes;  // indexed like EntityKind::attributes
};

struct Instance {
  std::vector<Entity> entities;               // grouped by kind, in kind order
  std::vector<std::set<Tuple>> relations;     // indexed by relation id

  /// Indices into `entities` of every entity of kind `kind`, in order.
  std::vector<int> of_kind(int kind) const;
  int find(const std::string& name) const;  // -1 if no entity has that name
};

/// A value as people read it: `true`, `42`, `2021-03-01`, `europe`, `Partner1`, `none`.
std::string format_value(const Model& model, const Instance& instance, const Value& value);

/// Deterministic, human-readable listing: entities with attributes, then tuples.
/// The same instance always prints the same text.
std::string format_instance(const Model& model, const Instance& instance);

/// Entities per kind (kind id -> count), for scope reporting and minimality.
std::vector<int> count_by_kind(const Model& model, const Instance& instance);

}  // namespace csp::model
