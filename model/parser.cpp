// STUB (to be replaced by the front-end work): parse.
#include <stdexcept>
#include "model/frontend.h"
namespace csp::model {
SpecFile parse(const SourceManager&, int, DiagnosticSink&) { throw std::logic_error("parse: not implemented"); }
}
