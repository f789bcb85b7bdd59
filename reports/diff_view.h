// What the diff writers (text, markdown, html, dot) say alike: the headline,
// regressions first, a check's statuses and mark, a witness's distinctness and
// the allowing side's counterpart of each blamed rule, the unset-attribute
// warnings. Written once here so that every format says it in the same words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/diff_result.h"
#include "reports/diff_report.h"

namespace csp::reports {

std::string plural(std::size_t n, std::string_view one, std::string_view many);

/// "widening: the proposed rules allow more and forbid nothing new", ...
std::string semantic_sentence(const model::SemanticDiff& diff);

/// The checks that regressed, in report order.
std::vector<const model::CheckPair*> regressions(const model::DiffReport& report);

/// The run's outcome in one line, regressions first: "4 regressions; widening;
/// exit code 1", "--expect tightening contradicted: ...; exit code 1",
/// "no regression; equivalent; exit code 0". Never "as expected" when the run fails.
std::string headline(const model::DiffReport& report);

/// What --expect says about the semantic difference: "" without one, else
/// "--expect widening: met (nothing newly forbidden)" or "--expect
/// tightening: CONTRADICTED (something is newly allowed)".
std::string expectation_line(const model::DiffReport& report);

/// A property or scenario only one side declares that still ran under both:
/// listed once among the checks instead of as a text change.
bool borrowed_test(const model::DiffReport& report, const model::Change& change);

/// "proved -> violated"; a side that cannot check it is `absent`.
std::string check_statuses(const model::CheckPair& pair);
/// Why a check matters: "REGRESSION (expected forbidden by CSP-R05)",
/// "UNKNOWN", "not as expected (already in base)", "changed" or "".
std::string check_mark(const model::CheckPair& pair);
/// " (base only)" / " (proposed only)" for a check only one side declares.
std::string origin_note(const model::CheckPair& pair);

/// "verdict depends on unset attribute Partner.enrolled_on (R1 leaves it
/// unset; with it none the scenario is forbidden, as under base)", one per attribute.
std::vector<std::string> unset_attribute_warnings(const model::CheckPair& pair);

/// "satisfies every rule blamed for the witnesses above", ... ("" for the first).
std::string distinct_text(model::Witness::Distinct distinct);

/// Per blamed rule of `w`: which rule of the allowing side lets the witness
/// through, "allowed by proposed rule `x (CSP-R13)`, which holds on it", or
/// that the allowing side has no rule of that name.
std::string counterpart_text(const model::Model& merged, const model::Witness& w, std::size_t blame_index,
                             std::string_view allowing);

/// The entities a blamed rule's explanation binds ("for t = Transaction1:"),
/// to highlight in a witness graph.
std::vector<std::string> witness_highlights(const model::Witness& w);

/// One line per witness direction for a summary: "newly allowed: 2 witnesses,
/// blamed on base rule sell_only_in_own_region (CSP-R13)".
std::string direction_summary(const model::Model& merged, const model::Difference& d, bool newly_allowed);

}  // namespace csp::reports
