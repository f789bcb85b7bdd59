// The progress line of audit and diff (cli/progress.h): only when enabled
// (a terminal), only after its delay, at most once per interval, and
// cleared at the end.
#include <catch2/catch.hpp>

#include <sstream>
#include <thread>

#include "cli/progress.h"

using namespace std::chrono_literals;
using csp::cli::ProgressLine;

TEST_CASE("progress line: written in place, rate-limited and cleared", "[progress]") {
  std::ostringstream out;
  {
    ProgressLine line(out, true, 0s, 1h);
    line.show("reading: 10 records");
    line.show("reading: 20 records");  // within the interval: skipped
    CHECK(out.str() == "\r\033[Kreading: 10 records");
    line.done();
    CHECK(out.str() == "\r\033[Kreading: 10 records\r\033[K");
    line.show("evaluating rule 1/2");  // a new line after done(), as audit's second phase shows
  }
  CHECK(out.str() == "\r\033[Kreading: 10 records\r\033[K\r\033[Kevaluating rule 1/2\r\033[K");
}

TEST_CASE("progress line: nothing when disabled or before its delay", "[progress]") {
  std::ostringstream disabled, early;
  {
    ProgressLine off(disabled, false);
    off.show("x");
    off.tick([]() { return std::string("y"); });
    ProgressLine later(early, true, 1h);
    later.show("x");
    later.tick([]() { return std::string("y"); });
    std::this_thread::sleep_for(20ms);
  }
  CHECK(disabled.str().empty());
  CHECK(early.str().empty());
}

TEST_CASE("progress line: ticks redraw while one long step runs", "[progress]") {
  std::ostringstream out;
  ProgressLine line(out, true, 0s, 5ms);
  line.tick([]() { return std::string("cspverify diff: checks 3/10"); });
  std::this_thread::sleep_for(300ms);  // many intervals; `out` is read only once the ticker is joined
  line.done();
  std::string text = out.str();
  CHECK(text.rfind("\r\033[Kcspverify diff: checks 3/10", 0) == 0);
  CHECK(text.size() >= 3);
  CHECK(text.substr(text.size() - 4) == "\r\033[K");
}
