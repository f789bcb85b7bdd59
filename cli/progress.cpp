#include "cli/progress.h"

#include <iostream>

#include <unistd.h>

namespace csp::cli {

bool stderr_is_terminal(const std::ostream& err) { return &err == &std::cerr && isatty(STDERR_FILENO); }

ProgressLine::ProgressLine(std::ostream& out, bool enabled, Clock::duration delay, Clock::duration interval)
    : out_(out), enabled_(enabled), delay_(delay), interval_(interval) {}

ProgressLine::~ProgressLine() { done(); }

bool ProgressLine::due(Clock::time_point now) const {
  if (!enabled_ || now - start_ < delay_) return false;
  return !shown_ || now - last_ >= interval_;
}

void ProgressLine::write(const std::string& line) {
  out_ << "\r\033[K" << line << std::flush;
  shown_ = true;
  last_ = Clock::now();
}

void ProgressLine::show(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (due(Clock::now())) write(line);
}

void ProgressLine::tick(std::function<std::string()> render) {
  if (!enabled_) return;
  ticker_ = std::thread([this, render = std::move(render)]() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, interval_);
      if (!stopping_ && due(Clock::now())) {
        lock.unlock();
        std::string line = render();  // outside the lock: it may take the caller's own locks
        lock.lock();
        if (!stopping_) write(line);
      }
    }
  });
}

void ProgressLine::done() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard lock(mutex_);
  stopping_ = false;
  if (shown_) out_ << "\r\033[K" << std::flush;
  shown_ = false;
}

double ProgressLine::seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

}  // namespace csp::cli
