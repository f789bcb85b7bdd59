#include "cli/merge.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli/audit.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/diff.h"
#include "cli/shard.h"
#include "model/frontend.h"
#include "model/sweep.h"
#include "reports/json_reader.h"
#include "reports/report.h"

namespace csp::cli {

namespace po = boost::program_options;
using json = nlohmann::ordered_json;

namespace {

const char* kMergeExitCodes =
    "Exit codes:\n"
    "  0, 1, 3, 130, 143  as the sharded command (prove, check, verify, diff or audit)\n"
    "     would have exited in a single run (`cspverify prove --help`, `cspverify diff --help`)\n"
    "  2  bad input: a report unreadable or not a shard's, shards of different specs,\n"
    "     data, options or versions, a shard missing or given twice, a work item not\n"
    "     run by exactly one shard; or an output that cannot be written; for an audit\n"
    "     also any data error in any shard, as in a single run\n"
    "  4  internal error (a bug in cspverify; please report it)\n";

const char* kMergeUsage = "cspverify merge [options] SHARD.json...";

struct MergeOptions {
  std::vector<std::string> shards;
  CommonOptions common;
  bool help = false;
};

po::options_description merge_options(MergeOptions& o) {
  po::options_description d(kMergeUsage);
  d.add_options()("help,h", po::bool_switch(&o.help), "show this help");
  CommonOptionsHelp common;
  common.formats = reports::format_names();
  common.out_stem = "cspverify";
  add_common_options(d, o.common, common);
  return d;
}

// One shard's JSON report as read from its file.
struct Shard {
  std::string path;
  json doc;
  const json& info() const { return doc.at("shard"); }
  unsigned index() const { return info().at("index").get<unsigned>(); }
  unsigned count() const { return info().at("count").get<unsigned>(); }
};

std::optional<Shard> read_shard(const std::string& path, std::ostream& err) {
  std::ifstream in(path);
  if (!in) {
    fmt::print(err, "cspverify merge: error: cannot read `{}`\n", path);
    return std::nullopt;
  }
  Shard shard{path, {}};
  try {
    shard.doc = json::parse(in);
    shard.index();
    shard.count();
    shard.info().at("items");
  } catch (const json::exception& e) {
    bool no_shard = shard.doc.is_object() && !shard.doc.contains("shard");
    fmt::print(err, "cspverify merge: error: `{}` is not a shard's JSON report{}\n", path,
               no_shard ? " (it has no `shard` object: write it with --shard K/N --format json)"
                        : fmt::format(": {}", e.what()));
    return std::nullopt;
  }
  return shard;
}

// What every shard must share with the first: a difference means their
// results do not belong to one run.
bool same_run(const std::vector<Shard>& shards, std::ostream& err) {
  const Shard& first = shards.front();
  auto fields = [](const Shard& s) -> std::vector<std::pair<std::string, json>> {
    return {{"command", s.doc.at("command")},
            {"inputs", s.doc.at("inputs")},
            {"shard count", s.info().at("count")},
            {"specs hash", s.info().at("specs_hash")},
            {"options", s.info().at("options")},
            {"cspverify version", s.info().at("cspverify_version")},
            {"z3 version", s.info().at("z3_version")}};
  };
  auto expected = fields(first);
  bool same = true;
  for (const auto& shard : shards) {
    auto got = fields(shard);
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (got[i].second == expected[i].second) continue;
      fmt::print(err, "cspverify merge: error: `{}` and `{}` come from different runs: {} {} and {}\n", first.path,
                 shard.path, got[i].first, expected[i].second.dump(), got[i].second.dump());
      same = false;
    }
  }
  return same;
}

// One report per index 0..N-1: a missing one is a shard that failed, was
// killed before writing, or was not given.
bool every_shard_once(const std::vector<Shard>& shards, std::ostream& err) {
  unsigned count = shards.front().count();
  std::map<unsigned, std::string> seen;
  bool ok = true;
  for (const auto& shard : shards) {
    if (shard.index() >= count) {
      fmt::print(err, "cspverify merge: error: `{}` is shard {} of {}: the index must be below {}\n", shard.path,
                 shard.index(), count, count);
      ok = false;
      continue;
    }
    auto [it, fresh] = seen.emplace(shard.index(), shard.path);
    if (!fresh) {
      fmt::print(err, "cspverify merge: error: shard {}/{} is given twice: `{}` and `{}`\n", shard.index(), count,
                 it->second, shard.path);
      ok = false;
    }
  }
  for (unsigned index = 0; index < count; ++index) {
    if (!seen.count(index)) {
      fmt::print(err, "cspverify merge: error: shard {}/{} is missing: no report of it was given (did it fail or "
                      "time out before writing one?)\n", index, count);
      ok = false;
    }
  }
  return ok;
}

// Every work item of the run, each in exactly one shard's `items`.
bool every_item_once(const std::vector<Shard>& shards, const std::vector<std::string>& items, std::ostream& err) {
  std::map<std::string, std::vector<std::string>> owners;
  for (const auto& shard : shards) {
    for (const auto& item : shard.info().at("items")) owners[item.get<std::string>()].push_back(shard.path);
  }
  bool ok = true;
  std::vector<std::string> missing;
  for (const auto& item : items) {
    auto it = owners.find(item);
    if (it == owners.end()) {
      missing.push_back(item);
    } else if (it->second.size() > 1) {
      fmt::print(err, "cspverify merge: error: work item `{}` was run by several shards: {}\n", item,
                 fmt::join(it->second, ", "));
      ok = false;
    }
  }
  if (!missing.empty()) {
    fmt::print(err, "cspverify merge: error: no shard ran {}\n", fmt::join(missing, ", "));
    ok = false;
  }
  std::set<std::string> known(items.begin(), items.end());
  for (const auto& [item, paths] : owners) {
    if (!known.count(item)) {
      fmt::print(err, "cspverify merge: error: `{}` ran `{}`, which is not a work item of these specs\n",
                 paths.front(), item);
      ok = false;
    }
  }
  return ok;
}

// Where a result or a not-run check comes in a single run: the consistency
// check, the properties, then the scenarios, each in declaration order.
std::pair<int, int> run_position(const model::Model& model, model::CheckResult::Kind kind, const std::string& name) {
  switch (kind) {
    case model::CheckResult::Kind::Consistency: return {0, 0};
    case model::CheckResult::Kind::Property: return {1, model.find_property(name)};
    case model::CheckResult::Kind::Scenario: return {2, model.find_scenario(name)};
  }
  return {3, 0};
}

model::RunReport join(std::vector<model::RunReport> parts, const model::Model& model) {
  model::RunReport joined;
  joined.command = parts.front().command;
  joined.inputs = parts.front().inputs;
  joined.z3_version = parts.front().z3_version;
  joined.sweep = parts.front().sweep;
  for (auto& part : parts) {
    for (auto& r : part.results) joined.results.push_back(std::move(r));
    for (auto& n : part.not_run) joined.not_run.push_back(std::move(n));
    if (part.interrupted_by != 0 && joined.interrupted_by == 0) joined.interrupted_by = part.interrupted_by;
    if (part.lint) joined.lint = std::move(part.lint);
  }
  auto by_position = [&](const auto& a, const auto& b) {
    // A sweep's steps of one check by bound (model/sweep.h).
    return std::pair(run_position(model, a.kind, a.name), model::sweep_rank(a.sweep_bound)) <
           std::pair(run_position(model, b.kind, b.name), model::sweep_rank(b.sweep_bound));
  };
  std::stable_sort(joined.results.begin(), joined.results.end(), by_position);
  std::stable_sort(joined.not_run.begin(), joined.not_run.end(), by_position);
  return joined;
}

std::string option_value(const Shard& shard, const std::string& name) {
  const json& options = shard.info().at("options");
  return options.contains(name) ? options.at(name).get<std::string>() : "";
}

// The specs loaded again (from `inputs`) are those the shards hashed.
bool same_specs(const model::SourceManager& sources, const Shard& first, const std::string& inputs, std::ostream& err) {
  if (specs_hash(sources) == first.info().at("specs_hash").get<std::string>()) return true;
  fmt::print(err, "cspverify merge: error: the specs `{}` are not those the shards checked (they changed since, or "
                  "merge runs in another directory)\n", inputs);
  return false;
}

// A diff's shards: both sides loaded again from the paths the shards
// recorded, each shard's report read against them, and joined as the
// single run's report by cli/diff.cpp.
int merge_diff(std::vector<Shard>& shards, const MergeOptions& o, std::ostream& out, std::ostream& err) {
  std::vector<std::pair<std::string, std::string>> options;
  for (const auto& [name, value] : shards.front().info().at("options").items()) {
    options.emplace_back(name, value.get<std::string>());
  }
  DiffSides sides = recorded_diff_sides(options);
  if (sides.paths.empty()) {
    fmt::print(err, "cspverify merge: error: `{}` records no diff paths (its shard options have no `paths`)\n",
               shards.front().path);
    return kBadInput;
  }
  LoadedDiff loaded;
  if (!loaded.load(sides, err)) return kBadInput;
  std::vector<std::string> inputs = sides.paths;
  inputs.insert(inputs.end(), sides.changes.begin(), sides.changes.end());
  if (!same_specs(loaded.sources, shards.front(), fmt::format("{}", fmt::join(inputs, " ")), err)) return kBadInput;
  if (!every_item_once(shards, diff_work_items(*loaded.models), err)) return kBadInput;

  std::sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.index() < b.index(); });
  std::vector<model::DiffReport> parts;
  for (const auto& shard : shards) {
    std::string error;
    auto part = reports::read_diff_json_report(shard.doc, *loaded.models, loaded.sources, &error);
    if (!part) {
      fmt::print(err, "cspverify merge: error: `{}`: {}\n", shard.path, error);
      return kBadInput;
    }
    parts.push_back(std::move(*part));
  }
  bool timings = option_value(shards.front(), "no-timings") != "true" && !o.common.no_timings;
  return write_merged_diff(std::move(parts), options, loaded, o.common.formats, o.common.out_dir, timings, out, err);
}

}  // namespace

CommandHelp describe_merge() {
  static MergeOptions unused;  // the description binds its values here; nothing is parsed into it
  CommandHelp help;
  help.usages = {kMergeUsage};
  help.options = merge_options(unused).options();
  help.choices["format"] = reports::format_names();
  help.exit_codes = kMergeExitCodes;
  return help;
}

int run_merge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  MergeOptions o;
  po::options_description desc = merge_options(o);
  po::options_description all = desc;
  all.add_options()("shard-report", po::value(&o.shards)->composing());
  po::positional_options_description positional;
  positional.add("shard-report", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    fmt::print(err, "cspverify merge: error: {}\n(see `cspverify merge --help`)\n", option_error_message(e, desc));
    return kBadInput;
  }
  if (o.help) {
    std::ostringstream text;
    text << desc << "\n" << kMergeExitCodes;
    return write_stdout(text.str(), out, err) ? kSuccess : kBadInput;
  }
  if (o.shards.empty()) {
    fmt::print(err, "cspverify merge: error: no shard report given (e.g. `cspverify merge shard-*.json`)\n");
    return kBadInput;
  }
  std::vector<Shard> shards;
  for (const auto& path : o.shards) {
    auto shard = read_shard(path, err);
    if (!shard) return kBadInput;
    shards.push_back(std::move(*shard));
  }
  if (!same_run(shards, err) || !every_shard_once(shards, err)) return kBadInput;
  if (shards.front().doc.at("command") == "diff") return merge_diff(shards, o, out, err);
  if (shards.front().doc.at("command") == "audit") {
    std::sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.index() < b.index(); });
    std::vector<std::pair<std::string, const json*>> audit_shards;
    for (const auto& shard : shards) audit_shards.emplace_back(shard.path, &shard.doc);
    return merge_audit(audit_shards, o.common, out, err);
  }

  // The writers need the model the shards checked: loaded again, and checked to be the same.
  std::vector<std::string> inputs;
  for (const auto& input : shards.front().doc.at("inputs")) inputs.push_back(input.get<std::string>());
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::Model> model = model::load_model(inputs, sources, sink);
  if (!model || sink.has_errors()) {
    err << model::render_all(sink, sources);
    return kBadInput;
  }
  if (!same_specs(sources, shards.front(), fmt::format("{}", fmt::join(inputs, " ")), err)) return kBadInput;
  const std::string command = shards.front().doc.at("command").get<std::string>();
  std::vector<int> sweep;
  if (shards.front().doc.contains("sweep")) sweep = shards.front().doc.at("sweep").at("bounds").get<std::vector<int>>();
  auto items = sharded_work_items(command, *model, option_value(shards.front(), "only"), sweep,
                                  option_value(shards.front(), "bounded") == "true");
  if (!items) {
    fmt::print(err, "cspverify merge: error: `{}` reports are not sharded\n", command);
    return kBadInput;
  }
  if (!every_item_once(shards, *items, err)) return kBadInput;

  std::sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.index() < b.index(); });
  std::vector<model::RunReport> parts;
  for (const auto& shard : shards) {
    std::string error;
    auto part = reports::read_json_report(shard.doc, *model, sources, &error);
    if (!part) {
      fmt::print(err, "cspverify merge: error: `{}`: {}\n", shard.path, error);
      return kBadInput;
    }
    parts.push_back(std::move(*part));
  }
  model::RunReport joined = join(std::move(parts), *model);
  bool timings = option_value(shards.front(), "no-timings") != "true" && !o.common.no_timings;
  return write_run_reports(joined, *model, sources, o.common.formats, o.common.out_dir, timings, out, err);
}

}  // namespace csp::cli
