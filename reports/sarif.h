// Pieces of the SARIF report shared by its writers (sarif_writer.cpp and the
// lint results of lint_sarif.cpp): the artifact table and physical locations.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "reports/json_emitter.h"
#include "reports/report.h"
#include "reports/view.h"

namespace csp::reports {

/// run.artifacts: each file once, by index.
class Artifacts {
 public:
  int index(const std::string& file) {
    auto found = std::find(files_.begin(), files_.end(), file);
    if (found != files_.end()) return static_cast<int>(found - files_.begin());
    files_.push_back(file);
    return static_cast<int>(files_.size()) - 1;
  }
  const std::vector<std::string>& files() const { return files_; }

 private:
  std::vector<std::string> files_;
};

/// "physicalLocation": the file (by artifact index) and the region.
void emit_physical_location(JsonEmitter& json, const Location& where, Artifacts& artifacts);

/// tool.driver.rules entries for the lint checks (reports/lint.h), after the run's own.
void emit_lint_sarif_rules(JsonEmitter& json, const model::LintReport& lint);
/// One result per lint finding; `first_rule_index`: the first lint check's index in tool.driver.rules.
void emit_lint_sarif_results(JsonEmitter& json, const model::LintReport& lint, const ReportContext& context,
                             std::size_t first_rule_index, Artifacts& artifacts);

}  // namespace csp::reports
