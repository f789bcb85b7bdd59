// libFuzzer target: arbitrary bytes through the front end as the CLI runs it
// (model::load_model parses, stops on syntax errors, then checks), from
// memory, then everything the CLI does with a checked model short of solving:
// diagnostics rendering, scope resolution, pretty-printing, and evaluation on
// the empty instance.
//
// Crashes are sanitizer reports, and __builtin_trap() where a documented
// invariant is broken:
//   - check() returns a model exactly when it reported no error;
//   - a checked model has no unresolved expression (ExprKind Name, Call, Dot)
//     and no expression of type Error (model/ast.h);
//   - the evaluator's explain_failure() is empty exactly when holds().
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/evaluator.h"
#include "model/frontend.h"
#include "model/scope.h"

using namespace csp::model;

namespace {

void check_resolved(const Expr& e) {
  if (e.kind == ExprKind::Name || e.kind == ExprKind::Call || e.kind == ExprKind::Dot) __builtin_trap();
  if (e.type.kind == TypeKind::Error) __builtin_trap();
  for (const auto& arg : e.args) check_resolved(*arg);
}

void exercise(const Model& model) {
  for (const auto& d : model.defines) check_resolved(*d.body);
  for (const auto& r : model.rules) check_resolved(*r.body);
  for (const auto& p : model.properties) check_resolved(*p.body);
  for (const auto& r : model.rules) (void)to_string(model, *r.body);
  for (const auto& p : model.properties) (void)to_string(model, *p.body);
  std::string error;
  (void)resolve_scope(model, {}, &error);

  Instance empty;
  empty.relations.resize(model.relations.size());
  Evaluator evaluator(model, empty);
  if (!evaluator.well_formed()) __builtin_trap();
  (void)evaluator.violated_rules();
  for (const auto* group : {&model.rules, &model.properties}) {
    for (const auto& f : *group) {
      bool holds = evaluator.holds(f);
      if (holds != evaluator.explain_failure(f).empty()) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Specs are small; long inputs only slow the search down.
  if (size > 16 * 1024) return 0;
  SourceManager sources;
  DiagnosticSink sink;
  int file = sources.add("fuzz.cspv", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<SpecFile> files;
  files.push_back(parse(sources, file, sink));
  std::optional<Model> model;
  // As load_model: type errors in a tree that failed to parse would only repeat the syntax errors.
  if (!sink.has_errors()) model = check(std::move(files), sources, sink);
  (void)render_all(sink, sources);
  if (model.has_value() == sink.has_errors()) __builtin_trap();
  if (model) exercise(*model);
  return 0;
}
