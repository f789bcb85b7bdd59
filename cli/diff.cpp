// The `diff` sub-command: loads both sides (BASE from a git revision with
// --base-rev), checks each side and their merged model, runs the diff and
// writes the report; with --shard, one shard's part of it, which `cspverify
// merge` joins with the others' (write_merged_diff). Exit codes: 0 no
// regression, 1 regression (or a contradicted --expect), 2 bad input, 3
// unknown, 4 internal error.
#include "cli/diff.h"

#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/cross_check.h"
#include "cli/process.h"
#include "cli/progress.h"
#include "cli/queries.h"
#include "cli/shard.h"
#include "model/changes.h"
#include "model/frontend.h"
#include "model/merge.h"
#include "model/stop.h"
#include "reports/diff_report.h"
#include "reports/report.h"
#include "reports/view.h"
#include "solver/diff.h"

namespace csp::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

const char* kDiffExitCodes =
    "Exit codes:\n"
    "  0  no regression\n"
    "  1  a regression: a property, the rules' consistency or a scenario that the\n"
    "     base side passes fails under the proposed side; or --expect contradicted\n"
    "  2  bad input: usage error, unreadable file or revision, syntax or type\n"
    "     error, or vocabularies that cannot be merged\n"
    "  3  some check unknown (solver timeout or incompleteness), no regression\n"
    "  4  internal error (a bug in cspverify; please report it)\n";

struct DiffOptions {
  std::vector<std::string> paths;
  std::string base_rev;
  std::vector<std::string> changes;  // --change: the proposed side is BASE with these applied
  std::vector<std::string> scopes;
  CommonOptions common;  // --format, --out, --no-timings, --timeout
  std::string expect;
  std::string witnesses = "1";
  std::string dump_smt2;
  std::string cross_check;
  bool no_progress = false;
  bool help = false;
};

const std::vector<std::string> kDiffUsages = {
    "cspverify diff [options] BASE PROPOSED", "cspverify diff [options] BASE... --change CHANGE...",
    "cspverify diff [options] --base-rev REV PATH... [--change CHANGE...]"};
const std::vector<std::string> kDiffFormats = {"text", "json", "markdown", "junit", "sarif", "html", "dot"};
constexpr unsigned long long kMaxWitnesses = 20;
const std::vector<std::string> kExpectations = {"equivalent", "tightening", "widening"};

po::options_description diff_options(DiffOptions& o) {
  po::options_description d(fmt::format("{}", fmt::join(kDiffUsages, "\n")));
  d.add_options()
      ("help,h", po::bool_switch(&o.help), "show this help")
      ("base-rev", po::value(&o.base_rev)->value_name("REV"),
       "take BASE from git revision REV of the same PATH(s) (e.g. HEAD, main, a1b2c3d)")
      ("change", po::value(&o.changes)->composing()->value_name(kSpecPathValue),
       "a change proposal (a patch file or directory, repeatable): the proposed side is BASE with its patches "
       "applied (with --base-rev, the base at REV with them applied)")
      ("scope", po::value(&o.scopes)->composing()->value_name("N|Kind=N"),
       "bound per entity kind: N (every kind) or Kind=N; repeatable; applies to both sides")
      ("witnesses", po::value(&o.witnesses)->default_value("1")->value_name("N"),
       fmt::format("distinct witnesses per direction, 1 to {}: each further one satisfies the rules blamed so far, "
                   "else breaks another clause of them, else has other kinds of entities", kMaxWitnesses).c_str())
      ("expect", po::value(&o.expect)->value_name("EXPECTATION"),
       "what the change should do: `equivalent`, `tightening` (nothing newly allowed) or `widening` "
       "(nothing newly forbidden); exit 1 when a witness contradicts it")
      ;
  CommonOptionsHelp common;
  common.formats = kDiffFormats;
  common.out_stem = "cspverify-diff";
  common.timeout_per = "direction, property or scenario";
  common.shard_items = "each direction of the semantic difference, the consistency check, each property and each "
                       "scenario, each check under both sides";
  add_common_options(d, o.common, common);
  d.add_options()
      ("no-progress", po::bool_switch(&o.no_progress),
       "no progress line (by default one is shown on standard error, when it is a terminal, after 3 s)")
      ("dump-smt2", po::value(&o.dump_smt2)->value_name(kDirectoryValue),
       (std::string(kDumpSmt2Help) + "; the difference's queries in DIR/difference, each side's in DIR/base and "
        "DIR/proposed").c_str())
      ("cross-check", po::value(&o.cross_check)->value_name("SOLVER"), kCrossCheckHelp);
  return d;
}

// ------------------------------------------------------------------ git

// The nearest existing directory at or above `path`, for `git -C`.
fs::path existing_directory(fs::path path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) path = path.parent_path();
  while (!path.empty() && !fs::exists(path, ec) && path != path.root_path()) path = path.parent_path();
  return path;
}

}  // namespace

std::optional<std::vector<std::string>> RevisionTree::extract(const std::string& rev,
                                                              const std::vector<std::string>& paths,
                                                              std::string* error) {
  if (!root_) {
    root_ = TemporaryDirectory::create("cspverify-diff", error);
    if (!root_) return std::nullopt;
  }
  const fs::path& root = root_->path();
  std::map<std::string, fs::path> trees;  // repository top level -> its extracted tree
  std::vector<std::string> out;
  for (const auto& path : paths) {
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec).lexically_normal();
    ProgramOutput top = run_program({"git", "-C", existing_directory(absolute).string(), "rev-parse",
                                     "--show-toplevel"}, root);
    if (top.status != 0) {
      *error = fmt::format("`{}` is not in a git repository: {}", path, first_line(top.err));
      return std::nullopt;
    }
    std::string toplevel = first_line(top.out);
    auto [tree, fresh] = trees.emplace(toplevel, root / fmt::format("tree{}", trees.size()));
    if (fresh) {
      fs::path archive = root / "tree.tar";
      ProgramOutput git = run_program({"git", "-C", toplevel, "archive", "--format=tar", "-o", archive.string(), rev},
                                      root);
      if (git.status != 0) {
        *error = fmt::format("cannot read revision `{}` of `{}`: {}", rev, toplevel, first_line(git.err));
        return std::nullopt;
      }
      std::error_code mkdir_error;
      if (!fs::create_directories(tree->second, mkdir_error)) {
        *error = fmt::format("cannot extract revision `{}` into `{}`: {}", rev, tree->second.string(),
                             mkdir_error.message());
        return std::nullopt;
      }
      ProgramOutput tar = run_program({"tar", "-xf", archive.string(), "-C", tree->second.string()}, root);
      if (tar.status != 0) {
        *error = fmt::format("cannot extract revision `{}`: {}", rev, first_line(tar.err));
        return std::nullopt;
      }
    }
    fs::path relative = fs::weakly_canonical(absolute, ec).lexically_relative(fs::weakly_canonical(toplevel, ec));
    fs::path extracted = tree->second / relative;
    if (!fs::exists(extracted, ec)) {
      *error = fmt::format("`{}` does not exist at revision `{}`", path, rev);
      return std::nullopt;
    }
    out.push_back(extracted.lexically_normal().string());
  }
  return out;
}

namespace {

// ---------------------------------------------------------------- loading

// `proposed_label` names PROPOSED when it is a path of its own (no --change):
// if it holds patches that do not apply on their own, it was meant as a change.
bool load_sides(const std::vector<std::string>& base_paths, const std::vector<std::string>& proposed_paths,
                const std::string& proposed_label, model::SourceManager& sources,
                std::optional<model::DiffModels>& models, std::ostream& err) {
  model::DiagnosticSink sink;
  auto base_files = model::load(base_paths, sources, sink);
  auto proposed_files = model::load(proposed_paths, sources, sink);
  bool proposed_patches = model::has_patches(proposed_files);
  bool patched = !sink.has_errors() && model::apply_patches(base_files, sources, sink) &&
                 model::apply_patches(proposed_files, sources, sink);
  if (patched) models = model::build_diff_models(base_files, proposed_files, sources, sink);
  err << model::render_all(sink, sources);
  if (!patched && proposed_patches && !proposed_label.empty()) {
    fmt::print(err,
               "cspverify diff: help: `{0}` holds patches (`extend`, `replace`, `remove`) of declarations it does not "
               "make; to apply them over BASE, run `cspverify diff BASE --change {0}`\n",
               proposed_label);
  }
  return models.has_value() && !sink.has_errors();
}

// One side's scope: the overrides naming a kind this side does not have are
// for the other side.
model::Scope side_scope(const model::Model& model, model::ScopeOverrides overrides) {
  std::erase_if(overrides.per_kind, [&](const auto& entry) { return model.find_kind(entry.first) < 0; });
  std::string ignored;
  return *model::resolve_scope(model, overrides, &ignored);
}

std::optional<model::DiffExpectation> parse_expectation(const std::string& text, std::ostream& err) {
  if (text == "equivalent") return model::DiffExpectation::Equivalent;
  if (text == "tightening") return model::DiffExpectation::Tightening;
  if (text == "widening") return model::DiffExpectation::Widening;
  std::string hint = model::closest_match(text, kExpectations);
  fmt::print(err, "cspverify diff: error: invalid --expect `{}`: expected `equivalent`, `tightening` or `widening`{}\n",
             text, hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint));
  return std::nullopt;
}

// ---------------------------------------------------------------- output

enum class DiffFormat { Text, Json, Markdown, Junit, Sarif, Html, Dot };

// Every report format has a diff writer.
std::optional<DiffFormat> parse_diff_format(const std::string& name, std::ostream& err) {
  auto format = reports::parse_format(name);
  if (!format) {
    std::string hint = model::closest_match(name, kDiffFormats);
    fmt::print(err, "cspverify diff: error: unknown format `{}`{}\n", name,
               hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint));
    return std::nullopt;
  }
  switch (*format) {
    case reports::Format::Text: return DiffFormat::Text;
    case reports::Format::Json: return DiffFormat::Json;
    case reports::Format::Markdown: return DiffFormat::Markdown;
    case reports::Format::Junit: return DiffFormat::Junit;
    case reports::Format::Sarif: return DiffFormat::Sarif;
    case reports::Format::Html: return DiffFormat::Html;
    case reports::Format::Dot: return DiffFormat::Dot;
  }
  return DiffFormat::Text;
}

void write_diff(DiffFormat format, const model::DiffReport& report, const reports::DiffContext& context, std::ostream& out) {
  switch (format) {
    case DiffFormat::Text: reports::write_diff_text(report, context, out); return;
    case DiffFormat::Json: reports::write_diff_json(report, context, out); return;
    case DiffFormat::Markdown: reports::write_diff_markdown(report, context, out); return;
    case DiffFormat::Junit: reports::write_diff_junit(report, context, out); return;
    case DiffFormat::Sarif: reports::write_diff_sarif(report, context, out); return;
    case DiffFormat::Html: reports::write_diff_html(report, context, out); return;
    case DiffFormat::Dot: reports::write_diff_dot(report, context, out); return;
  }
}

const char* extension(DiffFormat format) {
  switch (format) {
    case DiffFormat::Text: return "txt";
    case DiffFormat::Json: return "json";
    case DiffFormat::Markdown: return "md";
    case DiffFormat::Junit: return "junit.xml";
    case DiffFormat::Sarif: return "sarif";
    case DiffFormat::Html: return "html";
    case DiffFormat::Dot: return "dot";
  }
  return "txt";
}

bool write_outputs(const model::DiffReport& report, const reports::DiffContext& context,
                   const std::vector<std::string>& format_names, const std::string& out_dir, std::ostream& out,
                   std::ostream& err) {
  std::vector<DiffFormat> formats;
  for (const auto& name : format_names.empty() ? std::vector<std::string>{"text"} : format_names) {
    auto format = parse_diff_format(name, err);
    if (!format) return false;
    formats.push_back(*format);
  }
  if (out_dir.empty()) {
    if (formats.size() > 1) {
      fmt::print(err, "cspverify diff: error: several formats need --out DIR\n");
      return false;
    }
    std::ostringstream text;
    write_diff(formats[0], report, context, text);
    return write_stdout(text.str(), out, err);
  }
  if (!prepare_output_directory("--out", out_dir, err)) return false;
  std::vector<std::string> written;
  for (auto format : formats) {
    fs::path path = fs::path(out_dir) / fmt::format("cspverify-diff.{}", extension(format));
    std::ostringstream text;
    write_diff(format, report, context, text);
    if (!write_output_file(path, text.str(), err)) return false;
    written.push_back(path.string());
  }
  // The reports are in files; the console still says where, and how the diff went.
  return write_stdout(fmt::format("wrote {}\n{}", fmt::join(written, ", "), reports::diff_summary_line(report)), out,
                      err);
}

std::optional<DiffOptions> parse_arguments(const std::vector<std::string>& args, std::ostream& err) {
  DiffOptions o;
  po::options_description desc = diff_options(o);
  po::options_description all = desc;
  all.add_options()("path", po::value(&o.paths)->composing());
  po::positional_options_description positional;
  positional.add("path", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    fmt::print(err, "cspverify diff: error: {}\n(see `cspverify diff --help`)\n", option_error_message(e, desc));
    return std::nullopt;
  }
  return o;
}

// The progress line of a diff on a terminal: time, checks done on both
// sides, and the step the semantic difference is at.
class DiffProgress {
 public:
  DiffProgress(std::ostream& err, bool enabled, std::size_t checks)
      : line_(err, enabled, std::chrono::seconds(3)), checks_(checks) {
    line_.tick([this]() { return render(); });
  }

  solver::SolveOptions::Progress hooks() {
    solver::SolveOptions::Progress hooks;
    hooks.check_done = [this]() { ++done_; };
    hooks.step = [this](const std::string& step) {
      std::lock_guard lock(mutex_);
      step_ = step;
    };
    return hooks;
  }

  void done() { line_.done(); }

 private:
  std::string render() {
    std::lock_guard lock(mutex_);
    return fmt::format("cspverify diff: {:.0f} s; checks {}/{} on both sides; {}", line_.seconds(),
                       done_.load(), checks_, step_);
  }

  ProgressLine line_;
  std::size_t checks_;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::string step_ = "starting";
};

// Every check both sides run: each side's consistency, properties and
// scenarios (a shard's: those of its share).
std::size_t checks_to_run(const model::DiffModels& models, const std::optional<solver::DiffShare>& share) {
  std::size_t n = 0;
  for (const model::Model* side : {&models.base_checks, &models.proposed_checks}) {
    if (!share) {
      n += 1 + side->properties.size() + side->scenarios.size();
      continue;
    }
    n += share->consistency ? 1 : 0;
    for (const auto& p : side->properties) n += share->properties.count(p.name);
    for (const auto& sc : side->scenarios) n += share->scenarios.count(sc.name);
  }
  return n;
}

std::string joined(const std::vector<std::string>& paths, const std::string& prefix = "") {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(prefix + p);
  return fmt::format("{}", fmt::join(out, " "));
}

// ---------------------------------------------------------------- shards

// A list option recorded as one value: paths one a line (a path may hold a
// space; none holds a newline that a shell user would pass).
std::string one_a_line(const std::vector<std::string>& values) { return fmt::format("{}", fmt::join(values, "\n")); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The options that change a diff's results or its report, sorted, as
// `cspverify merge` compares them across shards and reads them back.
std::vector<std::pair<std::string, std::string>> result_options(const DiffOptions& o) {
  return {
      {"base-rev", o.base_rev},
      {"change", one_a_line(o.changes)},
      {"expect", o.expect},
      {"no-timings", o.common.no_timings ? "true" : "false"},
      {"paths", one_a_line(o.paths)},
      {"scope", fmt::format("{}", fmt::join(o.scopes, " "))},
      {"timeout", o.common.timeout},
      {"witnesses", o.witnesses},
  };
}

std::string option_value(const std::vector<std::pair<std::string, std::string>>& options, const std::string& name) {
  for (const auto& [key, value] : options) {
    if (key == name) return value;
  }
  return "";
}

// What the work items `owned` (diff_work_items) ask a shard to run.
solver::DiffShare share_of(const std::vector<std::string>& owned, const model::DiffModels& models) {
  std::set<std::string> ids(owned.begin(), owned.end());
  solver::DiffShare share;
  share.newly_allowed = ids.count(model::kNewlyAllowedItem) > 0;
  share.newly_forbidden = ids.count(model::kNewlyForbiddenItem) > 0;
  share.consistency = ids.count(model::work_item_id("consistency", "")) > 0;
  for (const model::Model* side : {&models.base_checks, &models.proposed_checks}) {
    for (const auto& p : side->properties) {
      if (ids.count(model::work_item_id("property", p.name))) share.properties.insert(p.name);
    }
    for (const auto& sc : side->scenarios) {
      if (ids.count(model::work_item_id("scenario", sc.name))) share.scenarios.insert(sc.name);
    }
  }
  return share;
}

model::ShardInfo shard_info(const ShardRun& shard, const DiffOptions& o, const LoadedDiff& loaded) {
  model::ShardInfo info;
  info.index = shard.spec.index;
  info.count = shard.spec.count;
  info.items = assign_items(diff_work_items(*loaded.models), shard.spec.count, &shard.costs)[shard.spec.index];
  info.specs_hash = specs_hash(loaded.sources);
  info.options = result_options(o);
  return info;
}

// The semantic difference's scope: per kind, the larger of the sides' scopes.
model::Scope semantic_scope(const model::DiffModels& models, const model::ScopeOverrides& overrides) {
  return solver::merged_scope(models.merged, models.base, side_scope(models.base, overrides), models.proposed,
                              side_scope(models.proposed, overrides));
}

}  // namespace

bool LoadedDiff::load(const DiffSides& sides, std::ostream& err) {
  bool from_git = !sides.base_rev.empty();
  bool with_change = !sides.changes.empty();
  std::vector<std::string> base_paths{sides.paths.front()}, proposed_paths{sides.paths.back()};
  if (with_change) base_paths = sides.paths;
  if (from_git) {
    std::string error;
    auto extracted = revision_.extract(sides.base_rev, sides.paths, &error);
    if (!extracted) {
      fmt::print(err, "cspverify diff: error: {}\n", error);
      return false;
    }
    base_paths = *extracted;
    proposed_paths = sides.paths;
  }
  // A change applies to the base itself (at REV with --base-rev): the diff
  // then shows what the change does and nothing else.
  if (with_change) {
    proposed_paths = base_paths;
    proposed_paths.insert(proposed_paths.end(), sides.changes.begin(), sides.changes.end());
  }
  proposed_path = with_change ? "" : sides.paths.back();
  if (!load_sides(base_paths, proposed_paths, proposed_path, sources, models, err)) return false;
  base_label = from_git ? joined(sides.paths, sides.base_rev + ":") : with_change ? joined(sides.paths) : sides.paths.front();
  proposed_label = with_change ? fmt::format("{} + {}", base_label, joined(sides.changes))
                   : from_git  ? joined(sides.paths)
                               : sides.paths.back();
  return true;
}

DiffSides recorded_diff_sides(const std::vector<std::pair<std::string, std::string>>& options) {
  return {lines_of(option_value(options, "paths")), option_value(options, "base-rev"),
          lines_of(option_value(options, "change"))};
}

int write_merged_diff(std::vector<model::DiffReport> shards, const std::vector<std::pair<std::string, std::string>>& options,
                      const LoadedDiff& loaded, const std::vector<std::string>& formats, const std::string& out_dir,
                      bool timings, std::ostream& out, std::ostream& err) {
  const model::DiffModels& models = *loaded.models;
  std::vector<std::string> scopes;
  std::istringstream words(option_value(options, "scope"));
  for (std::string word; words >> word;) scopes.push_back(word);
  auto overrides = parse_scopes(scopes, err);
  auto witnesses = parse_whole_number(option_value(options, "witnesses"), 1, kMaxWitnesses);
  std::optional<model::DiffExpectation> expected;
  std::string expect = option_value(options, "expect");
  if (!overrides || !witnesses || (!expect.empty() && !(expected = parse_expectation(expect, err)))) {
    fmt::print(err, "cspverify merge: error: the shards' diff options do not read back\n");
    return kBadInput;
  }
  model::DiffReport report;
  report.z3_version = shards.front().z3_version;
  report.changes = model::compare_models(models.base, models.proposed);
  report.semantic.scope = semantic_scope(models, *overrides);
  report.expected = expected;
  for (auto& shard : shards) {
    if (!shard.semantic.newly_allowed.elsewhere) report.semantic.newly_allowed = std::move(shard.semantic.newly_allowed);
    if (!shard.semantic.newly_forbidden.elsewhere) {
      report.semantic.newly_forbidden = std::move(shard.semantic.newly_forbidden);
    }
    for (auto& pair : shard.checks) report.checks.push_back(std::move(pair));
    for (auto& missing : shard.not_run) report.not_run.push_back(std::move(missing));
    if (report.interrupted_by == 0) report.interrupted_by = shard.interrupted_by;
  }
  // The single run's order: the checks' work items in report order.
  auto items = diff_work_items(models);
  auto position = [&](model::CheckResult::Kind kind, const std::string& name) {
    std::string id = model::work_item_id(std::string(reports::kind_name(kind)), name);
    return std::find(items.begin(), items.end(), id) - items.begin();
  };
  std::stable_sort(report.checks.begin(), report.checks.end(),
                   [&](const auto& a, const auto& b) { return position(a.kind, a.name) < position(b.kind, b.name); });
  std::stable_sort(report.not_run.begin(), report.not_run.end(),
                   [&](const auto& a, const auto& b) { return position(a.kind, a.name) < position(b.kind, b.name); });
  reports::DiffContext context{models.base_checks, models.proposed_checks, models.merged, loaded.sources,
                               loaded.base_label, loaded.proposed_label, timings};
  context.witnesses = static_cast<unsigned>(*witnesses);
  if (!write_outputs(report, context, formats, out_dir, out, err)) return kBadInput;
  return report.exit_code();
}

CommandHelp describe_diff() {
  static DiffOptions unused;  // the description binds its values here; nothing is parsed into it
  CommandHelp help;
  help.usages = kDiffUsages;
  help.options = diff_options(unused).options();
  help.choices["format"] = kDiffFormats;
  help.choices["expect"] = kExpectations;
  help.choices["cross-check"] = {kCrossChecker};
  help.exit_codes = kDiffExitCodes;
  return help;
}

int run_diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = parse_arguments(args, err);
  if (!parsed) return kBadInput;
  DiffOptions& o = *parsed;
  if (o.help) {
    DiffOptions ignored;
    std::ostringstream text;
    text << diff_options(ignored) << "\n" << kDiffExitCodes;
    return write_stdout(text.str(), out, err) ? kSuccess : kBadInput;
  }
  bool from_git = !o.base_rev.empty();
  bool with_change = !o.changes.empty();
  if (from_git || with_change ? o.paths.empty() : o.paths.size() != 2) {
    fmt::print(err, "cspverify diff: error: expected {}, got {} path{}\n(see `cspverify diff --help`)\n",
               from_git     ? "one or more paths with --base-rev"
               : with_change ? "one or more BASE paths with --change"
                             : "two paths, BASE and PROPOSED",
               o.paths.size(), o.paths.size() == 1 ? "" : "s");
    return kBadInput;
  }
  auto overrides = parse_scopes(o.scopes, err);
  if (!overrides) return kBadInput;
  auto timeout = parse_timeout(o.common.timeout, err);
  if (!timeout) return kBadInput;
  auto witnesses = parse_whole_number(o.witnesses, 1, kMaxWitnesses);
  if (!witnesses) {
    fmt::print(err, "cspverify diff: error: invalid --witnesses `{}`: expected a whole number from 1 to {}\n",
               o.witnesses, kMaxWitnesses);
    return kBadInput;
  }
  bool shard_failed = false;
  auto shard = parse_shard_options(o.common, err, shard_failed);
  if (shard_failed) return kBadInput;
  if (!o.common.out_dir.empty() && !prepare_output_directory("--out", o.common.out_dir, err)) return kBadInput;
  auto queries = QueryOutputs::open(o.dump_smt2, o.cross_check, err);
  if (!queries) return kBadInput;
  std::optional<model::DiffExpectation> expected;
  if (!o.expect.empty() && !(expected = parse_expectation(o.expect, err))) return kBadInput;

  LoadedDiff loaded;
  if (!loaded.load({o.paths, o.base_rev, o.changes}, err)) return kBadInput;
  std::string scope_error;
  const model::DiffModels& models = *loaded.models;
  if (!model::resolve_scope(models.merged, *overrides, &scope_error)) {
    fmt::print(err, "cspverify diff: error: {}\n", scope_error);
    return kBadInput;
  }
  std::optional<model::ShardInfo> shard_report;
  std::optional<solver::DiffShare> share;
  if (shard) {
    shard_report = shard_info(*shard, o, loaded);
    share = share_of(shard_report->items, models);
  }

  solver::SolveOptions solve;
  solve.timeout_seconds = *timeout;
  solve.witnesses = static_cast<unsigned>(*witnesses);
  solve.sources = &loaded.sources;
  solve.queries = queries->log();
  DiffProgress progress(err, !o.no_progress && stderr_is_terminal(err), checks_to_run(models, share));
  solve.progress = progress.hooks();
  model::DiffReport report;
  try {
    report = solver::diff({models, side_scope(models.base, *overrides), side_scope(models.proposed, *overrides)},
                          solve, share);
  } catch (const solver::InternalError& e) {
    progress.done();
    fmt::print(err, "cspverify: internal error: {}\n", e.what());
    return kInternalError;
  } catch (const solver::OutputError& e) {
    progress.done();
    fmt::print(err, "cspverify: error: {}\n", e.what());
    return kBadInput;
  }
  progress.done();
  if (int code = queries->cross_check(solve.jobs, false, err); code != kSuccess) return code;
  // Stopped during the cross-check: every check ran, but the run was still interrupted.
  if (model::stop_requested() && report.interrupted_by == 0) report.interrupted_by = model::stop_signal();
  report.expected = expected;
  report.shard = shard_report;
  reports::DiffContext context{models.base_checks, models.proposed_checks, models.merged, loaded.sources,
                               loaded.base_label, loaded.proposed_label, !o.common.no_timings};
  context.witnesses = solve.witnesses;
  if (!write_outputs(report, context, o.common.formats, o.common.out_dir, out, err)) return kBadInput;
  return report.exit_code();
}

}  // namespace csp::cli
