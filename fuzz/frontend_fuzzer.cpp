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
//   - the evaluator's explain_failure() is empty exactly when holds(),
//     unless arithmetic leaves 64 bits (IntOutOfRange, documented);
//   - to_string() prints formulas back in source form: appended to the input
//     as new properties, the printed rules and properties check again and
//     print the same text (a printing fixpoint, which catches a missing
//     parenthesis or an unqualified enum value).
#include <cstddef>
#include <cstdint>
#include <cstdio>
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
  std::string error;
  (void)resolve_scope(model, {}, &error);

  Instance empty;
  empty.relations.resize(model.relations.size());
  Evaluator evaluator(model, empty);
  if (!evaluator.well_formed()) __builtin_trap();
  for (const auto* group : {&model.rules, &model.properties}) {
    for (const auto& f : *group) {
      try {
        bool holds = evaluator.holds(f);
        if (holds != evaluator.explain_failure(f).empty()) __builtin_trap();
      } catch (const IntOutOfRange&) {
        // Arithmetic on literals beyond 64 bits: documented, the check is unknown.
      }
    }
  }
}

std::optional<Model> check_text(SourceManager& sources, DiagnosticSink& sink, std::string text) {
  int file = sources.add("fuzz.cspv", std::move(text));
  std::vector<SpecFile> files;
  files.push_back(parse(sources, file, sink));
  // As load_model: type errors in a tree that failed to parse would only repeat the syntax errors.
  if (sink.has_errors()) return std::nullopt;
  return check(std::move(files), sources, sink);
}

void round_trip(const std::string& text, const Model& model) {
  std::vector<std::string> printed;
  for (const auto* group : {&model.rules, &model.properties}) {
    for (const auto& f : *group) printed.push_back(to_string(model, *f.body));
  }
  std::string extended = text + "\n";
  for (std::size_t i = 0; i < printed.size(); ++i) {
    extended += "property fuzz_round_trip_" + std::to_string(i) + " {\n" + printed[i] + "\n}\n";
  }
  SourceManager sources;
  DiagnosticSink sink;
  auto again = check_text(sources, sink, extended);
  if (!again) {
    std::fprintf(stderr, "printed formulas do not check again:\n%s\n%s", extended.c_str(),
                 render_all(sink, sources).c_str());
    __builtin_trap();
  }
  std::size_t first = again->properties.size() - printed.size();
  for (std::size_t i = 0; i < printed.size(); ++i) {
    std::string reprinted = to_string(*again, *again->properties[first + i].body);
    if (reprinted != printed[i]) {
      std::fprintf(stderr, "printed:   %s\nreprinted: %s\n", printed[i].c_str(), reprinted.c_str());
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Specs are small; long inputs only slow the search down.
  if (size > 16 * 1024) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  SourceManager sources;
  DiagnosticSink sink;
  auto model = check_text(sources, sink, text);
  (void)render_all(sink, sources);
  if (model.has_value() == sink.has_errors()) __builtin_trap();
  if (model) {
    exercise(*model);
    round_trip(text, *model);
  }
  return 0;
}
