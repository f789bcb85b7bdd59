// Running independent pieces of work on several threads: the solver's checks
// (each task builds its own Z3 context, so no Z3 object crosses threads) and
// the audit's reading and rule evaluation.
#pragma once

#include <cstddef>
#include <functional>

namespace csp::model {

/// Calls task(0) ... task(count - 1), on up to `jobs` threads (0: one per
/// hardware thread). The first exception a task throws is rethrown here once
/// every thread has stopped; tasks not yet started are then skipped.
void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& task);

}  // namespace csp::model
