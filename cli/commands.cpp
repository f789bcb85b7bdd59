#include "cli/commands.h"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <thread>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/audit.h"
#include "cli/command_help.h"
#include "cli/common_options.h"
#include "cli/cross_check.h"
#include "cli/diff.h"
#include "cli/fmt.h"
#include "cli/lsp_server.h"
#include "cli/merge.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/queries.h"
#include "cli/shard.h"
#include "cli/sweep.h"
#include "model/diagnostics.h"
#include "model/frontend.h"
#include "model/stop.h"
#include "reports/report.h"
#include "solver/lint.h"
#include "solver/prover.h"

namespace csp::cli {
namespace po = boost::program_options;

namespace {

constexpr unsigned long long kMaxGroundLimit = 1000000;
constexpr unsigned long long kMaxCores = 1000;
constexpr unsigned long long kDefaultMaxCores = 10;

const char* kExitCodes =
    "Exit codes:\n"
    "  0  every property proved and every scenario as expected\n"
    "  1  a property violated or vacuous, the rules inconsistent, or a scenario\n"
    "     not at its expected verdict; with --strict, a lint finding\n"
    "  2  bad input: usage error, unreadable file, syntax or type error, or an\n"
    "     output (report, --out, --dump-smt2, standard output) that cannot be written\n"
    "  3  some check unknown (solver timeout or incompleteness, out of memory, an\n"
    "     Int beyond 64 bits in an instance; with --strict, a lint check), none failed\n"
    "  4  internal error (a bug in cspverify; please report it)\n"
    "  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM: the report lists what\n"
    "     finished and what never ran; a second Ctrl-C quits at once\n";

struct Options {
  std::vector<std::string> paths;
  std::vector<std::string> changes;  // --change: patches applied over the PATHs
  std::vector<std::string> scopes;
  CommonOptions common;  // --format, --out, --no-timings, --timeout, --jobs, --shard, --balance-from
  std::string dump_smt2;
  std::string cross_check;
  std::string only;  // --property or --scenario
  std::string ground_limit;  // validated below: Boost would read "-1" as SIZE_MAX
  std::string max_cores;     // likewise
  bool all_cores = false;
  bool stats = false;
  bool bounded = false;
  bool no_proof_cores = false;
  bool strict = false;
  bool help = false;
};

struct Command {
  const char* name;
  const char* summary;
  bool properties;  // runs the consistency check and the properties
  bool scenarios;   // runs the scenarios
  bool lints;       // runs the lint checks (docs/lint.md)
  int (*runner)(const std::vector<std::string>&, std::ostream&, std::ostream&) = nullptr;  // its own driver
  CommandHelp (*describe)() = nullptr;  // the runner's --help, in parts
};

const Command kCommands[] = {
    {"prove", "prove every property of the rules, or show a minimal counterexample", true, false, false},
    {"check", "check every scenario: allowed or forbidden, why, and how to repair it", false, true, false},
    {"verify", "everything CI needs: the rules' consistency, every property and every scenario, and lint",
     true, true, true},
    {"lint", "redundant, vacuous and unneeded rules, unused declarations, scenario coverage of the rules",
     false, false, true},
    {"diff", "compare two versions of the rules: text changes, newly allowed/forbidden instances, regressions",
     false, false, false, run_diff, describe_diff},
    {"audit", "check real Partner Center data against the rules: every violation of every record (--data DIR)",
     false, false, false, run_audit, describe_audit},
    {"merge", "join the JSON reports of a sharded run (--shard K/N) into the report a single run writes",
     false, false, false, run_merge, describe_merge},
    {"fmt", "rewrite .cspv files in the one canonical layout, comments kept (--check: list those that differ)",
     false, false, false, run_fmt, describe_fmt},
    {"lsp", "a Language Server Protocol server on standard input and output, for editors (docs/editors.md)",
     false, false, false, run_lsp, describe_lsp},
};

// `cspverify lint` alone writes these; the other formats lay out prove's and check's results.
bool lint_format(reports::Format format) {
  return format == reports::Format::Text || format == reports::Format::Json || format == reports::Format::Sarif;
}

bool is_lint_only(const Command& command) { return command.lints && !command.properties && !command.scenarios; }

// `prove`: the one command that sweeps the scope (cli/sweep.h).
bool is_prove(const Command& command) { return command.properties && !command.scenarios && !command.lints; }

// The --format values a command accepts.
std::vector<std::string> command_formats(const Command& command) {
  if (is_lint_only(command)) return {"text", "json", "sarif"};
  return reports::format_names();
}

// What a shard of this command splits, for --help.
std::string shard_items_help(const Command& command) {
  if (command.properties && command.scenarios) return "the consistency check, each property, each scenario and lint";
  if (command.properties) return "the consistency check and each property";
  return "each scenario";
}

std::string command_usage(const Command& command) { return fmt::format("cspverify {} [options] PATH...", command.name); }

po::options_description command_options(const Command& command, Options& o) {
  po::options_description d(command_usage(command));
  bool lint_only = is_lint_only(command);
  d.add_options()
      ("help,h", po::bool_switch(&o.help), "show this help")
      ("change", po::value(&o.changes)->composing()->value_name(kSpecPathValue),
       "a change proposal (a patch file or directory, repeatable), applied over the PATHs")
      ("scope", po::value(&o.scopes)->composing()->value_name(is_prove(command) ? "N|Kind=N|A..B|A,B,..." : "N|Kind=N"),
       is_prove(command)
           ? "bound per entity kind: N (every kind) or Kind=N; repeatable. A..B or A,B,... (increasing) sweeps the "
             "bound of every kind: each check within each scope in turn, with each step's verdict and time and the "
             "smallest scope with a counterexample (docs/language.md, Scope sweeps)"
           : "bound per entity kind: N (every kind) or Kind=N; repeatable");
  CommonOptionsHelp common;
  common.formats = command_formats(command);
  common.out_stem = lint_only ? "cspverify-lint" : "cspverify";
  common.timeout_per = lint_only ? "lint question or scenario" : "property or scenario";
  common.jobs = "threads for independent checks (scenarios), each with its own Z3 context";
  if (!lint_only) common.shard_items = shard_items_help(command);
  add_common_options(d, o.common, common);
  d.add_options()
      ("stats", po::bool_switch(&o.stats), "print time spent loading, solving and in cspverify itself to stderr")
      ("bounded", po::bool_switch(&o.bounded),
       lint_only ? "ask the solver within the scope only; by default each question is first asked for every size"
                 : "prove within the scope only; by default each property is first tried for every size")
      ("ground-limit", po::value(&o.ground_limit)->default_value("0")->value_name("N"),
       fmt::format("expand a quantifier to ground terms while that makes at most N copies of its body in total "
                   "(nested expansions multiply); 0, the default and fastest measured, keeps every quantifier "
                   "(N up to {})", kMaxGroundLimit).c_str());
  if (!lint_only) {
    d.add_options()("dump-smt2", po::value(&o.dump_smt2)->value_name(kDirectoryValue), kDumpSmt2Help)
        ("cross-check", po::value(&o.cross_check)->value_name("SOLVER"), kCrossCheckHelp);
  }
  if (command.lints) {
    d.add_options()("strict", po::bool_switch(&o.strict),
                    "lint findings are errors: exit 1 on any, 3 on a lint check not decided (docs/lint.md)");
  }
  if (command.properties) {
    d.add_options()
        ("property", po::value(&o.only)->value_name(kDeclaredNameValue), "only this property")
        ("no-proof-cores", po::bool_switch(&o.no_proof_cores),
         "do not name the rules each proof needs (their minimisation takes some of each property's time)");
  }
  if (command.scenarios && !command.properties) {
    d.add_options()("scenario", po::value(&o.only)->value_name(kDeclaredNameValue), "only this scenario");
  }
  if (command.scenarios) {
    d.add_options()
        ("all-cores", po::bool_switch(&o.all_cores),
         "list every minimal set of rules that forbids a scenario, not only the one reported (at most --max-cores, "
         "within half the time the scenario has left; the report says when the list may be incomplete)")
        ("max-cores", po::value(&o.max_cores)->value_name("N"),
         fmt::format("with --all-cores: at most N cores per scenario, 1 to {} (default {})", kMaxCores,
                     kDefaultMaxCores).c_str());
  }
  return d;
}

std::string usage() {
  std::string text = fmt::format("cspverify {}: formal-model checker for CSP partner-program rules\n\n",
                                 CSPVERIFY_VERSION);
  text += "Usage: cspverify COMMAND [options] PATH...\n\nCommands:\n";
  for (const auto& c : kCommands) text += fmt::format("  {:<8} {}\n", c.name, c.summary);
  text += fmt::format("\nGlobal options:\n  --help      show this help (also: cspverify COMMAND --help)\n"
                      "  --version   print the version\n\n{}", kExitCodes);
  return text;
}

CommandHelp describe(const Command& command) {
  CommandHelp help;
  if (command.describe) {
    help = command.describe();
  } else {
    static Options unused;  // the description binds its values here; nothing is parsed into it
    help.usages = {command_usage(command)};
    help.options = command_options(command, unused).options();
    help.choices["format"] = command_formats(command);
    help.choices["cross-check"] = {kCrossChecker};
    help.exit_codes = kExitCodes;
  }
  help.name = command.name;
  help.summary = command.summary;
  return help;
}

std::vector<CommandHelp> describe_commands() {
  std::vector<CommandHelp> commands;
  for (const auto& c : kCommands) commands.push_back(describe(c));
  return commands;
}

// `cspverify help [--man | --completion bash]`: the overview, the manual page or the completion script.
int run_help(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return write_stdout(usage(), out, err) ? kSuccess : kBadInput;
  std::string text;
  if (args == std::vector<std::string>{"--man"}) {
    text = render_man_page(describe_commands(), CSPVERIFY_VERSION, kExitCodes);
  } else if (args == std::vector<std::string>{"--completion", "bash"}) {
    text = render_bash_completion(describe_commands());
  } else {
    fmt::print(err, "cspverify help: error: expected no argument, `--man` or `--completion bash`\n");
    return kBadInput;
  }
  return write_stdout(text, out, err) ? kSuccess : kBadInput;
}

}  // namespace

std::optional<unsigned long long> parse_whole_number(const std::string& text, unsigned long long min,
                                                     unsigned long long max) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  unsigned long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

namespace {

constexpr int kMaxScope = 1000;

// `A..B` or `A,B,...` (model/sweep.h): the bounds, increasing; nullopt when
// `text` is neither, or is malformed (then `malformed` is set).
std::optional<std::vector<int>> parse_sweep(const std::string& text, bool& malformed) {
  malformed = false;
  auto dots = text.find("..");
  if (dots == std::string::npos && text.find(',') == std::string::npos) return std::nullopt;
  std::vector<int> bounds;
  malformed = true;
  if (dots != std::string::npos) {
    auto low = parse_whole_number(text.substr(0, dots), 1, kMaxScope);
    auto high = parse_whole_number(text.substr(dots + 2), 1, kMaxScope);
    if (!low || !high || *low > *high) return std::nullopt;
    for (auto bound = *low; bound <= *high; ++bound) bounds.push_back(static_cast<int>(bound));
  } else {
    std::size_t start = 0;
    while (true) {
      auto comma = text.find(',', start);
      auto bound = parse_whole_number(text.substr(start, comma - start), 1, kMaxScope);
      if (!bound || (!bounds.empty() && static_cast<int>(*bound) <= bounds.back())) return std::nullopt;
      bounds.push_back(static_cast<int>(*bound));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  malformed = false;
  return bounds;
}

}  // namespace

std::optional<model::ScopeOverrides> parse_scopes(const std::vector<std::string>& specs, std::ostream& err,
                                                  const std::string& sweeping_command) {
  model::ScopeOverrides overrides;
  std::string sweep_given, all_given;  // the values that set them, for messages
  for (const auto& s : specs) {
    auto eq = s.find('=');
    std::string number = eq == std::string::npos ? s : s.substr(eq + 1);
    bool malformed = false;
    if (auto bounds = parse_sweep(number, malformed); bounds || malformed) {
      if (malformed) {
        fmt::print(err, "cspverify: error: invalid --scope `{}`: a scope sweep is A..B with A <= B, or increasing "
                        "bounds separated by commas (4,8,16), each from 1 to {}\n", s, kMaxScope);
        return std::nullopt;
      }
      if (eq != std::string::npos) {
        fmt::print(err, "cspverify: error: invalid --scope `{}`: a scope sweep varies the bound of every kind "
                        "(--scope {}); Kind=N fixes one kind in every step\n", s, number);
        return std::nullopt;
      }
      if (sweeping_command.empty()) {
        fmt::print(err, "cspverify: error: --scope {} is a scope sweep, which only `cspverify prove` runs\n", s);
        return std::nullopt;
      }
      if (!sweep_given.empty()) {
        fmt::print(err, "cspverify: error: --scope {} and --scope {} are both scope sweeps: give one\n", sweep_given,
                   s);
        return std::nullopt;
      }
      overrides.sweep = *bounds;
      sweep_given = s;
      continue;
    }
    auto n = parse_whole_number(number, 1, kMaxScope);
    if (!n) {
      fmt::print(err, "cspverify: error: invalid --scope `{}`: expected N or Kind=N with 1 <= N <= {}{}\n", s,
                 kMaxScope,
                 number == "0" ? " (an empty kind would make every `forall` over it hold vacuously)" : "");
      return std::nullopt;
    }
    if (eq == std::string::npos) {
      overrides.all = static_cast<int>(*n);
      all_given = s;
    } else {
      overrides.per_kind[s.substr(0, eq)] = static_cast<int>(*n);
    }
  }
  if (!sweep_given.empty() && !all_given.empty()) {
    fmt::print(err, "cspverify: error: --scope {} and --scope {} both bound every kind: give one (Kind=N fixes one "
                    "kind in every step of the sweep)\n", sweep_given, all_given);
    return std::nullopt;
  }
  return overrides;
}

std::optional<unsigned> parse_timeout(const std::string& text, std::ostream& err) {
  auto seconds = parse_whole_number(text, 1, kMaxTimeoutSeconds);
  if (!seconds) {
    fmt::print(err, "cspverify: error: invalid --timeout `{}`: expected a whole number of seconds from 1 to {}\n",
               text, kMaxTimeoutSeconds);
    return std::nullopt;
  }
  return static_cast<unsigned>(*seconds);
}

bool prepare_output_directory(const std::string& option, const std::string& dir, std::ostream& err) {
  if (auto reason = prepare_directory(dir)) {
    fmt::print(err, "cspverify: error: cannot write to {} `{}`: {}\n", option, dir, *reason);
    return false;
  }
  return true;
}

bool write_stdout(const std::string& text, std::ostream& out, std::ostream& err) {
  if (auto reason = write_and_flush(out, text)) {
    fmt::print(err, "cspverify: error: cannot write to standard output: {}\n", *reason);
    return false;
  }
  return true;
}

bool write_output_file(const std::filesystem::path& path, const std::string& contents, std::ostream& err) {
  if (auto reason = write_file_atomically(path, contents)) {
    fmt::print(err, "cspverify: error: cannot write `{}`: {}\n", path.string(), *reason);
    return false;
  }
  return true;
}

namespace {

// The formats asked for; nullopt after writing the error to `err`.
std::optional<std::vector<reports::Format>> parse_formats(const Command& command, const Options& o,
                                                          std::ostream& err) {
  std::vector<reports::Format> formats;
  for (const auto& name : o.common.formats.empty() ? std::vector<std::string>{"text"} : o.common.formats) {
    auto f = reports::parse_format(name);
    if (!f) {
      std::string hint = model::closest_match(name, reports::format_names());
      fmt::print(err, "cspverify: error: unknown format `{}`{}\n", name,
                 hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint));
      return std::nullopt;
    }
    if (command.lints && !command.properties && !command.scenarios && !lint_format(*f)) {
      fmt::print(err, "cspverify: error: `cspverify {}` writes text, json or sarif, not `{}`\n", command.name, name);
      return std::nullopt;
    }
    formats.push_back(*f);
  }
  if (o.common.out_dir.empty() && formats.size() > 1) {
    fmt::print(err, "cspverify: error: several formats need --out DIR\n");
    return std::nullopt;
  }
  return formats;
}

// --format dot --out DIR: beside DIR/cspverify.dot (every graph in one
// file, of which `dot` renders only the first), one file per graph in
// DIR/graphs/, so that `dot -Tsvg -O DIR/graphs/*.dot` draws them all.
// Returns what it wrote ("DIR/graphs/ (3 graphs)", "" for none); nullopt on error.
std::optional<std::string> write_graph_files(const model::RunReport& report, const reports::ReportContext& context,
                                             const std::filesystem::path& dir, std::ostream& err) {
  std::vector<reports::DotFile> files = reports::dot_files(report, context);
  if (files.empty()) return std::string();
  if (!prepare_output_directory("--out", dir.string(), err)) return std::nullopt;
  for (const auto& file : files) {
    if (!write_output_file(dir / file.name, file.contents, err)) return std::nullopt;
  }
  return fmt::format("{}/ ({} graph{})", dir.string(), files.size(), files.size() == 1 ? "" : "s");
}

bool write_reports(const model::RunReport& report, const reports::ReportContext& context,
                   const std::vector<reports::Format>& formats, const Options& o, std::ostream& out,
                   std::ostream& err) {
  if (o.common.out_dir.empty()) {
    std::ostringstream text;
    reports::write_report(formats[0], report, context, text);
    return write_stdout(text.str(), out, err);
  }
  if (!prepare_output_directory("--out", o.common.out_dir, err)) return false;
  std::vector<std::string> written;
  for (auto f : formats) {
    // `lint` beside verify's reports in one directory must not overwrite them.
    std::string_view stem = report.command == "lint" ? "cspverify-lint" : "cspverify";
    auto path = std::filesystem::path(o.common.out_dir) / fmt::format("{}.{}", stem, reports::format_extension(f));
    std::ostringstream text;
    reports::write_report(f, report, context, text);
    if (!write_output_file(path, text.str(), err)) return false;
    written.push_back(path.string());
    if (f == reports::Format::Dot) {
      auto graphs = write_graph_files(report, context, std::filesystem::path(o.common.out_dir) / "graphs", err);
      if (!graphs) return false;
      if (!graphs->empty()) written.push_back(*graphs);
    }
  }
  // The reports are in files; the console still says where, and how the run went.
  return write_stdout(fmt::format("wrote {}\n{}", fmt::join(written, ", "), reports::summary_line(report)), out, err);
}

// The checker's own warnings that lint reports as findings (an unused
// relation), left out of standard error so that each is said once.
model::DiagnosticSink without_lint_warnings(const model::DiagnosticSink& sink) {
  model::DiagnosticSink kept;
  for (const auto& d : sink.all()) {
    if (d.code != "W0201") kept.add(d);
  }
  return kept;
}

// The options that change a run's results or its report, as `cspverify merge`
// compares them across shards (formats, --out and --jobs do not).
std::vector<std::pair<std::string, std::string>> result_options(const Options& o) {
  std::vector<std::pair<std::string, std::string>> options = {
      {"all-cores", o.all_cores ? "true" : "false"},
      {"bounded", o.bounded ? "true" : "false"},
      {"ground-limit", o.ground_limit},
      {"max-cores", o.max_cores},
      {"no-proof-cores", o.no_proof_cores ? "true" : "false"},
      {"no-timings", o.common.no_timings ? "true" : "false"},
      {"only", o.only},
      {"scope", fmt::format("{}", fmt::join(o.scopes, " "))},
      {"strict", o.strict ? "true" : "false"},
      {"timeout", o.common.timeout},
  };
  return options;
}

std::vector<std::string> work_items(const Command& command, const model::Model& model, const std::string& only,
                                    const std::vector<int>& sweep, bool bounded) {
  if (!sweep.empty()) {
    std::vector<std::string> ids;
    for (const auto& item : sweep_items(model, sweep, !bounded, only)) ids.push_back(item.id);
    return ids;
  }
  bool lint = command.lints && command.properties;  // lint alone is not sharded
  return check_work_items(model, command.properties, command.scenarios, lint, command.properties ? only : "",
                          command.properties ? "" : only);
}

model::ShardInfo shard_info(const Command& command, const model::Model& model, const model::SourceManager& sources,
                            const Options& o, const ShardRun& shard, const std::vector<int>& sweep) {
  auto items = work_items(command, model, o.only, sweep, o.bounded);
  model::ShardInfo info;
  info.index = shard.spec.index;
  info.count = shard.spec.count;
  info.items = assign_items(items, shard.spec.count, &shard.costs)[shard.spec.index];
  info.specs_hash = specs_hash(sources);
  info.options = result_options(o);
  return info;
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", std::gmtime(&now));
  return buf;
}

reports::ReportOptions report_options(bool timings, const std::string& out_dir, std::ostream& out) {
  reports::ReportOptions ro;
  ro.timings = timings;
  ro.color = out_dir.empty() && isatty(STDOUT_FILENO) && &out == &std::cout && std::getenv("NO_COLOR") == nullptr;
  ro.timestamp = timings ? utc_timestamp() : "";
  return ro;
}

const Command* find_command(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

int run_command(const Command& command, const std::vector<std::string>& args, std::ostream& out,
                std::ostream& err) {
  Options o;
  po::options_description desc = command_options(command, o);
  po::options_description hidden;
  hidden.add_options()("path", po::value(&o.paths)->composing());
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description positional;
  positional.add("path", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    fmt::print(err, "cspverify {}: error: {}\n(see `cspverify {} --help`)\n", command.name,
               option_error_message(e, desc), command.name);
    return kBadInput;
  }
  if (o.help) {
    std::ostringstream text;
    text << desc << "\n" << kExitCodes;
    return write_stdout(text.str(), out, err) ? kSuccess : kBadInput;
  }
  if (o.paths.empty()) {
    fmt::print(err, "cspverify {}: error: no spec path given (e.g. `cspverify {} specs/`)\n", command.name, command.name);
    return kBadInput;
  }
  auto overrides = parse_scopes(o.scopes, err, is_prove(command) ? command.name : "");
  if (!overrides) return kBadInput;
  auto timeout = parse_timeout(o.common.timeout, err);
  if (!timeout) return kBadInput;
  auto ground_limit = parse_whole_number(o.ground_limit, 0, kMaxGroundLimit);
  if (!ground_limit) {
    fmt::print(err, "cspverify: error: invalid --ground-limit `{}`: expected a whole number from 0 to {}\n",
               o.ground_limit, kMaxGroundLimit);
    return kBadInput;
  }
  auto jobs = parse_jobs(o.common.jobs, err);
  if (!jobs) return kBadInput;
  bool shard_failed = false;
  auto shard = parse_shard_options(o.common, err, shard_failed);
  if (shard_failed) return kBadInput;
  std::optional<unsigned long long> max_cores = kDefaultMaxCores;
  if (!o.max_cores.empty()) {
    max_cores = parse_whole_number(o.max_cores, 1, kMaxCores);
    if (!max_cores) {
      fmt::print(err, "cspverify: error: invalid --max-cores `{}`: expected a whole number from 1 to {}\n",
                 o.max_cores, kMaxCores);
      return kBadInput;
    }
    if (!o.all_cores) {
      fmt::print(err, "cspverify: error: --max-cores bounds --all-cores, which is not given\n");
      return kBadInput;
    }
  }
  auto formats = parse_formats(command, o, err);
  if (!formats) return kBadInput;
  // Before the solving: a mistyped or unwritable directory fails at once.
  if (!o.common.out_dir.empty() && !prepare_output_directory("--out", o.common.out_dir, err)) return kBadInput;
  auto queries = QueryOutputs::open(o.dump_smt2, o.cross_check, err);
  if (!queries) return kBadInput;

  auto run_start = std::chrono::steady_clock::now();
  model::SourceManager sources;
  model::DiagnosticSink sink;
  // A change's patches apply over every loaded file, so it is loaded after them.
  std::vector<std::string> paths = o.paths;
  paths.insert(paths.end(), o.changes.begin(), o.changes.end());
  std::optional<model::Model> model = model::load_model(paths, sources, sink);
  double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - run_start).count();
  err << model::render_all(command.lints ? without_lint_warnings(sink) : sink, sources);
  if (!model || sink.has_errors()) return kBadInput;
  std::string scope_error;
  auto scope = model::resolve_scope(*model, *overrides, &scope_error);
  if (!scope) {
    fmt::print(err, "cspverify: error: {}\n", scope_error);
    return kBadInput;
  }
  if (!o.only.empty()) {
    bool known = command.properties ? model->find_property(o.only) >= 0 : model->find_scenario(o.only) >= 0;
    if (!known) {
      std::vector<std::string> names;
      if (command.properties) {
        for (const auto& p : model->properties) names.push_back(p.name);
      } else {
        for (const auto& s : model->scenarios) names.push_back(s.name);
      }
      std::string hint = csp::model::closest_match(o.only, names);  // `model` is the variable here
      fmt::print(err, "cspverify: error: no {} named `{}`{}\n", command.properties ? "property" : "scenario", o.only,
                 hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint));
      return kBadInput;
    }
  }

  solver::SolveOptions solve;
  solve.timeout_seconds = *timeout;
  solve.queries = queries->log();
  solve.ground_limit = static_cast<std::size_t>(*ground_limit);
  solve.jobs = static_cast<unsigned>(*jobs);
  solve.unbounded = !o.bounded;
  solve.all_cores = o.all_cores;
  solve.proof_cores = !o.no_proof_cores;
  solve.max_cores = static_cast<unsigned>(*max_cores);
  solve.sources = &sources;
  model::RunReport report;
  report.command = command.name;
  report.inputs = paths;
  report.z3_version = solver::z3_version();
  std::optional<std::string> only = o.only.empty() ? std::nullopt : std::optional<std::string>(o.only);
  std::optional<std::set<std::string>> owned;  // sharded: the work items this shard runs
  if (shard) {
    report.shard = shard_info(command, *model, sources, o, *shard, overrides->sweep);
    owned.emplace(report.shard->items.begin(), report.shard->items.end());
  }
  auto owns = [&](const std::string& kind, const std::string& name) {
    return !owned || owned->count(model::work_item_id(kind, name)) > 0;
  };
  try {
    if (!overrides->sweep.empty()) {
      report.sweep = overrides->sweep;
      auto items = sweep_items(*model, report.sweep, !o.bounded, o.only);
      auto owns_item = [&](const std::string& id) { return !owned || owned->count(id) > 0; };
      report.results = run_sweep(*model, *overrides, solve, items, owns_item, &report.not_run);
    } else if (command.properties && !owned) {
      auto results = solver::prove(*model, *scope, solve, only);
      report.results.insert(report.results.end(), results.begin(), results.end());
    } else if (command.properties) {
      std::vector<int> properties;
      for (std::size_t i = 0; i < model->properties.size(); ++i) {
        if (owns("property", model->properties[i].name)) properties.push_back(static_cast<int>(i));
      }
      if (owns("consistency", "") || !properties.empty()) {
        auto results = solver::prove_selected(*model, *scope, solve, properties, owns("consistency", ""));
        report.results.insert(report.results.end(), results.begin(), results.end());
      }
    }
    if (command.scenarios) {
      std::vector<int> scenarios;
      for (std::size_t i = 0; i < model->scenarios.size(); ++i) {
        const std::string& name = model->scenarios[i].name;
        bool selected = command.properties || !only || name == *only;
        if (selected && owns("scenario", name)) scenarios.push_back(static_cast<int>(i));
      }
      auto results = solver::check_selected_scenarios(*model, solve, scenarios);
      report.results.insert(report.results.end(), results.begin(), results.end());
    }
    if (command.lints && !model::stop_requested() && owns("lint", "")) {
      // verify's own results give lint the property verdicts and the scenarios' cores and instances;
      // a shard has only its share of them, so its lint asks for what it needs itself.
      report.lint = solver::lint(*model, *scope, solve, command.properties && !owned ? &report.results : nullptr);
      report.lint->strict = o.strict;
    }
    if (model::stop_requested() && !report.sweep.empty()) {
      report.interrupted_by = model::stop_signal();  // run_sweep listed what it never reached
    } else if (model::stop_requested()) {
      report.interrupted_by = model::stop_signal();
      // verify's --property narrows the properties only, as above.
      report.not_run = checks_not_run(*model, report.results, command.properties, false, o.only);
      auto scenarios = checks_not_run(*model, report.results, false, command.scenarios,
                                      command.properties ? "" : o.only);
      report.not_run.insert(report.not_run.end(), scenarios.begin(), scenarios.end());
      // A shard lists only its own share as not run: the others are other shards' to report.
      std::erase_if(report.not_run, [&](const model::NotRun& item) {
        return !owns(std::string(item.kind == model::CheckResult::Kind::Property ? "property" : "scenario"), item.name);
      });
    }
  } catch (const solver::InternalError& e) {
    fmt::print(err, "cspverify: internal error: {}\n", e.what());
    return kInternalError;
  } catch (const std::filesystem::filesystem_error& e) {
    // --dump-smt2: the directory checked above went away or filled up.
    fmt::print(err, "cspverify: error: cannot write to --dump-smt2 `{}`: {}\n", o.dump_smt2, e.code().message());
    return kBadInput;
  } catch (const solver::OutputError& e) {
    fmt::print(err, "cspverify: error: {}\n", e.what());
    return kBadInput;
  }
  if (int code = queries->cross_check(static_cast<unsigned>(*jobs), o.stats, err); code != kSuccess) return code;
  // Stopped during the cross-check: every check ran, but the run was still interrupted.
  if (model::stop_requested() && report.interrupted_by == 0) report.interrupted_by = model::stop_signal();

  reports::ReportContext context{*model, sources, report_options(!o.common.no_timings, o.common.out_dir, out)};
  if (!write_reports(report, context, *formats, o, out, err)) return kBadInput;
  if (o.stats) {
    double total = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - run_start).count();
    auto st = solver::solver_stats();
    unsigned threads = *jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : static_cast<unsigned>(*jobs);
    if (threads == 1 || !command.scenarios) {
      fmt::print(err, "stats: load+check {:.1f} ms, solver {:.1f} ms ({} queries, {} conflicts, {} quantifier "
                 "instantiations), cspverify own {:.1f} ms, total {:.1f} ms\n",
                 load_ms, st.solver_ms, st.queries, st.conflicts, st.quantifier_instantiations, total - st.solver_ms, total);
    } else {
      // Scenario checks overlap on threads: their solver times add up to more than the wall time.
      fmt::print(err, "stats: load+check {:.1f} ms, solver {:.1f} ms ({} queries, summed over {} threads), total {:.1f} ms\n",
                 load_ms, st.solver_ms, st.queries, threads, total);
    }
  }
  return model::exit_code(report);
}

}  // namespace

namespace {

// A report lost on the way to standard output (a full disk, /dev/full)
// must not pass as a successful run. Every writer to `out` checks its write
// (write_stdout, which also reports it); this is the net behind them.
int checked_output(int code, std::ostream& out, std::ostream& err) {
  if (code == kBadInput || code == kInternalError) return code;
  if (auto reason = write_and_flush(out, "")) {
    fmt::print(err, "cspverify: error: cannot write to standard output: {}\n", *reason);
    return kBadInput;
  }
  return code;
}

}  // namespace

std::optional<std::vector<std::string>> sharded_work_items(const std::string& command, const model::Model& model,
                                                           const std::string& only, const std::vector<int>& sweep,
                                                           bool bounded) {
  const Command* c = find_command(command);
  if (!c || !(c->properties || c->scenarios)) return std::nullopt;
  return work_items(*c, model, only, sweep, bounded);
}

int write_run_reports(const model::RunReport& report, const model::Model& model, const model::SourceManager& sources,
                      const std::vector<std::string>& formats, const std::string& out_dir, bool timings,
                      std::ostream& out, std::ostream& err) {
  const Command* command = find_command(report.command);
  if (!command) {
    fmt::print(err, "cspverify: error: no command `{}` writes this report\n", report.command);
    return kBadInput;
  }
  Options o;
  o.common.formats = formats;
  o.common.out_dir = out_dir;
  auto parsed = parse_formats(*command, o, err);
  if (!parsed) return kBadInput;
  if (!out_dir.empty() && !prepare_output_directory("--out", out_dir, err)) return kBadInput;
  reports::ReportContext context{model, sources, report_options(timings, out_dir, out)};
  if (!write_reports(report, context, *parsed, o, out, err)) return kBadInput;
  return model::exit_code(report);
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << usage();
    return kBadInput;
  }
  if (args[0] == "--help" || args[0] == "-h") return write_stdout(usage(), out, err) ? kSuccess : kBadInput;
  if (args[0] == "help") return run_help({args.begin() + 1, args.end()}, out, err);
  if (args[0] == "--version") {
    return write_stdout(fmt::format("cspverify {} (z3 {})\n", CSPVERIFY_VERSION, solver::z3_version()), out, err)
               ? kSuccess : kBadInput;
  }
  for (const auto& c : kCommands) {
    if (args[0] != c.name) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    int code = kInternalError;
    try {
      code = c.runner ? c.runner(rest, out, err) : run_command(c, rest, out, err);
    } catch (const std::exception& e) {
      // Never an abort with a core dump: whatever escaped is a bug to report.
      fmt::print(err, "cspverify: internal error: {}\n", e.what());
    }
    return checked_output(code, out, err);
  }
  std::vector<std::string> names;
  for (const auto& c : kCommands) names.push_back(c.name);
  std::string hint = model::closest_match(args[0], names);
  fmt::print(err, "cspverify: error: unknown command `{}`{}\n(see `cspverify --help`)\n", args[0],
             hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint));
  return kBadInput;
}

}  // namespace csp::cli
