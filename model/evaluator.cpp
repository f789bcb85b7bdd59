// STUB (to be replaced by the evaluator work).
#include <stdexcept>
#include "model/evaluator.h"
namespace csp::model {
Evaluator::Evaluator(const Model& m, const Instance& i) : model_(m), instance_(i) {}
bool Evaluator::holds(const FormulaDecl&) const { throw std::logic_error("not implemented"); }
Value Evaluator::eval(const Expr&, std::vector<Value>&) const { throw std::logic_error("not implemented"); }
std::vector<std::string> Evaluator::explain_failure(const FormulaDecl&) const { throw std::logic_error("not implemented"); }
std::vector<int> Evaluator::violated_rules() const { throw std::logic_error("not implemented"); }
bool Evaluator::well_formed(std::string*) const { throw std::logic_error("not implemented"); }
std::string to_string(const Model&, const Expr&) { throw std::logic_error("not implemented"); }
}
