// Golden-file tests: every report format on the fixtures of
// tests/golden/reports/<case>/, timings off. CSP_UPDATE_GOLDEN=1 rewrites
// the expected files (review the diff before committing).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "reports/report.h"
#include "tests/reports_support.h"

using csp::reports::Format;
using namespace csp::test;

namespace {

// Line number and both lines where two texts first differ, to read in a failure.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string el, al;
  for (int line = 1;; ++line) {
    bool has_e = static_cast<bool>(std::getline(e, el));
    bool has_a = static_cast<bool>(std::getline(a, al));
    if (!has_e && !has_a) return "texts differ only in the final newline";
    if (!has_e || !has_a || el != al) {
      return "first difference at line " + std::to_string(line) + ":\n  expected: " + (has_e ? el : "<end>") +
             "\n  actual:   " + (has_a ? al : "<end>");
    }
  }
}

void check_golden(const ReportCase& c, Format format) {
  std::string file = "expected." + std::string(csp::reports::format_extension(format));
  std::string path = golden_path(c.name, file);
  std::string actual = c.render(format);
  if (std::getenv("CSP_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("updated " << path);
    return;
  }
  std::ifstream probe(path);
  INFO("golden file " << path << " (CSP_UPDATE_GOLDEN=1 writes it)");
  REQUIRE(probe.good());
  std::string expected = read_text_file(path);
  // Compare as a flag: Catch would print both whole documents otherwise.
  bool matches = expected == actual;
  INFO((matches ? std::string() : first_difference(expected, actual)));
  CHECK(matches);
}

const Format kAllFormats[] = {Format::Text, Format::Json,  Format::Dot,  Format::Html,
                              Format::Markdown, Format::Junit, Format::Sarif};

}  // namespace

TEST_CASE("every format matches its golden file: proved, violated, forbidden", "[reports]") {
  ReportCase c = basic_case();
  for (Format format : kAllFormats) {
    SECTION(std::string(csp::reports::format_name(format))) { check_golden(c, format); }
  }
}

TEST_CASE("every format matches its golden file: inconsistency, unknown, vacuous, failed scenario",
          "[reports]") {
  ReportCase c = failures_case();
  for (Format format : kAllFormats) {
    SECTION(std::string(csp::reports::format_name(format))) { check_golden(c, format); }
  }
}

TEST_CASE("reports are byte-identical when written twice", "[reports]") {
  ReportCase c = basic_case();
  for (Format format : kAllFormats) {
    INFO(csp::reports::format_name(format));
    CHECK(c.render(format) == c.render(format));
  }
}
