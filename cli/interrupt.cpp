#include "cli/interrupt.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>

#include "model/stop.h"

namespace csp::cli {
namespace {

// Only async-signal-safe calls here: an atomic store, write, signal, raise.
extern "C" void on_stop_signal(int signal) {
  if (model::stop_requested()) {
    // The second request: the user means it. Die by the signal, so the
    // shell sees 130 or 143 as usual.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  model::request_stop(signal);
  static constexpr char kNotice[] =
      "\ncspverify: interrupted: stopping and writing the report of what is done (again to quit at once)\n";
  ssize_t ignored = write(STDERR_FILENO, kNotice, sizeof kNotice - 1);
  (void)ignored;
}

bool has_result(const std::vector<model::CheckResult>& done, model::CheckResult::Kind kind, const std::string& name) {
  return std::any_of(done.begin(), done.end(), [&](const auto& r) { return r.kind == kind && r.name == name; });
}

}  // namespace

void stop_on_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

std::vector<model::NotRun> checks_not_run(const model::Model& model, const std::vector<model::CheckResult>& done,
                                           bool properties, bool scenarios, const std::string& only) {
  using Kind = model::CheckResult::Kind;
  std::vector<model::NotRun> missing;
  auto consider = [&](Kind kind, const auto& decl) {
    if (!only.empty() && decl.name != only) return;
    if (!has_result(done, kind, decl.name)) missing.push_back({kind, decl.name, decl.range});
  };
  if (properties) {
    for (const auto& p : model.properties) consider(Kind::Property, p);
  }
  if (scenarios) {
    for (const auto& s : model.scenarios) consider(Kind::Scenario, s);
  }
  return missing;
}

}  // namespace csp::cli
