#include "cli/shard.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

#include "cli/commands.h"
#include "model/diff_result.h"
#include "model/merge.h"
#include "model/result.h"
#include "reports/view.h"

namespace csp::cli {

namespace {

constexpr unsigned long long kMaxShards = 100000;

std::optional<unsigned> whole(const char* text, unsigned long long min = 0, unsigned long long max = kMaxShards) {
  if (!text) return std::nullopt;
  auto value = parse_whole_number(text, min, max);
  if (!value) return std::nullopt;
  return static_cast<unsigned>(*value);
}

// One engine's way of telling a task its index (and maybe the count).
struct Engine {
  const char* name;
  const char* index_variable;
  const char* count_variable;  // nullptr: the count must be given (`--shard auto/N`)
};

const Engine kEngines[] = {
    {"Slurm", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"},
    {"Kubernetes", "JOB_COMPLETION_INDEX", nullptr},
    {"Bazel", "TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS"},
    {"AWS Batch", "AWS_BATCH_JOB_ARRAY_INDEX", nullptr},
    {"Google Cloud Batch", "BATCH_TASK_INDEX", "BATCH_TASK_COUNT"},
    {"Open MPI", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
};

// A Slurm array task's index among the array's tasks: the array must be a
// range MIN-MAX with a step (`--array=0-15`, `--array=1-31:2`); a list
// (`--array=1,4,9`) has no such mapping onto 0..N-1.
std::optional<ShardSpec> slurm_shard(const EnvironmentReader& env, std::string* error) {
  auto id = whole(env("SLURM_ARRAY_TASK_ID"), 0, 1ull << 31);
  auto min = whole(env("SLURM_ARRAY_TASK_MIN"), 0, 1ull << 31);
  auto max = whole(env("SLURM_ARRAY_TASK_MAX"), 0, 1ull << 31);
  auto count = whole(env("SLURM_ARRAY_TASK_COUNT"), 1);
  const char* step_text = env("SLURM_ARRAY_TASK_STEP");
  auto step = step_text ? whole(step_text, 1, 1ull << 31) : std::optional<unsigned>(1);
  if (!id || !min || !count || !step) {
    *error = "--shard auto: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT must be whole "
             "numbers (and SLURM_ARRAY_TASK_STEP, when set, at least 1)";
    return std::nullopt;
  }
  bool range = *id >= *min && (*id - *min) % *step == 0 && (*id - *min) / *step < *count &&
               (!max || static_cast<unsigned long long>(*max) ==
                            *min + static_cast<unsigned long long>(*count - 1) * *step);
  if (!range) {
    *error = fmt::format("--shard auto: the Slurm job array is not a range with a step (task {}, min {}, max {}, "
                         "step {}, {} tasks): a list such as --array=1,4,9 does not map onto shards 0..N-1; "
                         "submit --array=0-{} or pass --shard K/N",
                         *id, *min, max ? std::to_string(*max) : "unset", *step, *count, *count - 1);
    return std::nullopt;
  }
  ShardSpec shard;
  shard.index = (*id - *min) / *step;
  shard.count = *count;
  shard.origin = fmt::format("Slurm (SLURM_ARRAY_TASK_ID={})", *id);
  return shard;
}

std::optional<ShardSpec> engine_shard(const Engine& engine, const EnvironmentReader& env,
                                      std::optional<unsigned> given_count, std::string* error) {
  std::optional<ShardSpec> shard;
  if (std::string(engine.name) == "Slurm") {
    shard = slurm_shard(env, error);
    if (!shard) return std::nullopt;
  } else {
    auto index = whole(env(engine.index_variable));
    if (!index) {
      *error = fmt::format("--shard auto: {} `{}` is not a whole number", engine.index_variable,
                           env(engine.index_variable));
      return std::nullopt;
    }
    shard.emplace();
    shard->index = *index;
    shard->origin = fmt::format("{} ({}={})", engine.name, engine.index_variable, *index);
    if (engine.count_variable) {
      auto count = whole(env(engine.count_variable), 1);
      if (!count) {
        *error = fmt::format("--shard auto: {} sets {} but {} is {}", engine.name, engine.index_variable,
                             engine.count_variable,
                             env(engine.count_variable) ? fmt::format("`{}`, not a whole number from 1",
                                                                      env(engine.count_variable))
                                                        : std::string("not set"));
        return std::nullopt;
      }
      shard->count = *count;
    }
  }
  if (!engine.count_variable && !given_count) {
    *error = fmt::format("--shard auto: {} gives the index ({}) but not the count: pass it as --shard auto/N",
                         engine.name, engine.index_variable);
    return std::nullopt;
  }
  if (given_count) {
    if (engine.count_variable && *given_count != shard->count) {
      *error = fmt::format("--shard auto/{}: {} says there are {} shards ({})", *given_count, engine.name,
                           shard->count, engine.count_variable);
      return std::nullopt;
    }
    shard->count = *given_count;
  }
  if (shard->index >= shard->count) {
    *error = fmt::format("--shard auto: {} gives index {} of {} shards: the index starts at 0, so it must be below {}",
                         engine.name, shard->index, shard->count, shard->count);
    return std::nullopt;
  }
  if (std::string(engine.name) == "Bazel" && env("TEST_SHARD_STATUS_FILE")) {
    shard->status_file = env("TEST_SHARD_STATUS_FILE");
  }
  return shard;
}

std::optional<ShardSpec> auto_shard(const EnvironmentReader& env, std::optional<unsigned> given_count,
                                    std::string* error) {
  std::vector<const Engine*> found;
  for (const auto& engine : kEngines) {
    if (env(engine.index_variable)) found.push_back(&engine);
  }
  if (found.empty()) {
    std::vector<std::string> names;
    for (const auto& engine : kEngines) names.push_back(fmt::format("{} ({})", engine.index_variable, engine.name));
    *error = fmt::format("--shard auto: no shard index in the environment; looked for {}; pass --shard K/N instead",
                         fmt::join(names, ", "));
    return std::nullopt;
  }
  if (found.size() > 1) {
    // e.g. mpirun inside a Slurm array task: which one splits the work is the user's choice.
    std::vector<std::string> names;
    for (const auto* engine : found) names.push_back(fmt::format("{} ({})", engine->name, engine->index_variable));
    *error = fmt::format("--shard auto: several engines set a shard index: {}; pass --shard K/N instead",
                         fmt::join(names, " and "));
    return std::nullopt;
  }
  return engine_shard(*found[0], env, given_count, error);
}

}  // namespace

EnvironmentReader process_environment() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

std::optional<ShardSpec> parse_shard(const std::string& text, const EnvironmentReader& env, std::string* error) {
  auto slash = text.find('/');
  std::string first = text.substr(0, slash);
  std::string second = slash == std::string::npos ? "" : text.substr(slash + 1);
  if (first == "auto") {
    std::optional<unsigned> count;
    if (slash != std::string::npos) {
      count = whole(second.c_str(), 1);
      if (!count) {
        *error = fmt::format("invalid --shard `{}`: expected auto/N with N a whole number from 1 to {}", text,
                             kMaxShards);
        return std::nullopt;
      }
    }
    return auto_shard(env, count, error);
  }
  auto index = whole(first.c_str());
  auto count = whole(second.c_str(), 1);
  if (slash == std::string::npos || !index || !count) {
    *error = fmt::format("invalid --shard `{}`: expected K/N (shard K of N, K from 0, 1 <= N <= {}), auto or auto/N",
                         text, kMaxShards);
    return std::nullopt;
  }
  if (*index >= *count) {
    *error = fmt::format("--shard {}: the shard index starts at 0, so it must be below {}", text, *count);
    return std::nullopt;
  }
  ShardSpec shard;
  shard.index = *index;
  shard.count = *count;
  shard.origin = fmt::format("--shard {}", text);
  return shard;
}

bool acknowledge_shard(const ShardSpec& shard, std::string* error) {
  if (shard.status_file.empty()) return true;
  std::ofstream touch(shard.status_file, std::ios::app);
  if (!touch) {
    *error = fmt::format("cannot touch TEST_SHARD_STATUS_FILE `{}`", shard.status_file);
    return false;
  }
  return true;
}

std::vector<std::vector<std::string>> assign_items(const std::vector<std::string>& items, unsigned count,
                                                   const std::map<std::string, double>* costs) {
  std::vector<std::vector<std::string>> shards(count);
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<unsigned> owner(items.size(), 0);
  if (!costs || costs->empty()) {
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return items[a] < items[b]; });
    for (std::size_t i = 0; i < order.size(); ++i) owner[order[i]] = static_cast<unsigned>(i % count);
  } else {
    double mean = 0;
    for (const auto& [id, ms] : *costs) mean += ms;
    mean /= static_cast<double>(costs->size());
    std::vector<double> cost(items.size(), mean);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (auto it = costs->find(items[i]); it != costs->end()) cost[i] = it->second;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return cost[a] != cost[b] ? cost[a] > cost[b] : items[a] < items[b];
    });
    std::vector<double> load(count, 0);
    for (std::size_t i : order) {
      unsigned least = static_cast<unsigned>(std::min_element(load.begin(), load.end()) - load.begin());
      owner[i] = least;
      load[least] += cost[i];
    }
  }
  for (std::size_t i = 0; i < items.size(); ++i) shards[owner[i]].push_back(items[i]);
  return shards;
}

std::vector<std::string> check_work_items(const model::Model& model, bool properties, bool scenarios, bool lint,
                                          const std::string& only_property, const std::string& only_scenario) {
  std::vector<std::string> items;
  if (properties) {
    items.push_back(model::work_item_id("consistency", ""));
    for (const auto& p : model.properties) {
      if (only_property.empty() || p.name == only_property) items.push_back(model::work_item_id("property", p.name));
    }
  }
  if (scenarios) {
    for (const auto& s : model.scenarios) {
      if (only_scenario.empty() || s.name == only_scenario) items.push_back(model::work_item_id("scenario", s.name));
    }
  }
  if (lint) items.push_back(model::work_item_id("lint", ""));
  return items;
}

std::vector<std::string> diff_work_items(const model::DiffModels& models) {
  std::vector<std::string> items{model::kNewlyAllowedItem, model::kNewlyForbiddenItem};
  // A check both sides run (or one declares and both type-check) is one item.
  for (const auto& check : model::diff_checks(models)) {
    items.push_back(model::work_item_id(std::string(reports::kind_name(check.kind)), check.name));
  }
  return items;
}

std::string specs_hash(const model::SourceManager& sources) {
  // FNV-1a over each file's length and bytes: stable across machines and
  // builds, unlike std::hash. Paths are left out: shards may see the same
  // files under other directories.
  std::uint64_t hash = 14695981039346656037ull;
  auto add = [&](std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
  };
  for (std::size_t file = 0; file < sources.size(); ++file) {
    std::string_view text = sources.text(static_cast<int>(file));
    add(std::to_string(text.size()));
    add(text);
  }
  return fmt::format("fnv1a64:{:016x}", hash);
}

}  // namespace csp::cli
