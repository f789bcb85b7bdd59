// Parts of the HTML reports shared by the prove/check page (html_writer.cpp)
// and the diff page (diff_html.cpp): the style sheet, inline code spans, an
// instance drawn as SVG and listed as tables.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "model/ast.h"
#include "model/instance.h"

namespace csp::reports {

/// The inline style sheet (no network: the page is self-contained).
std::string_view html_style();
/// Escapes text and shows `quoted names` as <code>.
std::string inline_html(std::string_view text);
/// The graph drawn by `dot_program -Tsvg` as inline SVG, or its Graphviz
/// source with the reason when it cannot be drawn.
void write_svg_graph(std::ostream& out, const std::string& dot_program, const std::string& dot);
/// One table per entity kind, then the relation tuples.
void write_instance_tables(std::ostream& out, const model::Model& model, const model::Instance& instance);

}  // namespace csp::reports
