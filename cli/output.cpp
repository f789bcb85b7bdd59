#include "cli/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ostream>

#include <fmt/format.h>

namespace csp::cli {

namespace fs = std::filesystem;

namespace {

// strerror, lowercase as in the loader's messages ("no space left on device").
std::string os_reason(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// Opens a new temporary file beside `path`; -1 with errno set on failure.
int open_temporary(const fs::path& path, fs::path& temp) {
  static std::atomic<unsigned> counter{0};
  fs::path dir = path.parent_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp = dir / fmt::format(".{}.tmp-{}-{}", path.filename().string(), static_cast<long>(getpid()), counter++);
    // 0666 so the report gets the same permissions (after umask) as a file written in place.
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

bool write_all(int fd, const std::string& contents) {
  const char* data = contents.data();
  std::size_t left = contents.size();
  while (left > 0) {
    ssize_t written = ::write(fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      if (written == 0) errno = EIO;
      return false;
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  return true;
}

}  // namespace

std::optional<std::string> prepare_directory(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) return std::string("it exists and is not a directory");
  fs::create_directories(dir, ec);
  if (ec) return os_reason(ec.value());
  if (!fs::is_directory(dir, ec)) return std::string("not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return os_reason(errno);
  return std::nullopt;
}

std::optional<std::string> write_file_atomically(const fs::path& path, const std::string& contents) {
  fs::path temp;
  int fd = open_temporary(path, temp);
  if (fd < 0) return os_reason(errno);
  bool ok = write_all(fd, contents);
  int error = ok ? 0 : errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && ::rename(temp.c_str(), path.c_str()) != 0) {
    ok = false;
    error = errno;
  }
  if (ok) return std::nullopt;
  ::unlink(temp.c_str());
  return os_reason(error);
}

std::optional<std::string> write_and_flush(std::ostream& out, const std::string& text) {
  if (out.fail()) return std::string("write error");  // an earlier write failed
  errno = 0;
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
  if (!out.fail()) return std::nullopt;
  return errno != 0 ? os_reason(errno) : std::string("write error");
}

}  // namespace csp::cli
