// The CLI never answers wrongly or crashes on bad options and outputs
// (issue #9): numeric options are validated (no "-1" read as a huge unsigned,
// no timeout wrapped around), scope 0 is refused, and an output that cannot
// be written (a path that is a file, a full disk, /dev/full) is an error with
// exit 2, never a crash, an empty report or exit 0.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <sstream>
#include <streambuf>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "tests/support/fixture.h"

using namespace csp;
using csp::test::read_file;
using csp::test::source_path;
using csp::test::TempDir;

namespace {

struct CliRun {
  int code = -1;
  std::string out, err;
  bool says(const std::string& text) const { return err.find(text) != std::string::npos; }
};

CliRun cspverify(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliRun run;
  run.code = cli::run(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string small() { return source_path("tests/specs/prove/small.cspv"); }

// Standard output on a full disk: every write fails with ENOSPC.
class FullDisk : public std::streambuf {
 protected:
  int_type overflow(int_type) override {
    errno = ENOSPC;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override {
    errno = ENOSPC;
    return 0;
  }
};

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("whole numbers: digits only, within the range", "[cli]") {
  CHECK(cli::parse_whole_number("60", 1, 86400) == 60ull);
  CHECK(cli::parse_whole_number("0", 0, 10) == 0ull);
  CHECK(cli::parse_whole_number("86400", 1, 86400) == 86400ull);
  for (const char* bad : {"-1", "", "+5", " 5", "5 ", "1e3", "0x10", "4294968", "18446744073709551616", "86401"}) {
    INFO(bad);
    CHECK_FALSE(cli::parse_whole_number(bad, 1, 86400));
  }
  CHECK_FALSE(cli::parse_whole_number("0", 1, 10));
}

// `--timeout 4294968` was multiplied into milliseconds as unsigned and became
// 0.7 s; `--timeout -1` was read as 4294967295.
TEST_CASE("option --timeout is a whole number of seconds from 1 to a day", "[cli]") {
  for (const char* bad : {"-1", "0", "4294968", "86401", "1.5", "abc"}) {
    for (const char* command : {"prove", "check", "verify", "diff"}) {
      std::vector<std::string> args{command, small()};
      if (std::string(command) == "diff") args.push_back(small());
      args.insert(args.end(), {"--timeout", bad});
      auto run = cspverify(args);
      INFO(command << " --timeout " << bad << "\n" << run.err);
      CHECK(run.code == 2);
      CHECK(run.says(fmt::format("error: invalid --timeout `{}`: expected a whole number of seconds from 1 to 86400",
                                 bad)));
      CHECK(run.out.empty());
    }
  }
  CHECK(cspverify({"prove", small(), "--timeout", "86400", "--property", "reseller_signed"}).code == 0);
}

// `--ground-limit -1` was read as SIZE_MAX (issue #9, item 1).
TEST_CASE("option --ground-limit is a whole number from 0", "[cli]") {
  for (const char* bad : {"-1", "1000001", "18446744073709551615", "x"}) {
    auto run = cspverify({"prove", small(), "--ground-limit", bad});
    INFO(run.err);
    CHECK(run.code == 2);
    CHECK(run.says(fmt::format("error: invalid --ground-limit `{}`: expected a whole number from 0 to 1000000", bad)));
  }
  CHECK(cspverify({"prove", small(), "--ground-limit", "0", "--property", "reseller_signed"}).code == 0);
}

TEST_CASE("option --jobs is a whole number from 0 to 256", "[cli]") {
  for (const char* bad : {"-1", "257", "two"}) {
    auto run = cspverify({"check", small(), "--jobs", bad});
    INFO(run.err);
    CHECK(run.code == 2);
    CHECK(run.says(fmt::format("error: invalid --jobs `{}`: expected a whole number from 0 to 256", bad)));
  }
  CHECK(cspverify({"check", small(), "-j", "1"}).code != 2);
}

// Scope 0 proved every `forall` over the empty kinds, documented gaps included.
TEST_CASE("option --scope 0 is refused, for every kind and for one kind", "[cli]") {
  for (const char* bad : {"0", "Sale=0"}) {
    for (const char* command : {"prove", "verify", "diff"}) {
      std::vector<std::string> args{command, small()};
      if (std::string(command) == "diff") args.push_back(small());
      args.insert(args.end(), {"--scope", bad});
      auto run = cspverify(args);
      INFO(command << " --scope " << bad << "\n" << run.err);
      CHECK(run.code == 2);
      CHECK(run.says(fmt::format("error: invalid --scope `{}`: expected N or Kind=N with 1 <= N <= 1000 (an empty "
                                 "kind would make every `forall` over it hold vacuously)",
                                 bad)));
    }
  }
  for (const char* bad : {"-1", "Sale=-2", "Sale=", "1001"}) {
    auto run = cspverify({"prove", small(), "--scope", bad});
    CHECK(run.code == 2);
    CHECK(run.says(fmt::format("error: invalid --scope `{}`: expected N or Kind=N with 1 <= N <= 1000", bad)));
  }
  TempDir dir;
  std::string spec = dir.write("zero.cspv", "entity P { b: Bool }\nproperty p { forall x: P | x.b }\nscope 0\n");
  auto spec_zero = cspverify({"prove", spec});
  CHECK(spec_zero.code == 2);
  CHECK(spec_zero.says("zero.cspv:3:1: error: scope must be between 1 and 1000, got 0"));
}

// A path that is a file ended in an uncaught filesystem_error (exit 134);
// now it is checked before the solving starts.
TEST_CASE("options --dump-smt2 and --out that cannot be directories are errors before solving", "[cli]") {
  TempDir dir;
  std::string file = dir.write("a-file", "x");
  auto dump = cspverify({"prove", small(), "--dump-smt2", file});
  CHECK(dump.code == 2);
  CHECK(dump.says(fmt::format("cspverify: error: cannot write to --dump-smt2 `{}`: it exists and is not a directory",
                              file)));
  CHECK(dump.out.empty());
  auto below = cspverify({"prove", small(), "--dump-smt2", file + "/smt"});
  CHECK(below.code == 2);
  CHECK(below.says(fmt::format("cannot write to --dump-smt2 `{}/smt`: not a directory", file)));
  auto out = cspverify({"verify", small(), "--out", file, "-f", "json"});
  CHECK(out.code == 2);
  CHECK(out.says(fmt::format("cannot write to --out `{}`: it exists and is not a directory", file)));
  auto diff = cspverify({"diff", small(), small(), "--out", file});
  CHECK(diff.code == 2);
  CHECK(diff.says(fmt::format("cannot write to --out `{}`: it exists and is not a directory", file)));
  auto diff_dump = cspverify({"diff", small(), small(), "--dump-smt2", file});
  CHECK(diff_dump.code == 2);
  CHECK(diff_dump.says(fmt::format("cannot write to --dump-smt2 `{}`: it exists and is not a directory", file)));

  // Missing directories are still created.
  auto fresh = cspverify({"prove", small(), "--dump-smt2", (dir.path / "a/b").string(), "--out",
                          (dir.path / "c/d").string(), "--no-timings"});
  CHECK(fresh.code == 1);
  auto dumped = files_in(dir.path / "a/b");
  CHECK(std::find(dumped.begin(), dumped.end(), "000-consistency-rules.smt2") != dumped.end());
  CHECK(files_in(dir.path / "c/d") == std::vector<std::string>{"cspverify.txt"});
}

// A report left at 0 bytes on a full disk, with exit 0: now a temporary file
// is written, flushed, checked and renamed.
TEST_CASE("report files are replaced whole or not at all", "[cli]") {
  TempDir dir;
  auto path = dir.path / "report.json";
  CHECK_FALSE(cli::write_file_atomically(path, "first\n"));
  CHECK(read_file(path) == "first\n");
  CHECK_FALSE(cli::write_file_atomically(path, "second\n"));
  CHECK(read_file(path) == "second\n");
  CHECK(files_in(dir.path) == std::vector<std::string>{"report.json"});  // no temporary file left

  auto missing = cli::write_file_atomically(dir.path / "missing/report.json", "x");
  REQUIRE(missing);
  CHECK(*missing == "no such file or directory");
  std::filesystem::create_directory(dir.path / "report.sarif");  // a directory where the report goes
  auto blocked = cli::write_file_atomically(dir.path / "report.sarif", "x");
  REQUIRE(blocked);
  CHECK(*blocked == "is a directory");
  CHECK(files_in(dir.path) == std::vector<std::string>{"report.json", "report.sarif"});
}

// stdout to /dev/full went unnoticed.
TEST_CASE("a report that cannot be written to standard output is an error", "[cli]") {
  FullDisk full;
  std::ostream out(&full);
  std::ostringstream err;
  CHECK(cli::run({"prove", small(), "--property", "reseller_signed"}, out, err) == 2);
  CHECK(err.str().find("cspverify: error: cannot write to standard output: no space left on device\n") !=
        std::string::npos);

  std::ostream help_out(&full);
  std::ostringstream help_err;
  CHECK(cli::run({"--version"}, help_out, help_err) == 2);
  CHECK(help_err.str() == "cspverify: error: cannot write to standard output: no space left on device\n");
}

// An empty or mistyped directory passed CI with exit 0.
TEST_CASE("a directory without .cspv files is an error", "[cli]") {
  TempDir dir;
  dir.write("notes.txt", "not a spec\n");
  dir.write("_drafts/draft.cspv", "entity P { }\n");  // skipped: `_` folders are drafts
  auto run = cspverify({"prove", dir.path.string()});
  CHECK(run.code == 2);
  CHECK(run.err == fmt::format("cspverify: error: no .cspv files under `{}`\n"
                               "  = help: directories named `.*` or `_*`, and those holding a `.cspvskip` file, "
                               "are skipped\n"
                               "1 error generated\n",
                               dir.path.string()));
  auto diff = cspverify({"diff", dir.path.string(), small()});
  CHECK(diff.code == 2);
  CHECK(diff.says("no .cspv files under"));
}
