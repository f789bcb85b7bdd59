// Declarations nothing reads: `cspverify lint`'s checks that need no solver
// (docs/lint.md). A declaration is *read* when a rule or a property reads it,
// directly or through the defines they call; scenarios and imports only
// write facts, so what they mention alone does not count, and neither does
// a define nothing reaches.
#pragma once

#include <string>
#include <vector>

#include "model/ast.h"

namespace csp::model {

struct UnusedDeclaration {
  std::string lint_id;  // "unused-define", "unused-attribute", "unused-relation", "unused-table",
                        // "unused-enum", "unused-import"
  std::string name;     // `same_group`, `Partner.onboarded`, `import of partnership`
  SourceRange range;    // the declaration (an attribute's name, an import's target)
  std::string message;  // one sentence, names in backticks
};

/// In declaration order, by lint id as listed above.
std::vector<UnusedDeclaration> unused_declarations(const Model& model);

}  // namespace csp::model
