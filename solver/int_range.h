// Int values beyond the evaluator's reach (docs/language.md, Types). Proofs
// cover every integer, but an instance (a counterexample, a completed
// scenario, a diff witness) is reported only once the evaluator confirms it,
// and the evaluator computes in signed 64 bits. A check that meets a value
// it cannot compute is unknown, for the reasons worded here.
#pragma once

#include <cstdint>
#include <string>

#include "model/evaluator.h"
#include "model/source.h"

namespace csp::solver {

/// Free Int and Date values of an instance are searched within ±2^53, so
/// that sums of hundreds of them (an expression nests at most 500 levels)
/// stay inside 64 bits.
constexpr std::int64_t kInstanceIntBound = std::int64_t{1} << 53;

/// "an Int value outside the 64-bit range the evaluator supports (at f.cspv:3:14)";
/// without `sources` the location is left out.
std::string evaluation_out_of_range(const model::IntOutOfRange& error, const model::SourceManager* sources);

/// Why no instance has its free values within ±kInstanceIntBound: there is
/// none (`solver_reason` empty, the bounded query is unsat) or the bounded
/// query was not decided (`solver_reason`, e.g. "timeout").
std::string no_instance_in_range(const std::string& solver_reason);

}  // namespace csp::solver
