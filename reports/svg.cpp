// Runs Graphviz as a child process; see svg.h. Pipes are pumped with poll()
// so neither side can block the other, and SIGPIPE is held back while we
// write so a child that dies early cannot kill the whole program.
#include "reports/svg.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

extern char** environ;

namespace csp::reports {

namespace {

struct Pipe {
  int read = -1;
  int write = -1;
  bool open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
};

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Blocks SIGPIPE for this thread while alive; a SIGPIPE raised meanwhile is
// consumed before the old mask comes back.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_set_);
    sigaddset(&pipe_set_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_);
  }
  ~SigpipeGuard() {
    timespec zero{0, 0};
    while (sigtimedwait(&pipe_set_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_set_;
  sigset_t old_;
};

// Feeds `input` to `to_child` and collects `from_child` and `errors_from_child`
// until both reach end of file.
void pump(int& to_child, int& from_child, int& errors_from_child, const std::string& input, std::string& output,
          std::string& errors) {
  std::size_t written = 0;
  if (input.empty()) close_fd(to_child);
  while (from_child >= 0 || errors_from_child >= 0) {
    std::array<pollfd, 3> fds{{{to_child, POLLOUT, 0}, {from_child, POLLIN, 0}, {errors_from_child, POLLIN, 0}}};
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (to_child >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(to_child, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 && errno != EINTR && errno != EAGAIN) written = input.size();  // child stopped reading
      if (written == input.size()) close_fd(to_child);
    }
    std::array<int*, 2> readers = {&from_child, &errors_from_child};
    std::array<std::string*, 2> sinks = {&output, &errors};
    for (std::size_t i = 0; i < readers.size(); ++i) {
      if (*readers[i] < 0 || !(fds[i + 1].revents & (POLLIN | POLLERR | POLLHUP))) continue;
      char buffer[8192];
      ssize_t n = read(*readers[i], buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close_fd(*readers[i]);
      }
    }
  }
  close_fd(to_child);
}

}  // namespace

std::optional<std::string> render_svg(const std::string& program, const std::string& dot_source,
                                      std::string& error) {
  if (program.empty()) {
    error = "no graphviz program configured";
    return std::nullopt;
  }
  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    error = fmt::format("cannot create a pipe: {}", std::strerror(errno));
    for (int* fd : {&in.read, &in.write, &out.read, &out.write, &err.read, &err.write}) close_fd(*fd);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  std::string format_flag = "-Tsvg";
  char* argv[] = {const_cast<char*>(program.c_str()), format_flag.data(), nullptr};
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close_fd(in.read);
  close_fd(out.write);
  close_fd(err.write);
  if (spawned != 0) {
    error = fmt::format("cannot run `{}`: {}", program, std::strerror(spawned));
    for (int* fd : {&in.write, &out.read, &err.read}) close_fd(*fd);
    return std::nullopt;
  }
  std::string svg, messages;
  {
    SigpipeGuard guard;
    pump(in.write, out.read, err.read, dot_source, svg, messages);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    error = code == 127 ? fmt::format("cannot run `{}`: not found", program)
                        : fmt::format("`{} -Tsvg` failed (exit {}){}{}", program, code,
                                      messages.empty() ? "" : ": ", messages);
    while (!error.empty() && (error.back() == '\n' || error.back() == '\r')) error.pop_back();
    return std::nullopt;
  }
  return svg;
}

}  // namespace csp::reports
