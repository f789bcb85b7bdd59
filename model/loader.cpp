// The loader: walks directories for `.cspv` files, follows includes (each file
// once, includes first, cycles reported), imports CSV data into enums and
// tables, and hands the parsed files to the checker (load_model).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>
#include <system_error>
#include <unordered_set>

#include <fmt/format.h>

#include "model/checker_internal.h"
#include "model/csv.h"
#include "model/frontend.h"
#include "model/lexer.h"

namespace csp::model {

namespace {

namespace fs = std::filesystem;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Why a file could not be read, in the OS's words (lowercase).
std::string read_failure(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "is a directory";
  errno = 0;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
    return "read error";
  }
  return lowercase(std::generic_category().message(errno));
}

std::string canonical_key(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = fs::absolute(path, ec).lexically_normal();
  return canonical.generic_string();
}

std::string display(const fs::path& path) { return path.lexically_normal().generic_string(); }

bool skipped_directory(const fs::directory_entry& entry) {
  std::string name = entry.path().filename().string();
  if (!name.empty() && (name[0] == '.' || name[0] == '_')) return true;
  std::error_code ec;
  return fs::exists(entry.path() / ".cspvskip", ec);
}

// The `.cspv` files under `root`, in sorted path order.
std::vector<fs::path> spec_files_under(const fs::path& root, std::error_code& ec) {
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(root, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) {
      if (skipped_directory(*it)) it.disable_recursion_pending();
    } else if (it->path().extension() == ".cspv") {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.generic_string() < b.generic_string(); });
  return files;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += fmt::format("{}`{}`", out.empty() ? "" : ", ", name);
  return out;
}

// Help for an unknown CSV column: a did-you-mean when one is close, then the header.
std::string unknown_column_help(const std::string& column, const std::vector<std::string>& header) {
  std::string suggestion = closest_match(column, header);
  std::string listing = fmt::format("the header has {}", quoted_list(header));
  return suggestion.empty() ? listing : fmt::format("did you mean `{}`? {}", suggestion, listing);
}

// The range of the column name in `enum E from "f.csv" column NAME`: the
// second token after the `from` string.
SourceRange enum_column_range(const SourceManager& sources, const CsvSource& csv) {
  std::vector<Diagnostic> ignored;
  Lexer lexer(sources.text(csv.range.file), csv.range.file, csv.range.end);
  lexer.next(ignored);
  Token name = lexer.next(ignored);
  return name.is(TokenKind::Ident) ? name.range : csv.range;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool date_shaped(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-' && all_digits(text.substr(0, 4)) &&
         all_digits(text.substr(5, 2)) && all_digits(text.substr(8, 2));
}

ExprPtr literal(ExprKind kind, SourceRange range, std::int64_t value = 0) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->range = range;
  e->value = value;
  return e;
}

// A table cell's text as a literal Expr, or null after reporting why it is not one.
ExprPtr cell_literal(const CsvField& field, const std::string& column, DiagnosticSink& sink) {
  const std::string& text = field.text;
  if (text.empty() || text == "none") return literal(ExprKind::NoneLit, field.range);
  if (text == "true" || text == "false") return literal(ExprKind::BoolLit, field.range, text == "true");
  std::string_view digits = text;
  if (digits.front() == '-') digits.remove_prefix(1);
  if (all_digits(digits)) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) return literal(ExprKind::IntLit, field.range, value);
    sink.error(field.range, fmt::format("integer `{}` is too large", text));
    return nullptr;
  }
  if (date_shaped(text)) {
    auto days = days_from_date(std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2)));
    if (days) return literal(ExprKind::DateLit, field.range, *days);
    sink.error(field.range, fmt::format("invalid date `{}`", text));
    return nullptr;
  }
  if (is_identifier_spelling(text) && !is_keyword(text)) {
    auto name = literal(ExprKind::Name, field.range);
    name->name = text;
    return name;
  }
  sink.error(field.range, fmt::format("cell `{}` in column `{}` is not a value", text, column)).help =
      "a table cell is an integer, a date (YYYY-MM-DD), `true`, `false`, an identifier or empty";
  return nullptr;
}

class Loader {
 public:
  // Buffers already in `sources` stand in for the files of their paths: an
  // editor's unsaved text (`cspverify lsp`). The CLI starts with none.
  Loader(SourceManager& sources, DiagnosticSink& sink) : sources_(sources), sink_(sink) {
    for (std::size_t id = 0; id < sources_.size(); ++id) {
      preloaded_.emplace(canonical_key(sources_.path(static_cast<int>(id))), static_cast<int>(id));
    }
  }

  void load_argument(const std::string& argument) {
    for (const auto& file : spec_files({argument}, sink_)) load_file(file, {});
  }

  std::vector<SpecFile> take() { return std::move(files_); }

 private:
  enum class State { Loading, Done };

  // Loads one file (after its includes). `site` is the include that asked for
  // it, or no location for a file named on the command line or found by a walk.
  void load_file(const fs::path& path, SourceRange site) {
    std::string key = canonical_key(path);
    auto state = state_.find(key);
    if (state != state_.end() && state->second == State::Done) return;
    if (state != state_.end()) {
      report_cycle(key, site);
      return;
    }
    std::string name = display(path);
    std::error_code ec;
    std::optional<int> id;
    if (auto buffer = preloaded_.find(key); buffer != preloaded_.end()) {
      id = buffer->second;
    } else if (!fs::is_directory(path, ec)) {
      id = sources_.load(name);
    }
    if (!id) {
      sink_.error(site, fmt::format("cannot read `{}`: {}", name, read_failure(path)));
      return;
    }
    state_[key] = State::Loading;
    loading_.push_back({key, name});
    SpecFile spec = parse(sources_, *id, sink_);
    fs::path directory = fs::path(name).parent_path();
    for (const auto& include : spec.includes) load_file(directory / include.path, include.range);
    import_csv(spec, directory);
    loading_.pop_back();
    state_[key] = State::Done;
    files_.push_back(std::move(spec));
  }

  void report_cycle(const std::string& key, SourceRange site) {
    auto first = std::find_if(loading_.begin(), loading_.end(),
                              [&](const auto& entry) { return entry.first == key; });
    std::string chain;
    for (auto it = first; it != loading_.end(); ++it) chain += fmt::format("`{}` -> ", it->second);
    chain += fmt::format("`{}`", first->second);
    sink_.error(site, fmt::format("include cycle: {}", chain));
  }

  void import_csv(SpecFile& spec, const fs::path& directory) {
    for (auto& decl : spec.enums) {
      if (decl.csv) import_enum(decl, directory);
    }
    for (auto& table : spec.tables) {
      if (table.csv) import_table(table, directory);
    }
    for (auto& patch : spec.patches) {
      if (patch.declaration) import_csv(*patch.declaration, directory);
    }
  }

  // The parsed CSV a `from` clause names, read once per file; null after an error.
  const CsvTable* read_csv(CsvSource& csv, const fs::path& directory) {
    fs::path path = directory / csv.path;
    csv.resolved_path = display(path);
    std::string key = canonical_key(path);
    auto cached = csv_cache_.find(key);
    if (cached != csv_cache_.end()) return cached->second ? &*cached->second : nullptr;
    std::error_code ec;
    std::optional<int> id;
    if (!fs::is_directory(path, ec)) id = sources_.load(csv.resolved_path);
    std::optional<CsvTable> table;
    if (!id) {
      sink_.error(csv.range, fmt::format("cannot read `{}`: {}", csv.resolved_path, read_failure(path)));
    } else {
      table = parse_csv(sources_, *id, sink_);
    }
    auto& slot = csv_cache_[key] = std::move(table);
    return slot ? &*slot : nullptr;
  }

  // `enum E from "f.csv" column c`: the distinct non-empty values of column c.
  void import_enum(EnumDecl& decl, const fs::path& directory) {
    const CsvTable* table = read_csv(*decl.csv, directory);
    if (!table) return;
    const std::string& column = decl.csv->columns.front();
    int index = table->column(column);
    if (index < 0) {
      sink_.error(enum_column_range(sources_, *decl.csv),
                  fmt::format("`{}` has no column `{}`", decl.csv->path, column))
          .help = unknown_column_help(column, table->column_names());
      return;
    }
    // A set beside the value list: a linear search per row made a
    // 100,000-row enum quadratic (issue #9).
    std::unordered_set<std::string> seen(decl.values.begin(), decl.values.end());
    for (const auto& row : table->rows) {
      const CsvField& cell = row.fields[index];
      if (cell.text.empty()) continue;
      if (!seen.insert(cell.text).second) continue;
      if (!is_identifier_spelling(cell.text) || is_keyword(cell.text)) {
        sink_.error(cell.range, fmt::format("value `{}` in column `{}` cannot be an enum value", cell.text, column))
            .help = is_keyword(cell.text) ? fmt::format("`{}` is a reserved word", cell.text)
                                          : "an enum value is an identifier: letters, digits and `_`";
        continue;
      }
      decl.values.push_back(cell.text);
      decl.value_ranges.push_back(decl.csv->range);
    }
  }

  // `table t(a: A, b: B) from "f.csv"`: one row per data record, the columns
  // the parameters name, in parameter order.
  void import_table(TableDecl& decl, const fs::path& directory) {
    const CsvTable* table = read_csv(*decl.csv, directory);
    if (!table) return;
    std::vector<int> indexes;
    for (const auto& param : decl.params) {
      int index = table->column(param.name);
      if (index < 0) {
        sink_.error(param.range, fmt::format("`{}` has no column `{}`", decl.csv->path, param.name)).help =
            unknown_column_help(param.name, table->column_names());
      }
      indexes.push_back(index);
    }
    if (std::find(indexes.begin(), indexes.end(), -1) != indexes.end()) return;
    for (const auto& record : table->rows) {
      TableDecl::Row row;
      row.range = record.range;
      bool complete = true;
      for (std::size_t i = 0; i < indexes.size(); ++i) {
        ExprPtr cell = cell_literal(record.fields[indexes[i]], decl.params[i].name, sink_);
        complete = complete && cell != nullptr;
        row.cells.push_back(std::move(cell));
      }
      if (complete) decl.rows.push_back(std::move(row));
    }
  }

  SourceManager& sources_;
  DiagnosticSink& sink_;
  std::map<std::string, int> preloaded_;                        // canonical path -> buffer id
  std::map<std::string, State> state_;                          // by canonical path
  std::vector<std::pair<std::string, std::string>> loading_;    // (key, display) of open includes
  std::map<std::string, std::optional<CsvTable>> csv_cache_;    // by canonical path
  std::vector<SpecFile> files_;
};

}  // namespace

std::vector<std::string> spec_files(const std::vector<std::string>& paths, DiagnosticSink& sink) {
  std::vector<std::string> found;
  for (const auto& argument : paths) {
    fs::path path(argument);
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      sink.error({}, fmt::format("cannot read `{}`: {}", argument,
                                 ec ? lowercase(ec.message()) : "no such file or directory"));
      continue;
    }
    if (!fs::is_directory(status)) {
      found.push_back(argument);
      continue;
    }
    auto files = spec_files_under(path, ec);
    if (ec) {
      sink.error({}, fmt::format("cannot read `{}`: {}", argument, lowercase(ec.message())));
    } else if (files.empty()) {
      // A mistyped or empty directory must not pass as "nothing failed".
      sink.error({}, fmt::format("no .cspv files under `{}`", argument)).help =
          "directories named `.*` or `_*`, and those holding a `.cspvskip` file, are skipped";
    }
    for (const auto& file : files) found.push_back(file.string());
  }
  return found;
}

std::vector<SpecFile> load(const std::vector<std::string>& paths, SourceManager& sources, DiagnosticSink& sink) {
  Loader loader(sources, sink);
  for (const auto& path : paths) loader.load_argument(path);
  return loader.take();
}

namespace {

// The `.cspv` files a user may have meant to load with `paths`: those under
// each path's directory, and those at most one directory below its parent
// (`specs/scenarios/x.cspv` -> `specs/csp/*.cspv`); not deeper, so a file in
// the working directory does not walk the whole tree above it.
std::vector<fs::path> spec_files_near(const std::vector<std::string>& paths) {
  std::vector<fs::path> near;
  std::unordered_set<std::string> seen;
  auto add = [&](const fs::path& file) {
    if (seen.insert(canonical_key(file)).second) near.push_back(file);
  };
  for (const auto& path : paths) {
    std::error_code ec;
    fs::path dir = fs::is_directory(path, ec) ? fs::path(path) : fs::path(path).parent_path();
    if (dir.empty()) dir = ".";
    for (const auto& file : spec_files_under(dir, ec)) add(file);
    fs::path parent = (fs::absolute(dir, ec) / "..").lexically_normal();
    fs::recursive_directory_iterator it(parent, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->is_directory(ec)) {
        if (it.depth() >= 1 || skipped_directory(*it)) it.disable_recursion_pending();
      } else if (it->path().extension() == ".cspv") {
        add(it->path().lexically_proximate(fs::current_path(ec)));
      }
    }
  }
  return near;
}

// The type names (entity kinds and enums) `file` declares; none when it cannot be read.
std::vector<std::string> declared_types(const fs::path& file) {
  SourceManager scratch;
  std::optional<int> id = scratch.load(file.string());
  if (!id) return {};
  DiagnosticSink ignored;
  SpecFile parsed = parse(scratch, *id, ignored);
  std::vector<std::string> names;
  for (const auto& kind : parsed.kinds) names.push_back(kind.name);
  for (const auto& e : parsed.enums) names.push_back(e.name);
  return names;
}

// The name between the first pair of backticks of a message.
std::string quoted_name(const std::string& message) {
  auto open = message.find('`');
  auto close = open == std::string::npos ? open : message.find('`', open + 1);
  return close == std::string::npos ? "" : message.substr(open + 1, close - open - 1);
}

// A type is unknown because the file declaring it was never included: name
// that file, and the include that would load it, on each such error.
void note_files_declaring_unknown_types(const std::vector<std::string>& paths, const SourceManager& sources,
                                        DiagnosticSink& sink) {
  std::vector<Diagnostic*> unknown;
  for (auto& d : sink.all()) {
    if (d.code == checking::code::kUnknownType && !quoted_name(d.message).empty()) unknown.push_back(&d);
  }
  if (unknown.empty()) return;
  std::unordered_set<std::string> loaded;
  for (std::size_t f = 0; f < sources.size(); ++f) loaded.insert(canonical_key(sources.path(static_cast<int>(f))));
  std::map<std::string, fs::path> declared_in;  // type name -> the first unloaded file declaring it
  for (const auto& file : spec_files_near(paths)) {
    if (loaded.count(canonical_key(file))) continue;
    for (const auto& name : declared_types(file)) declared_in.emplace(name, file);
  }
  for (Diagnostic* d : unknown) {
    auto found = declared_in.find(quoted_name(d->message));
    if (found == declared_in.end() || !d->range.valid()) continue;
    std::error_code ec;
    fs::path from = fs::absolute(sources.path(d->range.file), ec).parent_path();
    fs::path include = fs::absolute(found->second, ec).lexically_normal().lexically_relative(from.lexically_normal());
    d->notes.push_back({SourceRange{}, fmt::format("`{}` is declared in `{}`, which is not loaded: add `include "
                                                   "\"{}\"` or pass that file too",
                                                   found->first, display(found->second), include.generic_string())});
  }
}

}  // namespace

std::optional<Model> load_model(const std::vector<std::string>& paths, SourceManager& sources,
                                DiagnosticSink& sink) {
  std::vector<SpecFile> files = load(paths, sources, sink);
  // Type errors in a tree that failed to parse would only repeat the syntax errors.
  if (sink.has_errors()) return std::nullopt;
  std::optional<Model> model = check(std::move(files), sources, sink);
  if (!model) note_files_declaring_unknown_types(paths, sources, sink);
  return model;
}

}  // namespace csp::model
