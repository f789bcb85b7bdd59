// STUB (to be replaced by the type checker work): check.
#include <stdexcept>
#include "model/frontend.h"
namespace csp::model {
std::optional<Model> check(std::vector<SpecFile>, const SourceManager&, DiagnosticSink&) { throw std::logic_error("check: not implemented"); }
}
