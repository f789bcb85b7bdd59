// Running independent checks on several threads. Each task builds its own
// Z3 context, so no Z3 object crosses threads.
#pragma once

#include <cstddef>
#include <functional>

namespace csp::solver {

/// Calls task(0) ... task(count - 1), on up to `jobs` threads (0: one per
/// hardware thread). The first exception a task throws is rethrown here once
/// every thread has stopped; tasks not yet started are then skipped.
void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& task);

}  // namespace csp::solver
