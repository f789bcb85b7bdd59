// A progress line on standard error, for a person at a terminal: rewritten
// in place (`\r`, erase line) at most a few times a second, cleared when the
// work ends, and never written when standard error is not a terminal (CI
// logs and pipes get the report alone). Shared by `audit` and `diff`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace csp::cli {

/// True when `err` is the process's standard error and that is a terminal.
bool stderr_is_terminal(const std::ostream& err);

class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  /// Nothing is written while `enabled` is false, nor before `delay` has
  /// passed (a run that ends quickly shows no line at all).
  ProgressLine(std::ostream& out, bool enabled, Clock::duration delay = {},
               Clock::duration interval = std::chrono::milliseconds(250));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Shows `line` when due (enabled, past the delay, and the last line older
  /// than the interval). Safe from any thread.
  void show(const std::string& line);
  /// Redraws `render()` every interval from a thread of its own until
  /// done(), so the elapsed time moves while one long step runs.
  void tick(std::function<std::string()> render);
  /// Stops the ticking and clears the line (when one was shown); show()
  /// may start a new one afterwards (audit: reading, then evaluating).
  void done();
  /// Seconds since the line was made.
  double seconds() const;

 private:
  bool due(Clock::time_point now) const;
  void write(const std::string& line);

  std::ostream& out_;
  bool enabled_;
  Clock::duration delay_, interval_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
  bool shown_ = false;
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;
};

}  // namespace csp::cli
