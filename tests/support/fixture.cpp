#include "tests/support/fixture.h"

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "model/frontend.h"

namespace csp::test {

std::string Checked::diagnostics() const { return model::render_all(sink, sources); }

Checked check_text(const std::string& text, const std::string& path) {
  Checked out;
  int file = out.sources.add(path, text);
  std::vector<model::SpecFile> files;
  files.push_back(model::parse(out.sources, file, out.sink));
  if (!out.sink.has_errors()) out.model = model::check(std::move(files), out.sources, out.sink);
  return out;
}

std::string source_path(const std::string& relative) {
  return std::string(CSP_SOURCE_DIR) + "/" + relative;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "csp-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
  path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  std::filesystem::path file = path / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file.string();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace csp::test
