#include "solver/watchdog.h"

#include <algorithm>
#include <chrono>

#include "model/stop.h"

namespace csp::solver {
namespace {

// How soon a stop request (Ctrl-C) reaches a running query. The signal
// handler can only set a flag; this thread is the one that may call Z3.
constexpr auto kStopPoll = std::chrono::milliseconds(50);

}  // namespace

Watchdog::Watchdog(z3::context& ctx, double budget_ms) {
  // A little past Z3's own timeout, which answers first where it can.
  auto limit = std::chrono::milliseconds(static_cast<long long>(std::clamp(budget_ms, 1.0, 1.0e10)) + 50);
  thread_ = std::thread([this, &ctx, limit] {
    auto deadline = std::chrono::steady_clock::now() + limit;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!finished_) {
      if (model::stop_requested() || std::chrono::steady_clock::now() >= deadline) {
        ctx.interrupt();
        return;
      }
      done_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + kStopPoll));
    }
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
