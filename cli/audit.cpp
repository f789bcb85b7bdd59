// The audit sub-command's driver: options, the pipeline's stages in order,
// a progress line on a terminal, and the reports.
#include "cli/audit.h"


#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "audit/evaluate.h"
#include "audit/loader.h"
#include "audit/shards.h"
#include "cli/common_options.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "model/frontend.h"
#include "model/stop.h"
#include "reports/audit.h"
#include "reports/audit_json_reader.h"

namespace csp::cli {

namespace po = boost::program_options;

namespace {

constexpr unsigned long long kMaxLimit = 1000000000;

const char* kAuditExitCodes =
    "Exit codes:\n"
    "  0  every rule holds on the data, and every record was read\n"
    "  1  some rule is violated by the data\n"
    "  2  bad input: usage error, a spec error, or bad data (a record skipped, a\n"
    "     file unreadable, past --max-errors) even when violations were found, or\n"
    "     an output that cannot be written\n"
    "  3  some rule undecided (an Int value outside 64 bits), nothing worse\n"
    "  130, 143  interrupted by SIGINT or SIGTERM: the report says what was done\n";

struct AuditOptions {
  std::vector<std::string> specs;
  std::string data_dir;
  CommonOptions common;  // --format, --out, --no-timings, --jobs
  std::vector<std::string> rules;
  std::string max_errors = "100";
  std::string max_violations = "100000";
  bool no_progress = false;
  bool stats = false;
  bool help = false;
};

const char* kAuditUsage = "cspverify audit [options] SPEC... --data DIR";

po::options_description audit_options(AuditOptions& o) {
  po::options_description d(kAuditUsage);
  d.add_options()
      ("help,h", po::bool_switch(&o.help), "show this help")
      ("data,d", po::value(&o.data_dir)->value_name(kDirectoryValue),
       "the directory holding the data files the specs' `import`s name")
      ("rule", po::value(&o.rules)->composing()->value_name(kDeclaredNameValue),
       "only this rule (name or catalogue id, e.g. CSP-R13); repeatable")
      ("max-errors", po::value(&o.max_errors)->default_value("100")->value_name("N"),
       fmt::format("stop reading after N data errors (malformed records are reported and skipped up to then; N up "
                   "to {})", kMaxLimit).c_str())
      ("max-violations", po::value(&o.max_violations)->default_value("100000")->value_name("N"),
       "violations listed per rule with explanation and facts, the rest only counted; 0: list all")
      ("no-progress", po::bool_switch(&o.no_progress), "no progress line, even on a terminal")
      ("stats", po::bool_switch(&o.stats),
       "print the wall and CPU time of each step (reading each file, preparing indexes, searching, explaining) "
       "to stderr");
  CommonOptionsHelp common;
  common.formats = reports::audit_format_names();
  common.out_stem = "cspverify-audit";
  common.jobs = "threads reading large NDJSON files, laying the facts out and evaluating rules";
  common.shard_items = "the records of `partition` imports, by customer; the others are read by every shard";
  add_common_options(d, o.common, common);
  return d;
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", std::gmtime(&now));
  return buf;
}

double since_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// `--stats`: where the time went, a line per step.
void print_phases(std::ostream& err, const std::vector<audit::PhaseTime>& phases) {
  double wall = 0, cpu = 0;
  for (const auto& p : phases) {
    fmt::print(err, "stats: {:>9.1f} ms wall {:>9.1f} ms CPU  {}\n", p.wall_ms, p.cpu_ms, p.name);
    wall += p.wall_ms;
    cpu += p.cpu_ms;
  }
  fmt::print(err, "stats: {:>9.1f} ms wall {:>9.1f} ms CPU  in all\n", wall, cpu);
}

// The progress line of a long audit: records read, then rules evaluated.
class Progress {
 public:
  Progress(std::ostream& err, bool enabled) : line_(err, enabled) {}

  void reading(const audit::LoadProgress& p) {
    double seconds = line_.seconds();
    double rate = seconds > 0 ? p.records / seconds : 0;
    double fraction = p.bytes_total ? static_cast<double>(p.bytes_done) / p.bytes_total : 0;
    std::string eta = fraction > 0.01 ? fmt::format(", ETA {:.0f} s", seconds / fraction - seconds) : "";
    line_.show(fmt::format("reading: {} records, {:.0f} records/s, {:.0f}%{}", p.records, rate, fraction * 100, eta));
  }

  void evaluating(std::size_t rule, std::size_t rules, std::uint64_t bindings, const std::string& name) {
    line_.show(fmt::format("evaluating rule {}/{} ({}): {} bindings checked", rule + 1, rules, name, bindings));
  }

  void done() { line_.done(); }

 private:
  ProgressLine line_;
};

std::optional<std::vector<reports::AuditFormat>> parse_formats(const CommonOptions& o, std::ostream& err,
                                                               std::string_view who = "cspverify audit") {
  std::vector<reports::AuditFormat> formats;
  for (const auto& name : o.formats.empty() ? std::vector<std::string>{"text"} : o.formats) {
    auto f = reports::parse_audit_format(name);
    if (!f) {
      std::string hint = model::closest_match(name, reports::audit_format_names());
      fmt::print(err, "{}: error: unknown format `{}`{}\n", who, name,
                 hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint));
      return std::nullopt;
    }
    formats.push_back(*f);
  }
  if (o.out_dir.empty() && formats.size() > 1) {
    fmt::print(err, "{}: error: several formats need --out DIR\n", who);
    return std::nullopt;
  }
  return formats;
}

bool write_reports(const reports::AuditReport& report, const reports::ReportContext& context,
                   const std::vector<reports::AuditFormat>& formats, const CommonOptions& o, std::ostream& out,
                   std::ostream& err) {
  if (o.out_dir.empty()) {
    std::ostringstream text;
    reports::write_audit_report(formats[0], report, context, text);
    return write_stdout(text.str(), out, err);
  }
  std::vector<std::string> written;
  for (auto f : formats) {
    auto path = std::filesystem::path(o.out_dir) / fmt::format("cspverify-audit.{}", reports::audit_format_extension(f));
    std::ostringstream text;
    reports::write_audit_report(f, report, context, text);
    if (!write_output_file(path, text.str(), err)) return false;
    written.push_back(path.string());
  }
  // The reports are in files; the console still says where, and how the audit went.
  return write_stdout(fmt::format("wrote {}\n{}", fmt::join(written, ", "), reports::audit_summary_line(report, context)),
                      out, err);
}

struct Limits {
  std::uint64_t max_errors = 0;
  std::uint64_t max_violations = 0;
  unsigned jobs = 0;
};

std::optional<Limits> parse_limits(const AuditOptions& o, std::ostream& err) {
  auto errors = parse_whole_number(o.max_errors, 0, kMaxLimit);
  if (!errors) {
    fmt::print(err, "cspverify audit: error: invalid --max-errors `{}`: expected a whole number from 0 to {}\n",
               o.max_errors, kMaxLimit);
    return std::nullopt;
  }
  auto violations = parse_whole_number(o.max_violations, 0, kMaxLimit);
  if (!violations) {
    fmt::print(err, "cspverify audit: error: invalid --max-violations `{}`: expected a whole number from 0 to {}\n",
               o.max_violations, kMaxLimit);
    return std::nullopt;
  }
  auto jobs = parse_jobs(o.common.jobs, err);
  if (!jobs) return std::nullopt;
  return Limits{*errors, *violations, static_cast<unsigned>(*jobs)};
}

bool check_inputs(const AuditOptions& o, const model::Model& model, std::ostream& err) {
  if (model.imports.empty()) {
    fmt::print(err, "cspverify audit: error: the specs have no `import`: nothing maps data files to the vocabulary\n"
                    "(see docs/audit.md; specs/audit/partner-center.cspv maps Partner Center data)\n");
    return false;
  }
  std::vector<std::string> unknown;
  audit::select_rules(model, o.rules, unknown);
  for (const auto& name : unknown) {
    std::vector<std::string> names;
    for (const auto& rule : model.rules) {
      names.push_back(rule.name);
      if (!rule.source.empty()) names.push_back(rule.source);
    }
    std::string hint = csp::model::closest_match(name, names);  // `model` is the parameter here
    fmt::print(err, "cspverify audit: error: no rule named `{}` (a rule name or catalogue id){}\n", name,
               hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint));
  }
  if (!unknown.empty()) return false;
  std::error_code ec;
  if (!std::filesystem::is_directory(o.data_dir, ec)) {
    fmt::print(err, "cspverify audit: error: --data `{}` is not a directory\n", o.data_dir);
    return false;
  }
  return true;
}

// Rules whose violations a shard cannot find on its share (docs/audit.md, "Shards"), named.
bool check_shardable(const model::Model& model, const AuditOptions& o, std::ostream& err) {
  std::vector<std::string> unknown;
  std::vector<int> selected = audit::select_rules(model, o.rules, unknown);
  if (o.rules.empty()) {
    for (std::size_t r = 0; r < model.rules.size(); ++r) selected.push_back(static_cast<int>(r));
  }
  auto plans = audit::rule_sharding(model);
  bool ok = true;
  for (int rule : selected) {
    if (plans[rule].sharding != audit::RuleSharding::Unshardable) continue;
    const auto& decl = model.rules[rule];
    fmt::print(err, "cspverify audit: error: --shard: rule `{}`{} cannot be split among shards: {}\n", decl.name,
               decl.source.empty() ? "" : fmt::format(" ({})", decl.source), plans[rule].reason);
    ok = false;
  }
  if (!ok) {
    fmt::print(err, "(audit the other rules sharded with --rule, and these in a run without --shard; docs/audit.md)\n");
  }
  return ok;
}

// Every data file's bytes, in the order read: shards to be merged must have read the same data.
std::string data_files_hash(const audit::DataSet& data, const model::SourceManager& sources) {
  std::uint64_t hash = audit::data_hash({});
  for (const auto& file : data.files) {
    for (std::size_t id = 0; id < sources.size(); ++id) {
      if (sources.path(static_cast<int>(id)) != file.path) continue;
      hash = audit::data_hash(sources.text(static_cast<int>(id)), hash ^ audit::data_hash(file.path));
      break;
    }
  }
  return fmt::format("data64:{:016x}", hash);
}

// The options a merge requires equal across shards (formats, --out, --jobs and progress do not change results).
std::vector<std::pair<std::string, std::string>> shard_options(const AuditOptions& o) {
  return {{"data", o.data_dir},
          {"max-errors", o.max_errors},
          {"max-violations", o.max_violations},
          {"no-timings", o.common.no_timings ? "true" : "false"},
          {"rule", fmt::format("{}", fmt::join(o.rules, " "))}};
}

int parse_arguments(const std::vector<std::string>& args, AuditOptions& o, std::ostream& out, std::ostream& err,
                    bool& done) {
  done = false;
  po::options_description desc = audit_options(o);
  po::options_description hidden;
  hidden.add_options()("spec", po::value(&o.specs)->composing());
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description positional;
  positional.add("spec", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    fmt::print(err, "cspverify audit: error: {}\n(see `cspverify audit --help`)\n", option_error_message(e, desc));
    done = true;
    return kBadInput;
  }
  if (o.help) {
    std::ostringstream text;
    text << desc << "\n" << kAuditExitCodes;
    done = true;
    return write_stdout(text.str(), out, err) ? kSuccess : kBadInput;
  }
  if (o.specs.empty()) {
    fmt::print(err, "cspverify audit: error: no spec path given (e.g. `cspverify audit specs/ --data DIR`)\n");
    done = true;
    return kBadInput;
  }
  if (o.data_dir.empty()) {
    fmt::print(err, "cspverify audit: error: --data DIR is required: the directory holding the data files\n");
    done = true;
    return kBadInput;
  }
  return kSuccess;
}

std::string shard_option(const nlohmann::ordered_json& shard, const std::string& name) {
  const auto& options = shard.at("shard").at("options");
  return options.contains(name) ? options.at(name).get<std::string>() : "";
}

}  // namespace

int merge_audit(const std::vector<std::pair<std::string, const nlohmann::ordered_json*>>& shards,
                const CommonOptions& common, std::ostream& out, std::ostream& err) {
  const auto& first = *shards.front().second;
  auto data_hash = [](const nlohmann::ordered_json& doc) { return doc.at("shard").value("data_hash", ""); };
  for (const auto& [path, doc] : shards) {
    if (data_hash(*doc).empty() || data_hash(*doc) != data_hash(first)) {
      fmt::print(err, "cspverify merge: error: `{}` and `{}` read different data (data hash `{}` and `{}`): every "
                      "shard must audit the same files\n", shards.front().first, path, data_hash(first),
                 data_hash(*doc));
      return kBadInput;
    }
  }
  auto formats = parse_formats(common, err, "cspverify merge");
  if (!formats) return kBadInput;
  if (!common.out_dir.empty() && !prepare_output_directory("--out", common.out_dir, err)) return kBadInput;
  // The writers need the model the shards checked: loaded again, and checked to be the same.
  std::vector<std::string> inputs;
  for (const auto& input : first.at("inputs")) inputs.push_back(input.get<std::string>());
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::Model> model = model::load_model(inputs, sources, sink);
  if (!model || sink.has_errors()) {
    err << model::render_all(sink, sources);
    return kBadInput;
  }
  if (specs_hash(sources) != first.at("shard").at("specs_hash").get<std::string>()) {
    fmt::print(err, "cspverify merge: error: the specs `{}` are not those the shards audited (they changed since, or "
                    "merge runs in another directory)\n", fmt::join(inputs, " "));
    return kBadInput;
  }
  auto max_violations = parse_whole_number(shard_option(first, "max-violations"), 0, kMaxLimit);
  if (!max_violations) {
    fmt::print(err, "cspverify merge: error: `{}` has no valid --max-violations option\n", shards.front().first);
    return kBadInput;
  }
  std::vector<const nlohmann::ordered_json*> docs;
  for (const auto& shard : shards) docs.push_back(shard.second);
  std::string error;
  auto merged = reports::merge_audit_reports(docs, *model, sources, *max_violations, &error);
  if (!merged) {
    fmt::print(err, "cspverify merge: error: the audit shards do not join: {}\n", error);
    return kBadInput;
  }
  // A clean result is not claimed when a tuple no shard had could hide a
  // violation: undecided (3), as a rule the evaluator cannot decide is.
  int exit_code = merged->report.exit_code;
  if (merged->cross_shard_tuples > 0) {
    if (exit_code == kSuccess) exit_code = kUnknown;
    fmt::print(err, "cspverify merge: warning: {} tuple{} of imports every shard reads name records of two shards, so "
                    "no shard had {}: a rule that follows {} from one record to the other (such as an affiliation "
                    "chain through customers) may miss a violation a single run reports (docs/audit.md, \"Shards\"){}\n",
               merged->cross_shard_tuples, merged->cross_shard_tuples == 1 ? "" : "s",
               merged->cross_shard_tuples == 1 ? "it" : "them", merged->cross_shard_tuples == 1 ? "it" : "them",
               exit_code == kUnknown && merged->report.exit_code == kSuccess
                   ? "; no violation was found, but that is not proof: exit 3, audit without --shard to decide"
                   : "");
  }
  reports::ReportOptions ro;
  ro.timings = shard_option(first, "no-timings") != "true" && !common.no_timings;
  ro.timestamp = ro.timings ? utc_timestamp() : "";
  reports::ReportContext context{*model, sources, ro};
  if (!write_reports(merged->report, context, *formats, common, out, err)) return kBadInput;
  return exit_code;
}

CommandHelp describe_audit() {
  static AuditOptions unused;  // the description binds its values here; nothing is parsed into it
  CommandHelp help;
  help.usages = {kAuditUsage};
  help.options = audit_options(unused).options();
  help.choices["format"] = reports::audit_format_names();
  help.exit_codes = kAuditExitCodes;
  return help;
}

int run_audit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  AuditOptions o;
  bool done = false;
  int code = parse_arguments(args, o, out, err, done);
  if (done) return code;
  auto limits = parse_limits(o, err);
  auto formats = parse_formats(o.common, err);
  if (!limits || !formats) return kBadInput;
  if (!o.common.balance_from.empty() && o.common.shard_given) {
    fmt::print(err, "cspverify audit: error: --balance-from does not apply to audit: its shards split the data by "
                    "customer, not by checks\n");
    return kBadInput;
  }
  bool shard_failed = false;
  auto shard = parse_shard_options(o.common, err, shard_failed);
  if (shard_failed) return kBadInput;
  if (!o.common.out_dir.empty() && !prepare_output_directory("--out", o.common.out_dir, err)) return kBadInput;

  // parse -> check
  model::SourceManager sources;
  model::DiagnosticSink spec_sink;
  std::optional<model::Model> model = model::load_model(o.specs, sources, spec_sink);
  err << model::render_all(spec_sink, sources);
  if (!model || spec_sink.has_errors()) return kBadInput;
  if (!check_inputs(o, *model, err)) return kBadInput;
  if (shard && !check_shardable(*model, o, err)) return kBadInput;
  std::string hash_of_specs = shard ? specs_hash(sources) : "";  // before the data files join `sources`

  // load data
  Progress progress(err, !o.no_progress && stderr_is_terminal(err));
  auto load_start = std::chrono::steady_clock::now();
  model::DiagnosticSink data_sink;
  audit::LoadOptions load;
  load.data_dir = o.data_dir;
  load.max_errors = limits->max_errors;
  load.jobs = limits->jobs;
  if (shard) load.shard = audit::Shard{shard->spec.index, shard->spec.count};
  load.progress = [&](const audit::LoadProgress& p) { progress.reading(p); };
  audit::DataSet data = audit::load_data(*model, load, sources, data_sink);
  double load_ms = since_ms(load_start);
  progress.done();
  err << model::render_all(data_sink, sources);

  // plan -> evaluate, on complete data only: partial data would hide violations
  std::optional<audit::AuditResult> result;
  auto evaluate_start = std::chrono::steady_clock::now();
  if (data.complete) {
    audit::EvaluateOptions evaluate;
    evaluate.rules = o.rules;
    evaluate.max_violations_per_rule = limits->max_violations;
    evaluate.jobs = limits->jobs;
    evaluate.progress = [&](std::size_t rule, std::size_t rules, std::uint64_t bindings) {
      progress.evaluating(rule, rules, bindings, model->rules[rule].name);
    };
    result = audit::evaluate_rules(*model, data, evaluate);
    progress.done();
  }
  double evaluate_ms = since_ms(evaluate_start);
  if (o.stats) {
    std::vector<audit::PhaseTime> phases = data.phases;
    if (result) phases.insert(phases.end(), result->phases.begin(), result->phases.end());
    print_phases(err, phases);
  }

  // report
  reports::AuditReport report;
  report.inputs = o.specs;
  report.data_dir = o.data_dir;
  report.data = &data;
  report.result = result ? &*result : nullptr;
  report.data_errors = data_sink.sorted();
  report.interrupted_by = result && result->interrupted_by ? result->interrupted_by : data.interrupted_by;
  report.exit_code = reports::audit_exit_code(&data, report.result, report.data_errors);
  report.load_ms = load_ms;
  report.evaluate_ms = evaluate_ms;
  if (shard) {
    reports::AuditShardInfo info;
    info.index = shard->spec.index;
    info.count = shard->spec.count;
    info.specs_hash = hash_of_specs;
    info.data_hash = data_files_hash(data, sources);
    info.options = shard_options(o);
    report.shard = std::move(info);
  }
  reports::ReportOptions ro;
  ro.timings = !o.common.no_timings;
  ro.timestamp = o.common.no_timings ? "" : utc_timestamp();
  reports::ReportContext context{*model, sources, ro};
  if (!write_reports(report, context, *formats, o.common, out, err)) return kBadInput;
  return report.exit_code;
}

}  // namespace csp::cli
