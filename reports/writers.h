// One function per report format, called through the table in report.cpp.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "reports/report.h"

namespace csp::reports {

void write_text(const model::RunReport& report, const ReportContext& context, std::ostream& out);
void write_json(const model::RunReport& report, const ReportContext& context, std::ostream& out);
void write_dot(const model::RunReport& report, const ReportContext& context, std::ostream& out);
void write_html(const model::RunReport& report, const ReportContext& context, std::ostream& out);
void write_markdown(const model::RunReport& report, const ReportContext& context, std::ostream& out);
void write_junit(const model::RunReport& report, const ReportContext& context, std::ostream& out);
void write_sarif(const model::RunReport& report, const ReportContext& context, std::ostream& out);

/// The Graphviz digraph of an instance: entities as boxes grouped by CSP
/// region, `highlighted` ones in bold red; `name` names the graph, `label` titles it.
std::string dot_instance_graph(const model::Model& model, const model::Instance& instance,
                               const std::vector<std::string>& highlighted, const std::string& name,
                               const std::string& label);

/// The Graphviz digraph of one result's graph (reports/graph.h: its
/// instance, or a forbidden scenario's facts); the HTML report draws it.
/// "" when the result has no graph.
std::string dot_graph(const model::CheckResult& result, const ReportContext& context);

}  // namespace csp::reports
