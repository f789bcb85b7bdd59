// Draws a DOT graph as SVG by running Graphviz (`dot -Tsvg`) with the DOT
// source on stdin, for the self-contained HTML report.
#pragma once

#include <optional>
#include <string>

namespace csp::reports {

/// The SVG document `program -Tsvg` prints for `dot_source`; nullopt with
/// `error` set when the program cannot be run or fails.
std::optional<std::string> render_svg(const std::string& program, const std::string& dot_source,
                                      std::string& error);

}  // namespace csp::reports
