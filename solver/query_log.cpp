#include "solver/query_log.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "solver/prover.h"

namespace csp::solver {

namespace fs = std::filesystem;

namespace {

// Spec names are identifiers, but a file name must never hold a separator.
std::string file_safe(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '_';
  return out;
}

void write_file(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  out << text;
  out.close();  // flushed and closed here, so a full disk is seen, not a truncated file
  if (!out) {
    std::string reason = ec ? ec.message() : std::strerror(errno);
    throw OutputError(fmt::format("cannot write `{}`: {}", path.string(), reason));
  }
}

}  // namespace

const char* answer_name(Answer answer) {
  switch (answer) {
    case Answer::Sat: return "sat";
    case Answer::Unsat: return "unsat";
    case Answer::Unknown: return "unknown";
  }
  return "unknown";
}

QueryLog::QueryLog(fs::path dir) : dir_(std::move(dir)) {}

QueryLog& QueryLog::part(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = parts_[name];
  if (!slot) slot = std::make_unique<QueryLog>(dir_ / file_safe(name));
  return *slot;
}

int QueryLog::reserve(int count) {
  std::lock_guard<std::mutex> lock(mutex_);
  int first = next_item_;
  next_item_ += count;
  return first;
}

void QueryLog::write(const LoggedQuery& query, const std::string& script) {
  write_file(query.file, fmt::format("; cspverify: {}\n; {}, asked with {:.0f} ms of the check's budget left\n{}",
                                     answer_name(query.answer), query.description, query.budget_ms, script));
}

void QueryLog::add(LoggedQuery query) {
  std::lock_guard<std::mutex> lock(mutex_);
  queries_.push_back(std::move(query));
}

std::vector<LoggedQuery> QueryLog::queries() const {
  std::vector<LoggedQuery> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    all = queries_;
    for (const auto& [name, part] : parts_) {
      auto more = part->queries();
      all.insert(all.end(), more.begin(), more.end());
    }
  }
  std::sort(all.begin(), all.end(), [](const LoggedQuery& a, const LoggedQuery& b) { return a.file < b.file; });
  return all;
}

QueryItem::QueryItem(QueryLog* log, std::string name)
    : QueryItem(log, log ? log->reserve() : 0, std::move(name)) {}

QueryItem::QueryItem(QueryLog* log, int number, std::string name)
    : log_(log), number_(number), name_(std::move(name)) {}

void QueryItem::asking(const std::string& purpose, const std::string& detail, double budget_ms,
                       const std::function<std::string()>& script) {
  pending_.reset();
  if (!log_ || budget_ms <= 0) return;  // none, or not asked: no time was left
  int sub = next_++;
  std::string number = sub == 0 ? fmt::format("{:03}", number_) : fmt::format("{:03}.{:03}", number_, sub);
  LoggedQuery query;
  query.file = log_->directory() / fmt::format("{}-{}-{}{}.smt2", number, purpose, file_safe(name_),
                                               detail.empty() ? "" : "-" + file_safe(detail));
  query.description = fmt::format("{} `{}`{}", purpose, name_, detail.empty() ? "" : fmt::format(" ({})", detail));
  query.budget_ms = budget_ms;
  pending_script_ = script();
  QueryLog::write(query, pending_script_);
  pending_ = std::move(query);
}

void QueryItem::answered(Answer answer) {
  if (!pending_) return;
  pending_->answer = answer;
  if (answer != Answer::Unknown) QueryLog::write(*pending_, pending_script_);  // it says unknown already
  log_->add(std::move(*pending_));
  pending_.reset();
  pending_script_.clear();
}

}  // namespace csp::solver
