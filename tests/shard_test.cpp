// --shard K/N and --shard auto (cli/shard.h): the index and count read from
// each engine's environment, and the assignment of work items to shards.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "cli/shard.h"

using csp::cli::assign_items;
using csp::cli::EnvironmentReader;
using csp::cli::parse_shard;
using csp::cli::ShardSpec;

namespace {

// An environment holding only `vars`.
EnvironmentReader environment(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

ShardSpec shard_of(const std::string& text, std::map<std::string, std::string> vars) {
  std::string error;
  auto shard = parse_shard(text, environment(std::move(vars)), &error);
  INFO(error);
  REQUIRE(shard);
  return *shard;
}

std::string error_of(const std::string& text, std::map<std::string, std::string> vars) {
  std::string error;
  auto shard = parse_shard(text, environment(std::move(vars)), &error);
  CHECK_FALSE(shard);
  return error;
}

}  // namespace

TEST_CASE("shard option: --shard K/N: K from 0 and below N", "[shard]") {
  ShardSpec shard = shard_of("2/4", {});
  CHECK(shard.index == 2);
  CHECK(shard.count == 4);
  CHECK(error_of("4/4", {}) == "--shard 4/4: the shard index starts at 0, so it must be below 4");
  for (const char* bad : {"", "3", "1/0", "-1/4", "1/-4", "a/4", "1/4/2", " 1/4", "1/4 ", "0x1/4"}) {
    INFO(bad);
    CHECK(error_of(bad, {}).find("invalid --shard") == 0);
  }
}

TEST_CASE("shard option: --shard auto: Slurm job arrays", "[shard]") {
  ShardSpec shard = shard_of("auto", {{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_MIN", "3"},
                                      {"SLURM_ARRAY_TASK_MAX", "6"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  CHECK(shard.index == 2);
  CHECK(shard.count == 4);
  // --array=1-7:2 runs tasks 1, 3, 5, 7: shards 0 to 3.
  shard = shard_of("auto", {{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                            {"SLURM_ARRAY_TASK_MAX", "7"}, {"SLURM_ARRAY_TASK_STEP", "2"},
                            {"SLURM_ARRAY_TASK_COUNT", "4"}});
  CHECK(shard.index == 3);
  CHECK(shard.count == 4);
  // --array=1,4,9: a list, whose ids do not map onto 0..N-1.
  std::string error = error_of("auto", {{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                                        {"SLURM_ARRAY_TASK_MAX", "9"}, {"SLURM_ARRAY_TASK_COUNT", "3"}});
  CHECK(error.find("not a range with a step") != std::string::npos);
  // auto/N must agree with the array.
  error = error_of("auto/5", {{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_MIN", "0"},
                              {"SLURM_ARRAY_TASK_MAX", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  CHECK(error == "--shard auto/5: Slurm says there are 4 shards (SLURM_ARRAY_TASK_COUNT)");
}

TEST_CASE("shard option: --shard auto: Kubernetes and AWS Batch give the index, the count is given", "[shard]") {
  ShardSpec shard = shard_of("auto/8", {{"JOB_COMPLETION_INDEX", "7"}});
  CHECK(shard.index == 7);
  CHECK(shard.count == 8);
  CHECK(error_of("auto", {{"JOB_COMPLETION_INDEX", "1"}}) ==
        "--shard auto: Kubernetes gives the index (JOB_COMPLETION_INDEX) but not the count: pass it as --shard auto/N");
  CHECK(error_of("auto/8", {{"JOB_COMPLETION_INDEX", "8"}}).find("must be below 8") != std::string::npos);
  shard = shard_of("auto/3", {{"AWS_BATCH_JOB_ARRAY_INDEX", "2"}});
  CHECK(shard.index == 2);
  CHECK(shard.count == 3);
}

TEST_CASE("shard option: --shard auto: Bazel, Google Cloud Batch and Open MPI give both", "[shard]") {
  auto status = std::filesystem::temp_directory_path() / "cspverify-shard-test-status";
  std::filesystem::remove(status);
  ShardSpec shard = shard_of("auto", {{"TEST_SHARD_INDEX", "1"}, {"TEST_TOTAL_SHARDS", "3"},
                                      {"TEST_SHARD_STATUS_FILE", status.string()}});
  CHECK(shard.index == 1);
  CHECK(shard.count == 3);
  std::string error;
  REQUIRE(csp::cli::acknowledge_shard(shard, &error));
  CHECK(std::filesystem::exists(status));  // Bazel reads it as "this test shards"
  std::filesystem::remove(status);

  shard = shard_of("auto", {{"BATCH_TASK_INDEX", "0"}, {"BATCH_TASK_COUNT", "2"}});
  CHECK(shard.index == 0);
  CHECK(shard.count == 2);
  shard = shard_of("auto", {{"OMPI_COMM_WORLD_RANK", "3"}, {"OMPI_COMM_WORLD_SIZE", "4"}});
  CHECK(shard.index == 3);
  CHECK(shard.count == 4);
  CHECK(error_of("auto", {{"OMPI_COMM_WORLD_RANK", "3"}}) ==
        "--shard auto: Open MPI sets OMPI_COMM_WORLD_RANK but OMPI_COMM_WORLD_SIZE is not set");
}

TEST_CASE("shard option: --shard auto: none or several engines in the environment", "[shard]") {
  CHECK(error_of("auto", {}).rfind("--shard auto: no shard index in the environment; looked for SLURM_ARRAY_TASK_ID", 0) ==
        0);
  std::string error = error_of("auto", {{"OMPI_COMM_WORLD_RANK", "0"}, {"OMPI_COMM_WORLD_SIZE", "2"},
                                        {"JOB_COMPLETION_INDEX", "0"}});
  CHECK(error.find("several engines set a shard index: Kubernetes (JOB_COMPLETION_INDEX) and Open MPI") !=
        std::string::npos);
}

TEST_CASE("shard option: --shard auto reads the process environment", "[shard]") {
  ::setenv("BATCH_TASK_INDEX", "1", 1);
  ::setenv("BATCH_TASK_COUNT", "2", 1);
  std::string error;
  auto shard = parse_shard("auto", csp::cli::process_environment(), &error);
  ::unsetenv("BATCH_TASK_INDEX");
  ::unsetenv("BATCH_TASK_COUNT");
  REQUIRE(shard);
  CHECK(shard->index == 1);
  CHECK(shard->origin == "Google Cloud Batch (BATCH_TASK_INDEX=1)");
}

TEST_CASE("work items: round-robin over sorted ids, or longest first by cost", "[shard]") {
  std::vector<std::string> items = {"consistency", "property:b", "property:a", "scenario:z", "scenario:c"};
  // Sorted: consistency, property:a, property:b, scenario:c, scenario:z; dealt to 0, 1, 0, 1, 0.
  auto shares = assign_items(items, 2);
  CHECK(shares[0] == std::vector<std::string>{"consistency", "property:b", "scenario:z"});
  CHECK(shares[1] == std::vector<std::string>{"property:a", "scenario:c"});
  // The order in the spec does not matter.
  std::vector<std::string> moved = {"scenario:c", "property:a", "consistency", "scenario:z", "property:b"};
  auto moved_shares = assign_items(moved, 2);
  CHECK(std::set<std::string>(moved_shares[0].begin(), moved_shares[0].end()) ==
        std::set<std::string>(shares[0].begin(), shares[0].end()));

  // One long item gets a shard to itself; unknown items cost the mean of the known (here 33.3).
  std::map<std::string, double> costs = {{"property:a", 90}, {"property:b", 5}, {"scenario:c", 5}};
  shares = assign_items(items, 2, &costs);
  CHECK(shares[0] == std::vector<std::string>{"property:a"});
  CHECK(shares[1] == std::vector<std::string>{"consistency", "property:b", "scenario:z", "scenario:c"});
}
