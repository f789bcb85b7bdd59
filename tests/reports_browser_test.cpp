// The HTML report in a real browser: headless Chromium renders it (graphs as
// inline SVG) and must produce a screenshot with real content. Needs the
// Debian packages chromium and graphviz; a missing browser fails the test.
#include <catch2/catch.hpp>

#include <cstdint>

#include "tests/reports_support.h"

using csp::reports::Format;
using namespace csp::test;

namespace {

constexpr int kWidth = 1200;
constexpr int kHeight = 900;

// Headless Chromium, no network, no profile: writes a PNG of `url`.
Run screenshot(const std::string& url, const std::string& png) {
  std::string profile = output_dir() + "/chromium-profile-" + std::to_string(getpid());
  std::filesystem::remove(png);
  Run shot = run("timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
                 "--disable-component-update --disable-sync --no-first-run --hide-scrollbars "
                 "--user-data-dir=" + profile + " --screenshot=" + png +
                 " --window-size=" + std::to_string(kWidth) + "," + std::to_string(kHeight) + " " + url);
  std::filesystem::remove_all(profile);
  return shot;
}

std::uint32_t big_endian(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace

TEST_CASE("the HTML report is self-contained: no scripts, links or remote assets", "[reports]") {
  ReportCase c = basic_case();
  auto options = ReportCase::golden_options();
  options.dot_program = "dot";
  std::string html = c.render(Format::Html, options);
  for (const char* fetch : {"<script", "<link", " src=", "url(", "@import", "<iframe"}) {
    INFO(fetch);
    CHECK(html.find(fetch) == std::string::npos);
  }
}

TEST_CASE("headless Chromium renders the HTML report to a non-blank screenshot", "[reports][chromium]") {
  require_tool("command -v chromium", "chromium");
  require_tool("command -v dot", "graphviz");
  auto options = ReportCase::golden_options();
  options.dot_program = "dot";
  std::string page = write_output("report.html", failures_case().render(Format::Html, options));
  std::string blank = write_output("blank.html", "<!DOCTYPE html><html><body></body></html>\n");

  std::string page_png = output_dir() + "/report.png";
  std::string blank_png = output_dir() + "/blank.png";
  Run shot = screenshot("file://" + page, page_png);
  INFO("chromium said:\n" << shot.output);
  REQUIRE(shot.status == 0);
  REQUIRE(std::filesystem::exists(page_png));
  REQUIRE(screenshot("file://" + blank, blank_png).status == 0);

  std::string png = read_text_file(page_png);
  REQUIRE(png.size() > 24);
  CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  CHECK(png.compare(12, 4, "IHDR") == 0);
  CHECK(big_endian(png, 16) == kWidth);
  CHECK(big_endian(png, 20) == kHeight);
  // A blank page compresses to almost nothing; text, tables and graphs do not.
  auto blank_size = std::filesystem::file_size(blank_png);
  INFO("report.png " << png.size() << " bytes, blank.png " << blank_size << " bytes");
  CHECK(png.size() > 5 * blank_size);
}
