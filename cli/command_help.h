// The option descriptions that `cspverify COMMAND --help` prints, reused: the
// manual page and the bash completion are written from them, so the three
// cannot drift apart (`cspverify help --man`, `cspverify help --completion
// bash`; the build writes both and `cmake --install` installs them), and a
// mistyped option is matched against them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/program_options/errors.hpp>
#include <boost/program_options/options_description.hpp>

namespace csp::cli {

/// What `cspverify COMMAND --help` shows for one command, in parts.
struct CommandHelp {
  std::string name;
  std::string summary;
  std::vector<std::string> usages;  // one line per way to call it, e.g. "cspverify diff [options] BASE PROPOSED"
  std::vector<boost::shared_ptr<boost::program_options::option_description>> options;
  std::map<std::string, std::vector<std::string>> choices;  // long option name -> the values it accepts
  std::string exit_codes;  // the "Exit codes:" block of --help
};

/// The value names (`value_name`) whose values are directories, .cspv files
/// or directories, and names of a property, scenario or rule: the completion
/// offers directories / spec paths / the names the .cspv files on the line declare.
inline constexpr const char* kDirectoryValue = "DIR";
inline constexpr const char* kSpecPathValue = "CHANGE";
inline constexpr const char* kDeclaredNameValue = "NAME";

/// A command-line parsing error in words, with "; did you mean `--scope`?"
/// when an unknown option is close to one of `options`.
std::string option_error_message(const boost::program_options::error& error,
                                 const boost::program_options::options_description& options);

/// cspverify.1 in roff (man(7)): synopsis, every command with its options and exit codes.
std::string render_man_page(const std::vector<CommandHelp>& commands, const std::string& version,
                            const std::string& overview_exit_codes);

/// A bash completion script: commands, each command's options, option values
/// (formats, directories, declared names) and .cspv paths.
std::string render_bash_completion(const std::vector<CommandHelp>& commands);

}  // namespace csp::cli
