// The CLI never answers wrongly on bad options (issue #9): numeric options
// are validated (no "-1" read as a huge unsigned, no timeout wrapped around)
// and scope 0 is refused.
#include <catch2/catch.hpp>

#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "tests/support/fixture.h"

using namespace csp;
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
