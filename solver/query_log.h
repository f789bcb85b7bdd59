// The solver queries that decide a verdict, each written as a standalone
// SMT-LIB 2 script (--dump-smt2) and listed, with Z3's answer, for a second
// solver's cross-check (--cross-check). Z3-free: cli/ reads the list.
//
// Files are numbered by work item, not by completion order, so the numbering
// is the same whatever --jobs is: a check (the consistency check, a property,
// a scenario, a direction of diff) reserves its number before it is handed to
// a thread; its first query is NNN-PURPOSE-NAME.smt2 and its later ones
// NNN.MMM-PURPOSE-NAME-DETAIL.smt2 (they sort after it).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace csp::solver {

enum class Answer { Sat, Unsat, Unknown };

/// "sat", "unsat" or "unknown", as SMT-LIB solvers print them.
const char* answer_name(Answer answer);

/// One query as written.
struct LoggedQuery {
  std::filesystem::path file;
  std::string description;  // "property `no_self_sale` (minimise: entities)"
  Answer answer = Answer::Unknown;  // Z3's
  /// The check's time budget left when Z3 was asked (SolveOptions::timeout_seconds
  /// is per property or scenario, minimisation included): a second solver gets the same.
  double budget_ms = 0;
};

class QueryLog {
 public:
  /// Files go into `dir`, created when missing.
  explicit QueryLog(std::filesystem::path dir);
  QueryLog(const QueryLog&) = delete;
  QueryLog& operator=(const QueryLog&) = delete;

  /// A log for a part of the run that runs beside the others (diff's base and
  /// proposed sides): the subdirectory `name`, numbered on its own, and listed
  /// by queries() with the rest. Create parts before the threads start.
  QueryLog& part(const std::string& name);

  /// Reserves `count` consecutive work-item numbers and returns the first.
  /// Call in a fixed order (not from the threads), so numbers do not depend on timing.
  int reserve(int count = 1);

  /// Writes `script` to `query.file`, a first line giving `query.answer`
  /// (`; cspverify: unsat`) and a second its description. Throws OutputError
  /// when the file cannot be written.
  static void write(const LoggedQuery& query, const std::string& script);
  /// Lists a query (written, with Z3's answer) for queries().
  void add(LoggedQuery query);

  /// Every query listed, this log's and its parts', sorted by file.
  std::vector<LoggedQuery> queries() const;

  const std::filesystem::path& directory() const { return dir_; }

 private:
  std::filesystem::path dir_;
  mutable std::mutex mutex_;  // scenario checks write from several threads
  int next_item_ = 0;
  std::vector<LoggedQuery> queries_;
  std::map<std::string, std::unique_ptr<QueryLog>> parts_;
};

/// The queries of one work item, asked one at a time. A default-constructed
/// item logs nothing, and then never builds a script.
class QueryItem {
 public:
  QueryItem() = default;
  /// Reserves the item's number in `log` (none when `log` is null).
  QueryItem(QueryLog* log, std::string name);
  /// An item whose number was reserved with QueryLog::reserve.
  QueryItem(QueryLog* log, int number, std::string name);

  /// Writes a query before Z3 is asked, so that a run that hangs, crashes or
  /// is stopped leaves it on disk (its first line says `unknown` until
  /// answered()). `purpose` is what it decides ("property", "scenario",
  /// "minimise"), `detail` which step ("entities", "cardinality"), and
  /// `script` builds the SMT-LIB text, only when the item is logged. A query
  /// not asked for want of time (`budget_ms` <= 0) is not written.
  void asking(const std::string& purpose, const std::string& detail, double budget_ms,
              const std::function<std::string()>& script);
  /// Z3's answer to the query of the last asking(): written into its file,
  /// which is then listed for a cross-check.
  void answered(Answer answer);

 private:
  QueryLog* log_ = nullptr;
  int number_ = 0;
  int next_ = 0;  // queries asked so far
  std::string name_;
  std::optional<LoggedQuery> pending_;  // asked, not yet answered
  std::string pending_script_;
};

}  // namespace csp::solver
