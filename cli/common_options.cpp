#include "cli/common_options.h"

#include <fstream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli/command_help.h"
#include "cli/commands.h"
#include "model/diff_result.h"
#include "model/result.h"

namespace csp::cli {

namespace po = boost::program_options;

void add_common_options(po::options_description& d, CommonOptions& o, const CommonOptionsHelp& help) {
  if (!help.timeout_per.empty()) {
    d.add_options()("timeout", po::value(&o.timeout)->default_value(o.timeout)->value_name("SECONDS"),
                    fmt::format("seconds per {}, 1 to {}", help.timeout_per, kMaxTimeoutSeconds).c_str());
  }
  d.add_options()
      ("format,f", po::value(&o.formats)->composing()->value_name("FORMAT"),
       fmt::format("report format, repeatable: {}", fmt::join(help.formats, ", ")).c_str())
      ("out,o", po::value(&o.out_dir)->value_name(kDirectoryValue),
       fmt::format("write reports under DIR ({}.<ext> per format)", help.out_stem).c_str())
      ("no-timings", po::bool_switch(&o.no_timings), "leave timings out (reproducible reports)");
  if (!help.jobs.empty()) {
    d.add_options()("jobs,j", po::value(&o.jobs)->default_value(o.jobs)->value_name("N"),
                    fmt::format("{}; 0: one per hardware thread (N up to {})", help.jobs, kMaxJobs).c_str());
  }
  if (!help.shard_items.empty()) {
    d.add_options()
        ("shard", po::value(&o.shard)->value_name("K/N")->notifier([&o](const std::string&) { o.shard_given = true; }),
         fmt::format("run shard K of N (K from 0): only its share of the work items ({}), its JSON report to "
                     "be joined by `cspverify merge`; `auto` or `auto/N` reads K and N from Slurm, Kubernetes, "
                     "Bazel, AWS Batch, Google Cloud Batch or Open MPI (docs/sharding.md)", help.shard_items).c_str())
        ("balance-from", po::value(&o.balance_from)->value_name("REPORT"),
         "with --shard: share the work out by the times of an earlier JSON report, longest first to the least "
         "loaded shard");
  }
}

std::optional<unsigned> parse_jobs(const std::string& text, std::ostream& err) {
  auto jobs = parse_whole_number(text, 0, kMaxJobs);
  if (!jobs) {
    fmt::print(err, "cspverify: error: invalid --jobs `{}`: expected a whole number from 0 to {}\n", text, kMaxJobs);
    return std::nullopt;
  }
  return static_cast<unsigned>(*jobs);
}

std::optional<ShardRun> parse_shard_options(const CommonOptions& o, std::ostream& err, bool& failed) {
  failed = false;
  if (!o.shard_given) {
    if (!o.balance_from.empty()) {
      fmt::print(err, "cspverify: error: --balance-from shares the work among shards, and --shard is not given\n");
      failed = true;
    }
    return std::nullopt;
  }
  std::string error;
  auto spec = parse_shard(o.shard, process_environment(), &error);
  if (!spec || !acknowledge_shard(*spec, &error)) {
    fmt::print(err, "cspverify: error: {}\n", error);
    failed = true;
    return std::nullopt;
  }
  ShardRun run;
  run.spec = *spec;
  if (!o.balance_from.empty()) {
    auto costs = read_item_costs(o.balance_from, err);
    if (!costs) {
      failed = true;
      return std::nullopt;
    }
    run.costs = std::move(*costs);
  }
  return run;
}

namespace {

// A diff report's times: each direction's, and each check's under both sides together.
std::map<std::string, double> diff_item_costs(const nlohmann::json& doc) {
  std::map<std::string, double> costs;
  for (const char* direction : {model::kNewlyAllowedItem, model::kNewlyForbiddenItem}) {
    const auto& d = doc.at("semantic").at(direction);
    if (d.contains("time_ms")) costs[direction] = d.at("time_ms").get<double>();
  }
  for (const auto& check : doc.at("checks")) {
    auto id = model::work_item_id(check.at("kind").get<std::string>(), check.at("name").get<std::string>());
    for (const char* side : {"base", "proposed"}) {
      const auto& result = check.at(side);
      if (result.is_object() && result.contains("time_ms")) costs[id] += result.at("time_ms").get<double>();
    }
  }
  return costs;
}

}  // namespace

std::optional<std::map<std::string, double>> read_item_costs(const std::string& path, std::ostream& err) {
  std::ifstream in(path);
  if (!in) {
    fmt::print(err, "cspverify: error: cannot read --balance-from `{}`\n", path);
    return std::nullopt;
  }
  std::map<std::string, double> costs;
  try {
    auto doc = nlohmann::json::parse(in);
    if (doc.at("command") == "diff") {
      costs = diff_item_costs(doc);
    } else {
      for (const auto& result : doc.at("results")) {
        if (!result.contains("time_ms")) continue;
        auto kind = result.at("kind").get<std::string>();
        auto name = result.at("name").get<std::string>();
        // A scope sweep's step is a work item of its own ("property:p@3").
        int bound = result.contains("sweep_bound") && !result.at("sweep_bound").is_null()
                        ? result.at("sweep_bound").get<int>() : 0;
        costs[model::work_item_id(kind, name, bound)] = result.at("time_ms").get<double>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    fmt::print(err, "cspverify: error: --balance-from `{}` is not a cspverify JSON report: {}\n", path, e.what());
    return std::nullopt;
  }
  if (costs.empty()) {
    fmt::print(err, "cspverify: error: --balance-from `{}` has no times (was it written with --no-timings?)\n", path);
    return std::nullopt;
  }
  return costs;
}

}  // namespace csp::cli
