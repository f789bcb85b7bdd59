#include "tests/support/fixture.h"

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

}  // namespace csp::test
