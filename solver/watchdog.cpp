#include "solver/watchdog.h"

#include <algorithm>
#include <chrono>

namespace csp::solver {

Watchdog::Watchdog(z3::context& ctx, double budget_ms) {
  // A little past Z3's own timeout, which answers first where it can.
  auto limit = std::chrono::milliseconds(static_cast<long long>(std::clamp(budget_ms, 1.0, 1.0e10)) + 50);
  thread_ = std::thread([this, &ctx, limit] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!done_.wait_for(lock, limit, [this] { return finished_; })) ctx.interrupt();
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  done_.notify_one();
  thread_.join();
}

}  // namespace csp::solver
