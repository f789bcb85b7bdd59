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

Watchdog::Watchdog(z3::context& ctx, double budget_ms) : ctx_(ctx) {
  // A little past Z3's own timeout, which answers first where it can.
  auto limit = std::chrono::milliseconds(static_cast<long long>(std::clamp(budget_ms, 1.0, 1.0e10)) + 50);
  thread_ = std::thread([this, &ctx, limit] {
    auto deadline = std::chrono::steady_clock::now() + limit;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!finished_) {
      if (model::stop_requested() || std::chrono::steady_clock::now() >= deadline) {
        fired_ = true;
        ctx.interrupt();
        return;
      }
      done_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + kStopPoll));
    }
  });
}

Watchdog::~Watchdog() { finish(); }

// Z3_interrupt cancels the context until its next check. Made during a
// check, that check ends the cancellation; made just after one (the calling
// thread descheduled past the budget, under load), it stays, and the next
// get_model, eval or simplify threw "canceled", an internal error.
void Watchdog::finish() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  done_.notify_one();
  thread_.join();
  if (!fired_) return;
  try {
    z3::solver(ctx_).check();  // empty: a check is what clears the cancellation
  } catch (const z3::exception&) {
    // Nothing more to clear with; the caller's next call reports what is wrong.
  }
}

}  // namespace csp::solver
