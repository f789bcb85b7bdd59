// STUB (to be replaced by the front-end work): load, load_model.
#include <stdexcept>
#include "model/frontend.h"
namespace csp::model {
std::vector<SpecFile> load(const std::vector<std::string>&, SourceManager&, DiagnosticSink&) { throw std::logic_error("load: not implemented"); }
std::optional<Model> load_model(const std::vector<std::string>&, SourceManager&, DiagnosticSink&) { throw std::logic_error("load_model: not implemented"); }
}
