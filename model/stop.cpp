#include "model/stop.h"

#include <atomic>
#include <csignal>

#include <fmt/format.h>

namespace csp::model {
namespace {

// Written from a signal handler: only a lock-free atomic is safe there.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

}  // namespace

void request_stop(int signal) noexcept { g_stop_signal.store(signal); }
int stop_signal() noexcept { return g_stop_signal.load(); }
void clear_stop() noexcept { g_stop_signal.store(0); }

std::string signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return fmt::format("signal {}", signal);
  }
}

std::string interrupted_reason() { return "interrupted by " + signal_name(stop_signal()); }

}  // namespace csp::model
