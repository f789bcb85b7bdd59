// STUB (to be replaced by the evaluator work).
#include <stdexcept>
#include "model/instance.h"
namespace csp::model {
std::vector<int> Instance::of_kind(int) const { throw std::logic_error("not implemented"); }
int Instance::find(const std::string&) const { throw std::logic_error("not implemented"); }
std::string format_value(const Model&, const Instance&, const Value&) { throw std::logic_error("not implemented"); }
std::string format_instance(const Model&, const Instance&) { throw std::logic_error("not implemented"); }
std::vector<int> count_by_kind(const Model&, const Instance&) { throw std::logic_error("not implemented"); }
}
