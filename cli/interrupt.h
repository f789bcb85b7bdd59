// Ctrl-C and SIGTERM (a CI job cancelled, a pod evicted): the first one asks
// the run to stop (model/stop.h), so the checks in flight are interrupted,
// the report of what is done is written, marked interrupted, and the process
// exits 130 or 143. A second one ends the process at once.
#pragma once

#include <vector>

#include "model/ast.h"
#include "model/result.h"

namespace csp::cli {

/// Installs the SIGINT and SIGTERM handlers (main only: tests run commands
/// in-process and keep the default behaviour).
void stop_on_signals();

/// The properties (when `properties`) and scenarios (when `scenarios`) of
/// `model`, restricted to `only` when given, that have no result in `done`.
std::vector<model::NotRun> checks_not_run(const model::Model& model, const std::vector<model::CheckResult>& done,
                                           bool properties, bool scenarios, const std::string& only);

}  // namespace csp::cli
