#include "cli/fmt.h"

#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "model/format.h"
#include "model/frontend.h"

namespace csp::cli {
namespace po = boost::program_options;

namespace {

const char* kFmtExitCodes =
    "Exit codes:\n"
    "  0  every file is formatted (with --check: none would change)\n"
    "  1  with --check: some file would change (each is listed)\n"
    "  2  bad input: usage error, unreadable or unwritable file, syntax error\n"
    "  4  internal error (a bug in cspverify; please report it)\n";

struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;
  bool to_stdout = false;
  bool help = false;
};

po::options_description fmt_options(FmtOptions& o) {
  po::options_description d("cspverify fmt [options] PATH...");
  d.add_options()
      ("help,h", po::bool_switch(&o.help), "show this help")
      ("check", po::bool_switch(&o.check),
       "change nothing; list the files that are not formatted and exit 1 if there are any")
      ("stdout", po::bool_switch(&o.to_stdout), "write the formatted text to standard output instead of the files");
  return d;
}

std::optional<FmtOptions> parse_fmt_arguments(const std::vector<std::string>& args, std::ostream& err) {
  FmtOptions o;
  po::options_description desc = fmt_options(o);
  po::options_description all = desc;
  all.add_options()("path", po::value(&o.paths)->composing());
  po::positional_options_description positional;
  positional.add("path", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    fmt::print(err, "cspverify fmt: error: {}\n(see `cspverify fmt --help`)\n", option_error_message(e, desc));
    return std::nullopt;
  }
  return o;
}

}  // namespace

CommandHelp describe_fmt() {
  static FmtOptions unused;  // the description binds its values here; nothing is parsed into it
  CommandHelp help;
  help.usages = {"cspverify fmt [options] PATH..."};
  help.options = fmt_options(unused).options();
  help.exit_codes = kFmtExitCodes;
  return help;
}

int run_fmt(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = parse_fmt_arguments(args, err);
  if (!parsed) return kBadInput;
  FmtOptions& o = *parsed;
  if (o.help) {
    FmtOptions ignored;
    std::ostringstream text;
    text << fmt_options(ignored) << "\n" << kFmtExitCodes;
    return write_stdout(text.str(), out, err) ? kSuccess : kBadInput;
  }
  if (o.paths.empty()) {
    fmt::print(err, "cspverify fmt: error: expected one or more paths\n(see `cspverify fmt --help`)\n");
    return kBadInput;
  }
  if (o.check && o.to_stdout) {
    fmt::print(err, "cspverify fmt: error: --check and --stdout exclude each other\n");
    return kBadInput;
  }
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::vector<std::string> files = model::spec_files(o.paths, sink);
  std::vector<std::string> unformatted;
  std::string printed;
  for (const auto& path : files) {
    std::optional<int> file = sources.load(path);
    if (!file) {
      sink.error({}, fmt::format("cannot read `{}`", path));
      continue;
    }
    std::optional<std::string> formatted;
    try {
      formatted = model::format_file(sources, *file, sink);
    } catch (const model::FormatError& e) {
      fmt::print(err, "cspverify fmt: internal error: {}\n", e.what());
      return kInternalError;
    }
    if (!formatted) continue;
    if (o.to_stdout) {
      printed += *formatted;
    } else if (*formatted != sources.text(*file)) {
      unformatted.push_back(path);
      if (!o.check && !write_output_file(path, *formatted, err)) return kBadInput;
    }
  }
  if (sink.has_errors()) {
    err << model::render_all(sink, sources);
    return kBadInput;
  }
  if (o.to_stdout) return write_stdout(printed, out, err) ? kSuccess : kBadInput;
  std::string listing;
  for (const auto& path : unformatted) listing += fmt::format("{}\n", path);
  if (o.check && !unformatted.empty()) {
    fmt::print(err, "cspverify fmt: {} file{} not formatted (run `cspverify fmt` on {}):\n{}", unformatted.size(),
               unformatted.size() == 1 ? " is" : "s are", unformatted.size() == 1 ? "it" : "them", listing);
    return kFailure;
  }
  return write_stdout(listing, out, err) ? kSuccess : kBadInput;
}

}  // namespace csp::cli
