// UTF-8 well-formedness, shared by the lexer (which rejects other bytes)
// and the report writers (which replace them).
#pragma once

#include <cstddef>
#include <string_view>

namespace csp::model {

/// The length of the well-formed UTF-8 sequence at text[at] (Unicode table
/// 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or 0 when
/// the bytes there are not one (a truncated sequence included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

}  // namespace csp::model
