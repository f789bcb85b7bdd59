// A run-wide request to stop, made from a signal handler (SIGINT, SIGTERM).
// Long work polls it and winds down instead of dying mid-way: the encoder
// between terms, the solver's watchdog during a query, the commands between
// checks. Whatever is finished is still reported, marked interrupted.
#pragma once

#include <string>

namespace csp::model {

/// Records the request; async-signal-safe (one lock-free atomic store).
void request_stop(int signal) noexcept;
/// The signal that asked to stop, or 0.
int stop_signal() noexcept;
inline bool stop_requested() noexcept { return stop_signal() != 0; }
/// Forgets the request (tests that run several commands in one process).
void clear_stop() noexcept;

/// `SIGINT`, `SIGTERM`, or `signal N`.
std::string signal_name(int signal);
/// "interrupted by SIGINT": the reason an unfinished check gives.
std::string interrupted_reason();

}  // namespace csp::model
