// A deadline Z3 cannot overlook. Z3's own `timeout` parameter is polled only
// in some of its loops: a query stuck in quantifier instantiation was seen
// to run 60 s past a 5 s timeout. The watchdog interrupts the context from
// a second thread when the budget runs out, or when the run is asked to stop
// (model/stop.h: Ctrl-C), which it polls (Z3_interrupt is the one call made
// for that); the check then returns unknown ("canceled").
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include <z3++.h>

namespace csp::solver {

class Watchdog {
 public:
  Watchdog(z3::context& ctx, double budget_ms);
  ~Watchdog();  // finish()
  /// Stops watching: call it as soon as the check returns, before asking Z3
  /// anything else (the model, the core). An interrupt that came too late to
  /// stop the check is undone here.
  void finish();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  z3::context& ctx_;
  std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  bool fired_ = false;  // it interrupted Z3
  std::thread thread_;
};

}  // namespace csp::solver
