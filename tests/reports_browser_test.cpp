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

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The DOM after the page's script ran, as headless Chromium serialises it.
Run dump_dom(const std::string& url) {
  std::string profile = output_dir() + "/chromium-dom-" + std::to_string(getpid());
  Run dom = run("timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run --user-data-dir=" + profile +
                " --dump-dom '" + url + "'");
  std::filesystem::remove_all(profile);
  return dom;
}

// The opening tag of the element with `id` in a serialised DOM.
std::string tag_with_id(const std::string& dom, const std::string& id) {
  auto at = dom.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  auto open = dom.rfind('<', at);
  return dom.substr(open, dom.find('>', at) - open + 1);
}

std::uint32_t big_endian(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace

TEST_CASE("the HTML report is self-contained: one inline script, no links or remote assets", "[reports]") {
  ReportCase c = basic_case();
  auto options = ReportCase::golden_options();
  options.dot_program = "dot";
  std::string html = c.render(Format::Html, options);
  for (const char* fetch : {"<link", " src=", "url(", "@import", "<iframe"}) {
    INFO(fetch);
    CHECK(html.find(fetch) == std::string::npos);
  }
  // The filters' script, inline; the controls it shows are hidden without it.
  CHECK(count(html, "<script>") == 1);
  CHECK(html.find("<form id=\"filters\" class=\"filters\" hidden>") != std::string::npos);
}

TEST_CASE("the HTML report groups results by status, with descriptions and breakable names", "[reports]") {
  std::string html = failures_case().render(Format::Html);
  // Failing first, then undecided, known gaps, and what is as expected.
  auto failing = html.find("<h2 class=\"group-title\">failing (3)</h2>");
  auto undecided = html.find("<h2 class=\"group-title\">undecided (2)</h2>");
  auto gaps = html.find("<h2 class=\"group-title\">known gaps (1)</h2>");
  REQUIRE(failing != std::string::npos);
  REQUIRE(undecided != std::string::npos);
  REQUIRE(gaps != std::string::npos);
  CHECK(failing < undecided);
  CHECK(undecided < gaps);
  CHECK(html.find("as expected (") == std::string::npos);  // nothing here is
  CHECK(html.find(" data-status=\"known gap\" data-file=\"tests/golden/reports/failures/fixture.cspv\"") != std::string::npos);
  CHECK(html.find("<option>everyone_signed</option>") != std::string::npos);
  CHECK(html.find("resellers_<wbr>signed") != std::string::npos);
  CHECK(html.find("<span class=\"description\">") != std::string::npos);
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

TEST_CASE("headless Chromium runs the filters: by status and by rule, set from the address", "[reports][chromium]") {
  require_tool("command -v chromium", "chromium");
  std::string page = write_output("filters.html", failures_case().render(Format::Html));
  // Results in order: 0 rules (inconsistent), 1 deep_chains (unknown), 2 vip_seats (vacuous),
  // 3 resellers_signed (known gap), 4 unsigned_supply (allowed), 5 unsigned_partner (forbidden).
  auto hidden = [](const std::string& tag) { return tag.find(" hidden") != std::string::npos; };

  Run gaps = dump_dom("file://" + page + "#status=known%20gap");
  INFO("chromium said:\n" << gaps.output.substr(0, 2000));
  REQUIRE(gaps.status == 0);
  CHECK_FALSE(hidden(tag_with_id(gaps.output, "filters")));  // the script showed the controls
  CHECK_FALSE(hidden(tag_with_id(gaps.output, "result-3")));
  for (const char* other : {"result-0", "result-1", "result-2", "result-4", "result-5"}) {
    INFO(other);
    CHECK(hidden(tag_with_id(gaps.output, other)));
  }

  Run rule = dump_dom("file://" + page + "#rule=everyone_signed");
  REQUIRE(rule.status == 0);
  CHECK_FALSE(hidden(tag_with_id(rule.output, "result-0")));
  CHECK_FALSE(hidden(tag_with_id(rule.output, "result-5")));
  CHECK(hidden(tag_with_id(rule.output, "result-3")));

  // Without a filter every result shows.
  Run all = dump_dom("file://" + page);
  REQUIRE(all.status == 0);
  for (int i = 0; i < 6; ++i) CHECK_FALSE(hidden(tag_with_id(all.output, "result-" + std::to_string(i))));
}
