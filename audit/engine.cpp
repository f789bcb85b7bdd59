// The planned evaluator. Each case of eval() follows the same case of
// model/evaluator.cpp (the reference semantics); only where the values come
// from differs: quantifiers enumerate plan candidates, membership and lookups
// probe hash tables, closures query precomputed components.
#include "audit/engine.h"

#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <mutex>
#include <span>

#include "audit/closure.h"
#include "audit/flat_hash.h"
#include "model/evaluator.h"
#include "model/operators.h"
#include "model/stop.h"

namespace csp::audit {

using model::Expr;
using model::ExprKind;
using model::Tuple;
using model::TypeKind;
using model::Value;

namespace {

bool in_range(std::int64_t index, std::size_t size) {
  return index >= 0 && static_cast<std::uint64_t>(index) < size;
}

namespace operators = model::operators;
using operators::truthy;

/// Call arguments evaluated into a small buffer: no allocation up to 8, and
/// no zeroing (a Value is trivially copyable; every slot is assigned first).
class Args {
 public:
  explicit Args(std::size_t n) : size_(n) {
    if (n > kInline) heap_.resize(n);
  }
  Value* data() { return size_ > kInline ? heap_.data() : inline_.values; }
  std::size_t size() const { return size_; }
  bool any_none() {
    Value* d = data();
    return std::any_of(d, d + size_, [](const Value& v) { return v.is_none(); });
  }
  TupleView view(std::size_t n) { return TupleView{data(), n}; }

 private:
  static constexpr std::size_t kInline = 8;
  union Storage {
    Storage() {}
    Value values[kInline];
  } inline_;
  std::vector<Value> heap_;
  std::size_t size_;
};

using ValueIndex = std::unordered_map<Value, std::vector<std::uint32_t>, ValueHash>;
/// By the values of one attribute chain, or of several at once
/// (PlanStep::more_attributes), hashed into one 64-bit key: a probe costs
/// about one cache miss, and building one over a million entities is a sort
/// (a node per distinct value and a vector per key cost ten times as much).
using CompositeIndex = HashBuckets;

thread_local Trace* current_trace = nullptr;

/// A model::Value in 16 bytes instead of 24 (its padding dropped): the
/// engine keeps millions of attribute values, read mostly at random.
struct PackedValue {
  std::int64_t v = 0;
  std::int32_t type_id = -1;
  Value::Tag tag = Value::Tag::None;

  static PackedValue pack(const Value& value) {
    return PackedValue{value.v, static_cast<std::int32_t>(value.type_id), value.tag};
  }
  Value unpack() const { return Value{tag, v, type_id}; }
};
static_assert(sizeof(PackedValue) == 16);

/// Slot vectors for define calls on this thread, by nesting depth (a define
/// may call another, and an exception may unwind any of them). A deque:
/// growing it never moves the vectors the outer calls are using.
thread_local std::deque<std::vector<Value>> define_slot_pool;
thread_local std::size_t define_depth = 0;

struct DefineSlots {
  std::vector<Value>& slots;
  DefineSlots() : slots(take()) {}
  ~DefineSlots() { --define_depth; }
  DefineSlots(const DefineSlots&) = delete;
  DefineSlots& operator=(const DefineSlots&) = delete;

 private:
  static std::vector<Value>& take() {
    if (define_slot_pool.size() <= define_depth) define_slot_pool.emplace_back();
    return define_slot_pool[define_depth++];
  }
};

}  // namespace

struct Engine::Impl {
  struct RelationStore {
    std::vector<const Tuple*> tuples;  // the instance's own tuples (a std::set never moves them), in its order
    std::unordered_set<Tuple, TupleHash, TupleEqual> members;
    std::map<int, ValueIndex> by_position;  // position -> value -> tuple indices
    // A relation between two entity kinds: its well-typed tuples as 64-bit keys.
    int kinds[2] = {-1, -1};
    FlatSet64 pairs;
  };
  struct TableStore {
    std::unordered_map<Tuple, Value, TupleHash, TupleEqual> lookup;  // first n-1 cells -> last (first row wins)
    std::unordered_set<Tuple, TupleHash, TupleEqual> rows;
    // A lookup keyed by one enum column: the value by the key's ordinal (none when absent).
    int key_enum = -1;
    std::vector<Value> by_ordinal;
  };

  static std::uint64_t pair_key(const Value& a, const Value& b) {
    return (static_cast<std::uint64_t>(a.v) << 32) | static_cast<std::uint64_t>(b.v);
  }
  static bool packable(const Value& v, int kind) {
    return v.tag == Value::Tag::Entity && v.type_id == kind && v.v >= 0 && v.v <= 0xFFFFFFFFLL;
  }

  Impl(const Engine& engine, const model::Model& model, const model::Instance& instance, const EngineOptions& options)
      : engine_(engine), model_(model), instance_(instance) {
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
      if (options.rules.empty() || std::find(options.rules.begin(), options.rules.end(), static_cast<int>(r)) !=
                                       options.rules.end()) {
        bodies_.push_back(model.rules[r].body.get());
      }
    }
    if (options.properties) {
      for (const auto& property : model.properties) bodies_.push_back(property.body.get());
    }
    of_kind_.resize(model.kinds.size());
    for (std::size_t i = 0; i < instance.entities.size(); ++i) {
      int kind = instance.entities[i].kind;
      if (in_range(kind, of_kind_.size())) of_kind_[kind].push_back(static_cast<int>(i));
    }
    build_columns();
    build_relations();
    build_tables();
    sizes_.kind_sizes.resize(model.kinds.size());
    for (std::size_t k = 0; k < model.kinds.size(); ++k) sizes_.kind_sizes[k] = of_kind_[k].size();
    for (const auto& r : relations_) sizes_.relation_sizes.push_back(r.tuples.size());
    if (options.plan_sizes) sizes_ = *options.plan_sizes;
    plan_model();
    build_closures();
  }

  // Every closure the prepared bodies take, through the defines they call,
  // so that evaluation never builds one.
  void build_closures() {
    std::vector<bool> seen(model_.defines.size(), false);
    std::function<void(const Expr&)> walk = [&](const Expr& e) {
      if (e.kind == ExprKind::Closure) closure_graph(e);
      bool calls = e.kind == ExprKind::DefineCall || (e.kind == ExprKind::Closure && e.closure_of_define);
      if (calls && in_range(e.id, seen.size()) && !seen[e.id]) {
        seen[e.id] = true;
        if (model_.defines[e.id].body) walk(*model_.defines[e.id].body);
      }
      for (const auto& arg : e.args) walk(*arg);
    };
    for (const Expr* body : bodies_) {
      if (body) walk(*body);
    }
  }

  // ------------------------------------------------------------ storage

  // Attribute values by kind, one row per entity in entity order, packed to
  // 16 bytes each. A rule scanning a million transactions reads them from
  // one array instead of chasing each entity's own vector, and a random
  // lookup (`t.customer.tenant.country`, the relationship an index finds)
  // finds an entity's attributes side by side: one or two cache lines where
  // a column per attribute cost a miss per attribute read.
  void build_columns() {
    std::size_t n = instance_.entities.size();
    kind_of_.assign(n, -1);
    local_of_.assign(n, 0);
    attribute_counts_.assign(n, 0);
    rows_.resize(of_kind_.size());
    stride_.assign(of_kind_.size(), 0);
    for (std::size_t k = 0; k < of_kind_.size(); ++k) {
      std::size_t attributes = model_.kinds[k].attributes.size();
      stride_[k] = attributes;
      assign_large(rows_[k], of_kind_[k].size() * attributes, PackedValue{});
      PackedValue* row = rows_[k].data();
      for (std::size_t local = 0; local < of_kind_[k].size(); ++local, row += attributes) {
        int entity = of_kind_[k][local];
        kind_of_[entity] = static_cast<int>(k);
        local_of_[entity] = static_cast<std::uint32_t>(local);
        const auto& values = instance_.entities[entity].attributes;
        for (std::size_t a = 0; a < attributes && a < values.size(); ++a) row[a] = PackedValue::pack(values[a]);
        attribute_counts_[entity] = static_cast<std::uint32_t>(values.size());
      }
    }
    // The usual layout (the audit's loader makes it): each kind's entities
    // one after the other, every one with all its kind's attributes. Then an
    // entity value's kind and position follow from its type and index alone.
    kind_begin_.assign(of_kind_.size(), 0);
    grouped_.assign(of_kind_.size(), false);
    for (std::size_t k = 0; k < of_kind_.size(); ++k) {
      const auto& members = of_kind_[k];
      bool contiguous = members.empty() || members.back() - members.front() + 1 == static_cast<int>(members.size());
      bool full = std::all_of(members.begin(), members.end(), [&](int e) {
        return attribute_counts_[e] == model_.kinds[k].attributes.size();
      });
      grouped_[k] = contiguous && full;
      kind_begin_[k] = members.empty() ? 0 : members.front();
    }
  }

  // Entity `entity`'s attribute `attribute` as model::Evaluator reads it.
  bool attribute_of(std::int64_t entity, int attribute, int type_id, Value& out) const {
    if (in_range(type_id, grouped_.size()) && grouped_[type_id]) {
      std::int64_t local = entity - kind_begin_[type_id];
      if (in_range(local, of_kind_[type_id].size()) && in_range(attribute, stride_[type_id])) {
        // one load: no lookup of the entity's kind or position
        out = rows_[type_id][static_cast<std::size_t>(local) * stride_[type_id] + attribute].unpack();
        return true;
      }
    }
    if (!in_range(entity, kind_of_.size())) return false;
    int kind = kind_of_[entity];
    if (kind < 0) {
      const auto& values = instance_.entities[entity].attributes;
      if (!in_range(attribute, values.size())) return false;
      out = values[attribute];
      return true;
    }
    if (!in_range(attribute, attribute_counts_[entity]) || !in_range(attribute, stride_[kind])) return false;
    out = rows_[kind][local_of_[entity] * stride_[kind] + attribute].unpack();
    return true;
  }

  void build_relations() {
    relations_.resize(model_.relations.size());
    for (std::size_t r = 0; r < model_.relations.size() && r < instance_.relations.size(); ++r) {
      RelationStore& store = relations_[r];
      store.tuples.reserve(instance_.relations[r].size());
      for (const Tuple& t : instance_.relations[r]) store.tuples.push_back(&t);
      const auto& params = model_.relations[r].params;
      if (params.size() == 2 && params[0].type.type.kind == TypeKind::Entity &&
          params[1].type.type.kind == TypeKind::Entity) {
        store.kinds[0] = params[0].type.type.id;
        store.kinds[1] = params[1].type.type.id;
        store.pairs.reserve(store.tuples.size());
      }
      // Well-typed pairs of entities as 64-bit keys; any other tuple (and only
      // those: an equal query is just as unpackable) in the general set.
      for (const Tuple* tp : store.tuples) {
        const Tuple& t = *tp;
        if (t.size() == 2 && packable(t[0], store.kinds[0]) && packable(t[1], store.kinds[1])) {
          store.pairs.insert(pair_key(t[0], t[1]));
        } else {
          store.members.insert(t);
        }
      }
    }
  }

  void build_tables() {
    tables_.resize(model_.tables.size());
    std::vector<Value> no_slots;
    for (std::size_t t = 0; t < model_.tables.size(); ++t) {
      const model::TableDecl& decl = model_.tables[t];
      for (const auto& row : decl.rows) {
        Tuple cells;
        for (const auto& cell : row.cells) cells.push_back(operators::literal(*cell));
        if (cells.size() != decl.params.size() || cells.empty()) continue;
        Tuple key(cells.begin(), cells.end() - 1);
        tables_[t].lookup.emplace(std::move(key), cells.back());
        tables_[t].rows.insert(std::move(cells));
      }
      const auto& params = decl.params;
      if (params.size() == 2 && params[0].type.type.kind == TypeKind::Enum &&
          in_range(params[0].type.type.id, model_.enums.size())) {
        TableStore& table = tables_[t];
        table.key_enum = params[0].type.type.id;
        table.by_ordinal.assign(model_.enums[table.key_enum].values.size(), Value::none());
        for (const auto& [key, value] : table.lookup) {
          if (key.size() == 1 && key[0].tag == Value::Tag::Enum && key[0].type_id == table.key_enum &&
              in_range(key[0].v, table.by_ordinal.size())) {
            table.by_ordinal[key[0].v] = value;
          }
        }
      }
    }
  }

  const ValueIndex& relation_index(int relation, int position) {
    RelationStore& store = relations_[relation];
    auto it = store.by_position.find(position);
    if (it != store.by_position.end()) return it->second;
    ValueIndex& index = store.by_position[position];
    for (std::size_t i = 0; i < store.tuples.size(); ++i) {
      const Tuple& tuple = *store.tuples[i];
      if (in_range(position, tuple.size())) index[tuple[position]].push_back(static_cast<std::uint32_t>(i));
    }
    return index;
  }

  // The value of `v.a1.a2...` for the entity `entity`, as Attr evaluates it.
  Value chain_value(int kind, int entity, const std::vector<int>& attributes) const {
    Value value = Value::entity(kind, entity);
    for (int a : attributes) {
      Value next;
      if (value.tag != Value::Tag::Entity || !attribute_of(value.v, a, value.type_id, next)) return Value::none();
      value = next;
    }
    return value;
  }

  // ------------------------------------------------------------ plans

  // Plans every quantifier where it occurs, knowing which slots its context binds.
  void plan_model() {
    for (const Expr* body : bodies_) {
      if (body) plan_within(*body, {});
    }
    for (const model::DefineDecl& define : model_.defines) {
      std::vector<int> params;
      for (std::size_t i = 0; i < define.params.size(); ++i) params.push_back(static_cast<int>(i));
      if (define.body) plan_within(*define.body, params);
    }
  }

  void plan_within(const Expr& expr, std::vector<int> bound) {
    if (expr.kind == ExprKind::Forall || expr.kind == ExprKind::Exists) {
      plan_quantifier(expr, expr.kind == ExprKind::Exists, bound);
      for (const auto& b : expr.bindings) bound.push_back(b.slot);
    }
    for (const auto& arg : expr.args) plan_within(*arg, bound);
  }

  using PlanMap = std::map<std::pair<const Expr*, bool>, Plan>;  // std::map: references stay valid as it grows

  const Plan& plan_quantifier(const Expr& quantifier, bool want, const std::vector<int>& bound) {
    return plan_quantifier(quantifier, want, bound, plans_);
  }
  const Plan& plan_quantifier(const Expr& quantifier, bool want, const std::vector<int>& bound, PlanMap& plans) {
    auto key = std::make_pair(&quantifier, want);
    auto it = plans.find(key);
    if (it != plans.end()) return it->second;
    std::vector<PlanVariable> variables = quantifier_variables(quantifier);
    // A quantifier with nothing bound around it is a rule's (or property's)
    // outermost one: its plan runs once per evaluation.
    bool once = bound.empty();
    Plan plan = quantifier.args.empty() ? Plan{variables, {}}
                                        : make_plan(model_, variables, *quantifier.args[0], want, bound, sizes_, once);
    prepare_indexes(plan);
    return plans.emplace(key, std::move(plan)).first->second;
  }

  // The model's own quantifiers were planned by the constructor, and plans_
  // never changes after it: found without a lock (a shared lock taken for
  // every nested quantifier was a cache line the threads fought over). A
  // quantifier met outside the model's own bodies is planned on first use,
  // with everything but its own variables known.
  const Plan& plan_for(const Expr& quantifier, bool want) {
    auto key = std::make_pair(&quantifier, want);
    if (auto it = plans_.find(key); it != plans_.end()) return it->second;
    std::lock_guard lock(late_plans_mutex_);
    if (auto it = late_plans_.find(key); it != late_plans_.end()) return it->second;
    std::vector<int> bound;
    int max_slot = 0;
    for (const auto& b : quantifier.bindings) max_slot = std::max(max_slot, b.slot);
    for (int s = 0; s < max_slot + 64; ++s) {
      bool own = std::any_of(quantifier.bindings.begin(), quantifier.bindings.end(),
                             [&](const model::Binding& b) { return b.slot == s; });
      if (!own) bound.push_back(s);
    }
    return plan_quantifier(quantifier, want, bound, late_plans_);
  }

  void prepare_indexes(Plan& plan) {
    for (PlanStep& step : plan.steps) prepare_indexes(plan, step);
  }
  void prepare_indexes(const Plan& plan, PlanStep& step) {
    if (step.kind == PlanStep::Kind::Index) {
      int kind = plan.variables[step.variable].kind;
      std::vector<std::vector<int>> chains{step.attributes};
      chains.insert(chains.end(), step.more_attributes.begin(), step.more_attributes.end());
      step.prepared_index = &composite_index(kind, chains);
    } else if (step.kind == PlanStep::Kind::Tuples && step.lookup_position >= 0) {
      relation_index(step.relation, step.lookup_position);
    }
    for (PlanStep& branch : step.branches) prepare_indexes(plan, branch);
  }

  const CompositeIndex& composite_index(int kind, const std::vector<std::vector<int>>& chains) {
    auto key = std::make_pair(kind, chains);
    auto it = composite_indexes_.find(key);
    if (it != composite_indexes_.end()) return it->second;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> items;
    items.reserve(of_kind_[kind].size());
    Args values(chains.size());
    for (int entity : of_kind_[kind]) {
      for (std::size_t c = 0; c < chains.size(); ++c) values.data()[c] = chain_value(kind, entity, chains[c]);
      items.emplace_back(TupleHash{}(values.view(chains.size())), static_cast<std::uint32_t>(entity));
    }
    return composite_indexes_.emplace(key, CompositeIndex(std::move(items))).first->second;
  }

  // The entities an Index step finds for the current binding: those whose
  // values hash alike, a superset the body's evaluation sorts out.
  std::span<const std::uint32_t> index_bucket(const PlanStep& st, std::vector<Value>& slots) {
    Args key(st.more_exprs.size() + 1);
    key.data()[0] = eval(*st.expr, slots);
    for (std::size_t i = 0; i < st.more_exprs.size(); ++i) key.data()[i + 1] = eval(*st.more_exprs[i], slots);
    return static_cast<const CompositeIndex*>(st.prepared_index)->find(TupleHash{}(key.view(key.size())));
  }

  // ------------------------------------------------------------ enumeration

  bool is_entity_of(const Value& v, int kind) const {
    if (v.tag != Value::Tag::Entity || v.type_id != kind) return false;
    if (in_range(kind, grouped_.size()) && grouped_[kind]) return in_range(v.v - kind_begin_[kind], of_kind_[kind].size());
    return in_range(v.v, kind_of_.size()) && kind_of_[v.v] == kind;
  }

  struct Search {
    const Plan& plan;
    const Expr& body;
    bool want;
    std::vector<Value>& slots;
    const std::function<bool()>& visit;
    SearchControl* control;
  };

  // Runs steps from `step` on; false once the visitor asked to stop.
  bool run(Search& s, std::size_t step) {
    if (step == s.plan.steps.size()) {
      if (s.control && (++s.control->candidates & 0xFFFF) == 0) {
        if (model::stop_requested()) {
          s.control->interrupted = true;
          return false;
        }
        if (s.control->progress) s.control->progress(s.control->candidates);
      }
      if (truthy(eval(s.body, s.slots)) != s.want) return true;
      return s.visit();
    }
    const PlanStep& st = s.plan.steps[step];
    const PlanVariable* var = st.variable >= 0 ? &s.plan.variables[st.variable] : nullptr;
    switch (st.kind) {
      case PlanStep::Kind::Scan: {
        const std::vector<int>& entities = of_kind_[var->kind];
        std::size_t begin = 0, end = entities.size();
        if (step == 0 && s.control) {
          end = std::min(end, s.control->scan_end);
          begin = std::min(end, s.control->scan_begin);
        }
        for (std::size_t i = begin; i < end; ++i) {
          s.slots[var->slot] = Value::entity(var->kind, entities[i]);
          if (!run(s, step + 1)) return false;
        }
        return true;
      }
      case PlanStep::Kind::Equal: {
        Value v = eval(*st.expr, s.slots);
        if (!is_entity_of(v, var->kind)) return true;
        s.slots[var->slot] = v;
        return run(s, step + 1);
      }
      case PlanStep::Kind::Index: {
        for (std::uint32_t entity : index_bucket(st, s.slots)) {
          s.slots[var->slot] = Value::entity(var->kind, entity);
          if (!run(s, step + 1)) return false;
        }
        return true;
      }
      case PlanStep::Kind::Tuples: return run_tuples(s, step);
      case PlanStep::Kind::Union: {
        std::vector<Value> candidates;
        for (const PlanStep& branch : st.branches) add_candidates(s.plan, branch, s.slots, candidates);
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        for (const Value& v : candidates) {
          s.slots[var->slot] = v;
          if (!run(s, step + 1)) return false;
        }
        return true;
      }
    }
    return true;
  }

  // The values a step that binds one variable would give it (a branch of a union).
  void add_candidates(const Plan& plan, const PlanStep& st, std::vector<Value>& slots, std::vector<Value>& out) {
    const PlanVariable& var = plan.variables[st.variable];
    switch (st.kind) {
      case PlanStep::Kind::Scan:
        for (int entity : of_kind_[var.kind]) out.push_back(Value::entity(var.kind, entity));
        return;
      case PlanStep::Kind::Equal: {
        Value v = eval(*st.expr, slots);
        if (is_entity_of(v, var.kind)) out.push_back(v);
        return;
      }
      case PlanStep::Kind::Index: {
        for (std::uint32_t entity : index_bucket(st, slots)) out.push_back(Value::entity(var.kind, entity));
        return;
      }
      case PlanStep::Kind::Tuples:
        for_each_matching_tuple(st, slots, [&](const Tuple& tuple) {
          std::optional<Value> bound;
          for (std::size_t i = 0; i < tuple.size(); ++i) {
            if (st.position_variables[i] < 0) continue;
            if (!is_entity_of(tuple[i], var.kind) || (bound && !(*bound == tuple[i]))) return true;
            bound = tuple[i];
          }
          if (bound) out.push_back(*bound);
          return true;
        });
        return;
      case PlanStep::Kind::Union:
        for (const PlanStep& branch : st.branches) add_candidates(plan, branch, slots, out);
        return;
    }
  }

  // Calls `visit` on each tuple whose known positions hold the known values,
  // until it returns false (which this then returns).
  template <typename Visit>
  bool for_each_matching_tuple(const PlanStep& st, std::vector<Value>& slots, Visit visit) {
    const RelationStore& store = relations_[st.relation];
    std::size_t arity = st.position_variables.size();
    Args fixed(arity);
    for (std::size_t i = 0; i < arity; ++i) {
      if (st.position_variables[i] < 0) fixed.data()[i] = eval(*st.position_exprs[i], slots);
    }
    auto matches = [&](const Tuple& tuple) {
      if (tuple.size() != arity) return false;
      for (std::size_t i = 0; i < arity; ++i) {
        if (st.position_variables[i] < 0 && !(tuple[i] == fixed.data()[i])) return false;
      }
      return true;
    };
    if (st.lookup_position < 0) {
      for (const Tuple* tuple : store.tuples) {
        if (matches(*tuple) && !visit(*tuple)) return false;
      }
      return true;
    }
    const ValueIndex& index = relation_index(st.relation, st.lookup_position);
    auto it = index.find(fixed.data()[st.lookup_position]);
    if (it == index.end()) return true;
    for (std::uint32_t t : it->second) {
      const Tuple& tuple = *store.tuples[t];
      if (matches(tuple) && !visit(tuple)) return false;
    }
    return true;
  }

  bool run_tuples(Search& s, std::size_t step) {
    const PlanStep& st = s.plan.steps[step];
    std::size_t arity = st.position_variables.size();
    return for_each_matching_tuple(st, s.slots, [&](const Tuple& tuple) {
      // Bind each variable, once; a variable at two positions needs equal values.
      for (std::size_t i = 0; i < arity; ++i) {
        int v = st.position_variables[i];
        if (v < 0) continue;
        const PlanVariable& var = s.plan.variables[v];
        if (!is_entity_of(tuple[i], var.kind)) return true;
        bool earlier = false;
        for (std::size_t j = 0; j < i; ++j) earlier = earlier || st.position_variables[j] == v;
        if (earlier && !(s.slots[var.slot] == tuple[i])) return true;
        s.slots[var.slot] = tuple[i];
      }
      return run(s, step + 1);
    });
  }

  void for_each_binding(const Expr& quantifier, bool want, std::vector<Value>& slots, const std::function<bool()>& visit,
                        SearchControl* control) {
    if (quantifier.args.empty()) return;
    for (const auto& b : quantifier.bindings) {
      if (b.slot < 0) return;
      if (static_cast<std::size_t>(b.slot) >= slots.size()) slots.resize(b.slot + 1);
    }
    const Plan& plan = plan_for(quantifier, want);
    Search search{plan, *quantifier.args[0], want, slots, visit, control};
    run(search, 0);
  }

  // ------------------------------------------------------------ evaluation

  // The operators' operands, valued by this engine.
  struct Recurse {
    Impl* impl;
    Value operator()(const Expr& e, std::vector<Value>& s) const { return impl->eval(e, s); }
  };

  Value eval(const Expr& expr, std::vector<Value>& slots) {
    switch (expr.kind) {
      case ExprKind::Name:
      case ExprKind::Call:
      case ExprKind::Dot: return Value::none();
      case ExprKind::Var: return in_range(expr.id, slots.size()) ? slots[expr.id] : Value::none();
      case ExprKind::EntityName: {
        int index = instance_.find(expr.name);
        return index < 0 ? Value::none() : Value::entity(instance_.entities[index].kind, index);
      }
      case ExprKind::Attr: return attribute(expr, slots);
      case ExprKind::RelationCall: return Value::boolean(relation_call(expr, slots));
      case ExprKind::TableCall: return table_call(expr, slots);
      case ExprKind::DefineCall: {
        Args args(expr.args.size());
        for (std::size_t i = 0; i < expr.args.size(); ++i) args.data()[i] = eval(*expr.args[i], slots);
        return Value::boolean(define_holds(expr.id, args.data(), args.size()));
      }
      case ExprKind::Closure: return Value::boolean(closure(expr, slots));
      case ExprKind::Forall:
      case ExprKind::Exists: return Value::boolean(quantified(expr, slots));
      // The operators, each group called from this switch (a second switch
      // in operator_value cost 7% of the search).
      case ExprKind::BoolLit:
      case ExprKind::IntLit:
      case ExprKind::DateLit:
      case ExprKind::NoneLit:
      case ExprKind::EnumValue: return operators::literal(expr);
      case ExprKind::Not:
      case ExprKind::And:
      case ExprKind::Or:
      case ExprKind::Implies:
      case ExprKind::Iff: return Value::boolean(operators::logical(expr, slots, Recurse{this}));
      case ExprKind::Eq:
      case ExprKind::Ne:
      case ExprKind::Lt:
      case ExprKind::Le:
      case ExprKind::Gt:
      case ExprKind::Ge: return operators::comparison(expr, slots, Recurse{this});
      case ExprKind::Add:
      case ExprKind::Sub: return operators::arithmetic(expr, slots, Recurse{this});
      case ExprKind::In: return operators::membership(expr, slots, Recurse{this});
    }
    return Value::none();
  }

  Value attribute(const Expr& expr, std::vector<Value>& slots) {
    if (expr.args.empty()) return Value::none();
    Value owner = eval(*expr.args[0], slots);
    Value value;
    if (owner.tag != Value::Tag::Entity || !attribute_of(owner.v, expr.id, owner.type_id, value)) return Value::none();
    if (Trace* trace = current_trace; trace && trace->attributes.size() < trace->limit) {
      trace->attributes.emplace_back(static_cast<int>(owner.v), expr.id);
    }
    return value;
  }

  bool relation_call(const Expr& expr, std::vector<Value>& slots) {
    Args args(expr.args.size());
    for (std::size_t i = 0; i < expr.args.size(); ++i) args.data()[i] = eval(*expr.args[i], slots);
    if (args.any_none() || !in_range(expr.id, relations_.size())) return false;
    const RelationStore& store = relations_[expr.id];
    const Value* a = args.data();
    bool holds = args.size() == 2 && packable(a[0], store.kinds[0]) && packable(a[1], store.kinds[1])
                     ? store.pairs.contains(pair_key(a[0], a[1]))
                     : store.members.find(args.view(args.size())) != store.members.end();
    if (holds) {
      if (Trace* trace = current_trace; trace && trace->tuples.size() < trace->limit) {
        trace->tuples.emplace_back(expr.id, Tuple(args.data(), args.data() + args.size()));
      }
    }
    return holds;
  }

  Value table_call(const Expr& expr, std::vector<Value>& slots) {
    Args args(expr.args.size());
    for (std::size_t i = 0; i < expr.args.size(); ++i) args.data()[i] = eval(*expr.args[i], slots);
    if (!in_range(expr.id, tables_.size()) || args.any_none()) {
      return expr.table_lookup ? Value::none() : Value::boolean(false);
    }
    const TableStore& table = tables_[expr.id];
    if (expr.table_lookup && args.size() == 1) {
      const Value& key = args.data()[0];
      if (key.tag == Value::Tag::Enum && key.type_id == table.key_enum && in_range(key.v, table.by_ordinal.size())) {
        return table.by_ordinal[key.v];
      }
    }
    if (expr.table_lookup) {
      auto it = table.lookup.find(args.view(args.size()));
      return it == table.lookup.end() ? Value::none() : it->second;
    }
    return Value::boolean(table.rows.find(args.view(args.size())) != table.rows.end());
  }

  bool define_holds(int define, const Value* args, std::size_t n) {
    if (!in_range(define, model_.defines.size())) return false;
    const model::DefineDecl& decl = model_.defines[define];
    if (!decl.body) return false;
    // A define called for each of a million bindings: its slots come from
    // this thread's pool, one vector per nesting depth, not from malloc.
    DefineSlots reuse;
    std::vector<Value>& slots = reuse.slots;
    slots.assign(std::max<std::size_t>(decl.slot_count, n), Value::none());
    std::copy(args, args + n, slots.begin());
    return truthy(eval(*decl.body, slots));
  }

  bool quantified(const Expr& expr, std::vector<Value>& slots) {
    if (expr.args.empty()) return expr.kind == ExprKind::Forall;
    bool want = expr.kind == ExprKind::Exists;  // forall: look for a false body
    bool found = false;
    for_each_binding(expr, want, slots, [&] {
      found = true;
      return false;
    }, nullptr);
    return expr.kind == ExprKind::Forall ? !found : found;
  }

  // ------------------------------------------------------------ closures

  bool closure(const Expr& expr, std::vector<Value>& slots) {
    if (expr.args.size() != 2) return false;
    Value from = eval(*expr.args[0], slots);
    Value to = eval(*expr.args[1], slots);
    if (from.is_none() || to.is_none()) return false;
    if (expr.reflexive && from == to) return true;
    return closure_graph(expr).reaches(from, to);
  }

  const ClosureGraph& closure_graph(const Expr& expr) {
    auto key = std::make_pair(expr.closure_of_define, expr.id);
    auto it = closures_.find(key);
    if (it != closures_.end()) return *it->second;
    auto graph = std::make_unique<ClosureGraph>();
    if (expr.closure_of_define) {
      build_define_graph(*graph, expr.id);
    } else if (in_range(expr.id, relations_.size())) {
      for (const Tuple* tuple : relations_[expr.id].tuples) {
        if (tuple->size() == 2) graph->add_edge((*tuple)[0], (*tuple)[1]);
      }
    }
    graph->finish();
    return *closures_.emplace(key, std::move(graph)).first->second;
  }

  // The values a define's parameter ranges over (model::Evaluator's domain_of).
  std::vector<Value> domain_of(const model::Param& param) const {
    std::vector<Value> domain;
    const model::Type& type = param.type.type;
    if (type.kind == TypeKind::Entity && in_range(type.id, of_kind_.size())) {
      for (int index : of_kind_[type.id]) domain.push_back(Value::entity(type.id, index));
    } else if (type.kind == TypeKind::Enum && in_range(type.id, model_.enums.size())) {
      for (std::size_t v = 0; v < model_.enums[type.id].values.size(); ++v) {
        domain.push_back(Value::enum_value(type.id, static_cast<std::int64_t>(v)));
      }
    }
    return domain;
  }

  // Edges from -> to where define(from, to) holds: `to` enumerated by a plan
  // over the define's body with `from` known, then checked by evaluation.
  void build_define_graph(ClosureGraph& graph, int define) {
    if (!in_range(define, model_.defines.size())) return;
    const model::DefineDecl& decl = model_.defines[define];
    if (decl.params.size() != 2 || !decl.body) return;
    std::vector<Value> froms = domain_of(decl.params[0]);
    const model::Type& to_type = decl.params[1].type.type;
    std::vector<Value> slots(std::max<std::size_t>(decl.slot_count, 2));
    if (to_type.kind != TypeKind::Entity) {
      std::vector<Value> tos = domain_of(decl.params[1]);
      for (const Value& from : froms) {
        for (const Value& to : tos) {
          Value args[2] = {from, to};
          if (define_holds(define, args, 2)) graph.add_edge(from, to);
        }
      }
      return;
    }
    std::vector<PlanVariable> variables{{1, to_type.id, decl.params[1].name}};
    Plan plan = make_plan(model_, variables, *decl.body, true, {0}, sizes_);
    prepare_indexes(plan);
    for (const Value& from : froms) {
      slots[0] = from;
      std::function<bool()> visit = [&] {
        Value args[2] = {from, slots[1]};
        if (define_holds(define, args, 2)) graph.add_edge(from, slots[1]);
        return true;
      };
      // The visitor checks the define with fresh slots, as the plain evaluator does.
      Search search{plan, *decl.body, true, slots, visit, nullptr};
      run(search, 0);
    }
  }

  const Engine& engine_;
  const model::Model& model_;
  const model::Instance& instance_;
  std::vector<const Expr*> bodies_;  // the rule and property bodies prepared
  std::vector<std::vector<int>> of_kind_;
  std::vector<int> kind_of_;                            // by entity: its kind (-1: undeclared)
  std::vector<std::uint32_t> local_of_;                 // by entity: its position among its kind
  std::vector<std::uint32_t> attribute_counts_;         // by entity: how many attributes it has
  std::vector<int> kind_begin_;                         // by kind: its first entity, when grouped
  std::vector<bool> grouped_;                           // by kind: contiguous, every attribute present
  std::vector<std::vector<PackedValue>> rows_;          // by kind: stride_ values per entity, by position
  std::vector<std::size_t> stride_;                     // by kind: its declared attributes
  std::vector<RelationStore> relations_;
  std::vector<TableStore> tables_;
  PlanSizes sizes_;
  PlanMap plans_;       // the model's quantifiers, planned by the constructor
  PlanMap late_plans_;  // quantifiers outside the model's bodies, planned on first use
  std::mutex late_plans_mutex_;
  std::map<std::pair<int, std::vector<std::vector<int>>>, CompositeIndex> composite_indexes_;
  std::map<std::pair<bool, int>, std::unique_ptr<ClosureGraph>> closures_;
};

Engine::Engine(const model::Model& model, const model::Instance& instance, const EngineOptions& options)
    : model_(model), instance_(instance), impl_(std::make_unique<Impl>(*this, model, instance, options)) {}

Engine::~Engine() = default;

model::Value Engine::eval(const Expr& expr, std::vector<Value>& slots) const { return impl_->eval(expr, slots); }

bool Engine::test(const Expr& expr, std::vector<Value>& slots) const { return truthy(impl_->eval(expr, slots)); }

void Engine::for_each_binding(const Expr& quantifier, bool want, std::vector<Value>& slots,
                              const std::function<bool()>& visit, SearchControl* control) const {
  impl_->for_each_binding(quantifier, want, slots, visit, control);
}

std::size_t Engine::outer_scan_size(const Expr& quantifier) const {
  const auto& plan = impl_->plan_for(quantifier, quantifier.kind == ExprKind::Exists);
  if (plan.steps.empty() || plan.steps[0].kind != PlanStep::Kind::Scan || plan.steps[0].variable < 0) return 0;
  return impl_->of_kind_[plan.variables[plan.steps[0].variable].kind].size();
}

std::string Engine::plan_text(const Expr& quantifier) const {
  bool want = quantifier.kind == ExprKind::Exists;
  return describe(model_, impl_->plan_for(quantifier, want));
}

const std::vector<int>& Engine::entities_of(int kind) const { return impl_->of_kind_[kind]; }

void Engine::set_trace(Trace* trace) const { current_trace = trace; }

}  // namespace csp::audit
