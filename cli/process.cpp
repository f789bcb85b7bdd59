#include "cli/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

extern char** environ;

namespace csp::cli {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Waits for `pid`, killing it at `deadline` or when `stop` says so; the exit
// status as waitpid gives it, or nullopt when it was killed.
std::optional<int> wait_for(pid_t pid, std::optional<std::chrono::steady_clock::time_point> deadline,
                            const std::function<bool()>& stop) {
  bool poll = deadline || stop;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, poll ? WNOHANG : 0);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return -1;
    if ((deadline && std::chrono::steady_clock::now() >= *deadline) || (stop && stop())) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
      return std::nullopt;
    }
    if (poll) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

ProgramOutput run_program(const std::vector<std::string>& argv, const fs::path& scratch,
                          std::optional<std::chrono::milliseconds> limit, const std::function<bool()>& stop) {
  static std::atomic<unsigned> counter{0};
  unsigned n = counter++;
  ProgramOutput result;
  fs::path out = scratch / fmt::format("program-{}.out", n), err = scratch / fmt::format("program-{}.err", n);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  auto start = std::chrono::steady_clock::now();
  int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    result.err = fmt::format("cannot run `{}`: {}", argv[0], std::strerror(spawned));
    return result;
  }
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (limit) deadline = start + *limit;
  std::optional<int> status = wait_for(pid, deadline, stop);
  result.timed_out = !status;
  if (status && WIFEXITED(*status)) result.status = WEXITSTATUS(*status);
  result.out = read_text(out);
  result.err = read_text(err);
  std::error_code ignored;
  fs::remove(out, ignored);
  fs::remove(err, ignored);
  return result;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::string first_line(std::string text) {
  auto end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  return text;
}

std::optional<TemporaryDirectory> TemporaryDirectory::create(const std::string& prefix, std::string* error) {
  std::error_code ec;
  fs::path temp = fs::temp_directory_path(ec);  // $TMPDIR, /tmp
  std::string pattern = (temp / (prefix + "-XXXXXX")).string();
  if (ec || !mkdtemp(pattern.data())) {
    *error = fmt::format("cannot create a temporary directory under `{}`: {}", temp.string(),
                         ec ? ec.message() : std::strerror(errno));
    return std::nullopt;
  }
  return TemporaryDirectory(pattern);
}

TemporaryDirectory::TemporaryDirectory(TemporaryDirectory&& other) noexcept
    : path_(std::move(other.path_)), kept_(other.kept_) {
  other.path_.clear();
}

TemporaryDirectory& TemporaryDirectory::operator=(TemporaryDirectory&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    kept_ = other.kept_;
    other.path_.clear();
  }
  return *this;
}

TemporaryDirectory::~TemporaryDirectory() { remove(); }

void TemporaryDirectory::remove() {
  if (path_.empty() || kept_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace csp::cli
