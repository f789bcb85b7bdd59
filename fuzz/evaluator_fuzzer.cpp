// libFuzzer target: the evaluator on random instances of a fixed spec, the
// shipped policy (specs/csp: defines, closures, tables from CSV, lookups).
// The bytes choose the entities (0-3 per kind), every attribute value and a
// few tuples per relation. Most inputs give well-typed values; one in four
// instances also gets arbitrary values (wrong tags, dangling references,
// extreme Int and Date values), as a decoding bug would produce: the
// evaluator must neither crash nor hang on them, and well_formed() must say
// they are wrong.
//
// Invariants (__builtin_trap when broken), for well-formed instances:
//   - explain_failure(f) is empty exactly when holds(f);
//   - only arbitrary values make arithmetic leave 64 bits (IntOutOfRange);
//   - violated_rules() lists exactly the rules that do not hold;
//   - format_instance() is deterministic.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "model/evaluator.h"
#include "model/frontend.h"

using namespace csp::model;

namespace {

const Model* g_model = nullptr;

Value any_value(FuzzedDataProvider& in) {
  Value v;
  v.tag = static_cast<Value::Tag>(in.ConsumeIntegralInRange<int>(0, 5));
  v.v = in.ConsumeIntegral<std::int64_t>();
  v.type_id = in.ConsumeIntegralInRange<int>(-1, 40);
  return v;
}

class InstanceBuilder {
 public:
  InstanceBuilder(const Model& model, FuzzedDataProvider& in) : model_(model), in_(in) {}

  Instance build() {
    wild_ = in_.ConsumeIntegralInRange<int>(0, 3) == 0;
    offsets_.assign(model_.kinds.size(), 0);
    counts_.assign(model_.kinds.size(), 0);
    for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
      offsets_[k] = static_cast<int>(instance_.entities.size());
      counts_[k] = in_.ConsumeIntegralInRange<int>(0, 3);
      for (int i = 0; i < counts_[k]; ++i) {
        Entity e;
        e.name = fmt::format("{}{}", model_.kinds[k].name, i + 1);
        e.kind = static_cast<int>(k);
        instance_.entities.push_back(std::move(e));
      }
    }
    for (auto& e : instance_.entities) {
      for (const auto& attribute : model_.kinds[e.kind].attributes) e.attributes.push_back(value(attribute.type.type));
    }
    instance_.relations.resize(model_.relations.size());
    for (std::size_t r = 0; r < model_.relations.size(); ++r) {
      int tuples = in_.ConsumeIntegralInRange<int>(0, 6);
      for (int t = 0; t < tuples; ++t) {
        Tuple tuple;
        for (const auto& param : model_.relations[r].params) {
          Type type = param.type.type;
          type.optional = false;
          tuple.push_back(value(type));
        }
        instance_.relations[r].insert(std::move(tuple));
      }
    }
    return std::move(instance_);
  }
  /// Whether build() put arbitrary values into the instance.
  bool wild() const { return wild_; }

 private:
  Value value(const Type& type) {
    if (wild_ && in_.ConsumeIntegralInRange<int>(0, 7) == 0) return any_value(in_);
    if (type.optional && in_.ConsumeBool()) return Value::none();
    switch (type.kind) {
      case TypeKind::Bool: return Value::boolean(in_.ConsumeBool());
      case TypeKind::Int: return Value::integer(in_.ConsumeIntegralInRange<std::int64_t>(-5, 40));
      // Around the policy's dates: 2015-01-01 .. 2027-05-18.
      case TypeKind::Date: return Value::date(in_.ConsumeIntegralInRange<std::int64_t>(16436, 20956));
      case TypeKind::Enum: {
        auto n = static_cast<std::int64_t>(model_.enums[type.id].values.size());
        return Value::enum_value(type.id, in_.ConsumeIntegralInRange<std::int64_t>(0, n - 1));
      }
      case TypeKind::Entity: {
        if (counts_[type.id] == 0) return Value::none();  // ill-formed unless optional: well_formed says so
        return Value::entity(type.id, offsets_[type.id] + in_.ConsumeIntegralInRange<int>(0, counts_[type.id] - 1));
      }
      case TypeKind::Error: break;
    }
    return Value::none();
  }

  const Model& model_;
  FuzzedDataProvider& in_;
  Instance instance_;
  std::vector<int> offsets_, counts_;
  bool wild_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static SourceManager sources;
  DiagnosticSink sink;
  static std::optional<Model> model = load_model({std::string(CSP_SOURCE_DIR) + "/specs/csp"}, sources, sink);
  if (!model) {
    std::fputs(render_all(sink, sources).c_str(), stderr);
    std::abort();
  }
  g_model = &*model;
  return 0;
}

namespace {

void check_verdicts(const Model& model, const Evaluator& evaluator, bool well_formed) {
  std::vector<int> holding;
  for (std::size_t r = 0; r < model.rules.size(); ++r) {
    bool holds = evaluator.holds(model.rules[r]);
    auto explanation = evaluator.explain_failure(model.rules[r]);
    if (well_formed && holds != explanation.empty()) __builtin_trap();
    if (!holds) holding.push_back(static_cast<int>(r));
  }
  if (evaluator.violated_rules() != holding) __builtin_trap();
  for (const auto& p : model.properties) {
    bool holds = evaluator.holds(p);
    if (well_formed && holds != evaluator.explain_failure(p).empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Model& model = *g_model;
  FuzzedDataProvider in(data, size);
  InstanceBuilder builder(model, in);
  Instance instance = builder.build();
  Evaluator evaluator(model, instance);
  std::string why;
  bool well_formed = evaluator.well_formed(&why);
  if (well_formed != why.empty()) __builtin_trap();
  try {
    check_verdicts(model, evaluator, well_formed);
  } catch (const IntOutOfRange&) {
    // Only arbitrary values (an extreme day number) can take arithmetic out
    // of 64 bits; the CLI reports such a check as unknown.
    if (!builder.wild()) __builtin_trap();
  }
  std::string text = format_instance(model, instance);
  if (format_instance(model, instance) != text) __builtin_trap();
  (void)count_by_kind(model, instance);
  return 0;
}
