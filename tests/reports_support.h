// Shared fixtures of the reports tests: run reports built by hand over the
// specs in tests/golden/reports/<case>/fixture.cspv, so every writer is
// tested without Z3 and with exactly the results we want to show.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "model/instance.h"
#include "reports/report.h"
#include "model/result.h"
#include "tests/support/fixture.h"

namespace csp::test {

struct ReportCase {
  std::string name;        // the golden directory under tests/golden/reports/
  Checked checked;         // owns the sources and the model
  model::RunReport run;

  const model::Model& model() const { return *checked.model; }
  /// Timings off and no Graphviz: the reproducible setting of the golden files.
  reports::ReportContext context(reports::ReportOptions options = golden_options()) const {
    return {*checked.model, checked.sources, options};
  }
  static reports::ReportOptions golden_options() {
    reports::ReportOptions options;
    options.timings = false;
    options.dot_program = "";
    return options;
  }
  std::string render(reports::Format format, reports::ReportOptions options = golden_options()) const {
    std::ostringstream out;
    reports::write_report(format, run, context(options), out);
    return out.str();
  }
};

/// A `prove` report of the single `result`, rendered in `format` with the
/// golden files' reproducible options (no timings, no Graphviz).
inline std::string render_result(reports::Format format, const Checked& checked, const model::CheckResult& result) {
  model::RunReport run;
  run.command = "prove";
  run.results.push_back(result);
  std::ostringstream out;
  reports::write_report(format, run, {*checked.model, checked.sources, ReportCase::golden_options()}, out);
  return out.str();
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string golden_path(const std::string& case_name, const std::string& file) {
  return source_path("tests/golden/reports/" + case_name + "/" + file);
}

/// A checked fixture spec; throws (failing the test) when it does not check.
inline void load_case(ReportCase& c) {
  std::string relative = "tests/golden/reports/" + c.name + "/fixture.cspv";
  c.checked = check_text(read_text_file(source_path(relative)), relative);
  if (!c.checked.model) throw std::runtime_error("fixture does not check:\n" + c.checked.diagnostics());
}

// Helpers that look names up in the checked model, so ids never go stale.
class InstanceBuilder {
 public:
  explicit InstanceBuilder(const model::Model& model) : model_(model) {
    instance_.relations.resize(model.relations.size());
  }
  InstanceBuilder& entity(const std::string& name, const std::string& kind,
                          std::vector<model::Value> attributes) {
    instance_.entities.push_back({name, model_.find_kind(kind), std::move(attributes)});
    return *this;
  }
  InstanceBuilder& tuple(const std::string& relation, const std::vector<std::string>& entities) {
    model::Tuple tuple;
    for (const auto& name : entities) tuple.push_back(ref(name));
    instance_.relations[model_.find_relation(relation)].insert(tuple);
    return *this;
  }
  model::Value ref(const std::string& name) const {
    int index = instance_.find(name);
    return model::Value::entity(instance_.entities[index].kind, index);
  }
  model::Value enum_value(const std::string& enum_name, const std::string& value) const {
    int id = model_.find_enum(enum_name);
    const auto& values = model_.enums[id].values;
    auto ordinal = std::find(values.begin(), values.end(), value) - values.begin();
    return model::Value::enum_value(id, ordinal);
  }
  static model::Value date(int year, int month, int day) {
    return model::Value::date(*model::days_from_date(year, month, day));
  }
  model::Instance build() const { return instance_; }

 private:
  const model::Model& model_;
  model::Instance instance_;
};

inline model::CheckResult property_result(const model::Model& model, const std::string& name,
                                           model::Status status) {
  model::CheckResult result;
  result.kind = model::CheckResult::Kind::Property;
  result.decl_id = model.find_property(name);
  result.name = name;
  result.range = model.properties[result.decl_id].range;
  result.status = status;
  result.scope.size.assign(model.kinds.size(), 3);
  if (model.properties[result.decl_id].expect == model::FormulaDecl::Expect::Violated) {
    result.expected = model::Status::Violated;
  }
  return result;
}

inline model::CheckResult scenario_result(const model::Model& model, const std::string& name,
                                           model::Status status) {
  model::CheckResult result;
  result.kind = model::CheckResult::Kind::Scenario;
  result.decl_id = model.find_scenario(name);
  result.name = name;
  result.range = model.scenarios[result.decl_id].range;
  result.status = status;
  const auto& scenario = model.scenarios[result.decl_id];
  if (scenario.expect == model::ScenarioDecl::Expect::Forbidden) result.expected = model::Status::Forbidden;
  if (scenario.expect == model::ScenarioDecl::Expect::Allowed) result.expected = model::Status::Allowed;
  result.expected_by = scenario.expect_by;
  return result;
}

inline model::RunReport run_header(const std::string& command, const std::string& input) {
  model::RunReport run;
  run.command = command;
  run.inputs = {input};
  run.z3_version = "4.12.2";
  return run;
}

/// One proved property (with the rule its proof needs), one violated
/// (counterexample of two partners in two regions), one scenario forbidden by
/// `same_region`, as expected (its every minimal core listed), one whose first
/// core lacked the rule it expects, and a property the vocabulary alone proves.
inline ReportCase basic_case() {
  ReportCase c;
  c.name = "basic";
  load_case(c);
  const model::Model& model = c.model();
  c.run = run_header("prove", "tests/golden/reports/basic");

  auto proved = property_result(model, "sellers_signed", model::Status::Proved);
  proved.unbounded = true;  // proved for every size
  proved.proof_core = true;
  proved.core = {model.find_rule("mpa_before_sale")};
  proved.core_minimal = true;
  proved.time_ms = 12.5;
  c.run.results.push_back(proved);

  auto violated = property_result(model, "no_direct_bill_resellers", model::Status::Violated);
  InstanceBuilder b(model);
  b.entity("Partner1", "Partner", {b.enum_value("Role", "indirect_provider"), b.enum_value("Country", "FR"),
                                   InstanceBuilder::date(2020, 1, 15)});
  b.entity("Partner2", "Partner", {b.enum_value("Role", "direct_bill"), b.enum_value("Country", "US"),
                                   model::Value::none()});
  b.tuple("partnership", {"Partner1", "Partner2"});
  violated.instance = b.build();
  violated.minimal = true;
  violated.explanation = {"for p = Partner1, r = Partner2:",
                          "  partnership(p, r) holds",
                          "  r.role != direct_bill is false: direct_bill != direct_bill"};
  violated.time_ms = 40.25;
  c.run.results.push_back(violated);

  auto forbidden = scenario_result(model, "cross_region_sale", model::Status::Forbidden);
  forbidden.core = {model.find_rule("same_region")};
  forbidden.core_facts = {"R1.country = FR", "C1.country = US"};
  forbidden.repair = {{"set C1.country to FR"}, {"set R1.country to US"}};
  forbidden.all_cores = model::CoreList{{forbidden.core}, true, ""};  // --all-cores
  forbidden.time_ms = 3;
  c.run.results.push_back(forbidden);

  // Forbidden twice over: the first core found lacks CSP-R13, the search found one with it.
  auto late = scenario_result(model, "late_cross_region_sale", model::Status::Forbidden);
  late.core = {model.find_rule("same_region")};
  late.core_minimal = true;
  late.core_search = model::CoreSearch{{model.find_rule("mpa_before_sale")}, true, false, ""};
  late.core_facts = {"R1.country = FR", "C1.country = US"};
  late.time_ms = 4;
  c.run.results.push_back(late);

  auto vocabulary = property_result(model, "customers_in_a_region", model::Status::Proved);
  vocabulary.unbounded = true;
  vocabulary.proof_core = true;  // no rule: the table alone proves it
  vocabulary.core_minimal = true;
  c.run.results.push_back(vocabulary);
  return c;
}

/// Inconsistent rules, an unknown and a vacuous property, a documented gap,
/// a scenario allowed against its `expect forbidden`, and one forbidden by
/// another rule than it expects (no minimal core has it; listing them timed out).
inline ReportCase failures_case() {
  ReportCase c;
  c.name = "failures";
  load_case(c);
  const model::Model& model = c.model();
  c.run = run_header("verify", "tests/golden/reports/failures");

  model::CheckResult consistency;
  consistency.kind = model::CheckResult::Kind::Consistency;
  consistency.status = model::Status::Inconsistent;
  consistency.scope.size.assign(model.kinds.size(), 3);
  consistency.core = {model.find_rule("everyone_signed"), model.find_rule("nobody_signed")};
  consistency.core_minimal = true;
  c.run.results.push_back(consistency);

  auto unknown = property_result(model, "deep_chains", model::Status::Unknown);
  unknown.unknown_reason = "timeout after 60 s\x07";
  c.run.results.push_back(unknown);

  c.run.results.push_back(property_result(model, "vip_seats", model::Status::Vacuous));

  auto gap = property_result(model, "resellers_signed", model::Status::Violated);
  InstanceBuilder g(model);
  g.entity("Partner1", "Partner", {g.enum_value("Role", "indirect_reseller"), model::Value::none(),
                                   model::Value::none()});
  gap.instance = g.build();
  gap.minimal = true;
  gap.explanation = {"for p = Partner1:", "  p.mpa_signed != none is false: none != none"};
  c.run.results.push_back(gap);

  auto allowed = scenario_result(model, "unsigned_supply", model::Status::Allowed);
  InstanceBuilder s(model);
  s.entity("P1", "Partner", {s.enum_value("Role", "indirect_provider"), InstanceBuilder::date(2020, 1, 1),
                             model::Value::none()});
  s.entity("R1", "Partner", {s.enum_value("Role", "indirect_reseller"), model::Value::none(), s.ref("P1")});
  s.entity("C1", "Customer", {model::Value::boolean(true), model::Value::integer(5)});
  s.tuple("supplies", {"P1", "R1", "C1"});
  s.tuple("onboarded", {"R1"});
  allowed.instance = s.build();
  c.run.results.push_back(allowed);

  // No minimal core has CSP-R99, as the search proved; listing every core ran out of time.
  auto blamed = scenario_result(model, "unsigned_partner", model::Status::Forbidden);
  blamed.core = {model.find_rule("everyone_signed")};
  blamed.core_minimal = true;
  blamed.core_search = model::CoreSearch{blamed.core, false, true, ""};
  blamed.all_cores = model::CoreList{{blamed.core}, false, "the time ran out"};
  blamed.by_matches = false;
  c.run.results.push_back(blamed);
  return c;
}

// ---------------------------------------------------------- external tools
// Files go to <build>/reports_test_output so a failure leaves them to inspect.

inline std::string output_dir() {
  std::string dir = std::string(CSP_BINARY_DIR) + "/reports_test_output";
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string write_output(const std::string& name, const std::string& text) {
  std::string path = output_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct Run {
  int status = -1;
  std::string output;
};

// Runs a shell command, capturing stdout and stderr for the failure message.
inline Run run(const std::string& command) {
  // One log per process: ctest may run test cases in parallel.
  std::string log = output_dir() + "/command-" + std::to_string(getpid()) + ".log";
  int raw = std::system((command + " >" + log + " 2>&1").c_str());
  Run result;
  result.status = raw == -1 ? -1 : WEXITSTATUS(raw);
  result.output = read_text_file(log);
  std::filesystem::remove(log);
  return result;
}

inline void require_tool(const std::string& probe, const std::string& package) {
  Run found = run(probe);
  INFO("`" << probe << "` failed; install the Debian package " << package << " (scripts/setup.sh --tests)");
  REQUIRE(found.status == 0);
}

}  // namespace csp::test
