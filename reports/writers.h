// One function per report format, called through the table in report.cpp.
#pragma once

#include <ostream>
#include <string>

#include "reports/report.h"

namespace csp::reports {

void write_text(const solver::RunReport& report, const ReportContext& context, std::ostream& out);
void write_json(const solver::RunReport& report, const ReportContext& context, std::ostream& out);
void write_dot(const solver::RunReport& report, const ReportContext& context, std::ostream& out);
void write_html(const solver::RunReport& report, const ReportContext& context, std::ostream& out);
void write_markdown(const solver::RunReport& report, const ReportContext& context, std::ostream& out);
void write_junit(const solver::RunReport& report, const ReportContext& context, std::ostream& out);
void write_sarif(const solver::RunReport& report, const ReportContext& context, std::ostream& out);

/// The Graphviz digraph of one result's instance (the HTML report draws it).
/// Precondition: result.instance has a value.
std::string dot_graph(const solver::CheckResult& result, const ReportContext& context);

}  // namespace csp::reports
