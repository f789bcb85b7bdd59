// `cspverify fmt PATH...`: rewrites .cspv files in the canonical layout
// (model/format.h), or with --check lists those that are not in it.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/command_help.h"

namespace csp::cli {

/// Runs the fmt sub-command (`args` without the word `fmt`); exit codes as in `cspverify fmt --help`.
int run_fmt(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// What `cspverify fmt --help` shows, in parts.
CommandHelp describe_fmt();

}  // namespace csp::cli
