// Patches (`extend`, `replace`, `remove`; docs/language.md, "Patches"): a
// change proposal is a few declarations over the base files, applied here to
// the parsed files before the checker merges them, so every later stage (and
// diff's merge of two sides) sees plain declarations only.
#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "model/checker_internal.h"
#include "model/frontend.h"

namespace csp::model {

namespace {

using Action = PatchDecl::Action;

const char* verb(Action action) {
  switch (action) {
    case Action::Extend: return "extend";
    case Action::Replace: return "replace";
    case Action::Remove: return "remove";
  }
  return "replace";
}

class Patcher {
 public:
  Patcher(std::vector<SpecFile>& files, DiagnosticSink& sink) : files_(files), sink_(sink) {}

  void apply(PatchDecl& patch) {
    if (!first_patch(patch)) return;
    const std::string& what = patch.what;
    if (what == "rule") return apply_to(&SpecFile::rules, patch);
    if (what == "property") return apply_to(&SpecFile::properties, patch);
    if (what == "scenario") return apply_to(&SpecFile::scenarios, patch);
    if (what == "define") return apply_to(&SpecFile::defines, patch);
    if (what == "table") return apply_to(&SpecFile::tables, patch);
    if (what == "relation") return apply_to(&SpecFile::relations, patch);
    if (what == "entity") return apply_to(&SpecFile::kinds, patch);
    if (what == "enum") return apply_to(&SpecFile::enums, patch);
    sink_.error(patch.range, fmt::format("internal error: cannot {} a `{}`", verb(patch.action), what),
                checking::code::kInternal);
  }

 private:
  // Two patches of one declaration would depend on their order: an error.
  bool first_patch(const PatchDecl& patch) {
    auto [it, inserted] = patched_.emplace(std::make_pair(patch.what, patch.name), patch.range);
    if (inserted) return true;
    Diagnostic& d = sink_.error(patch.range, fmt::format("{} `{}` is patched twice", patch.what, patch.name),
                                checking::code::kPatchTwice);
    d.notes.push_back({it->second, "first patched here"});
    d.help = "write one patch per declaration: a `replace` holds the whole new declaration";
    return false;
  }

  template <typename Decl>
  void apply_to(std::vector<Decl> SpecFile::*member, PatchDecl& patch) {
    auto [decls, index] = find(member, patch.name);
    if (!decls) return report_missing(member, patch);
    Decl& target = (*decls)[index];
    switch (patch.action) {
      case Action::Remove:
        decls->erase(decls->begin() + static_cast<std::ptrdiff_t>(index));
        return;
      case Action::Replace:
        target = std::move(((*patch.declaration).*member).front());
        return;
      case Action::Extend:
        extend(target, ((*patch.declaration).*member).front());
        return;
    }
  }

  template <typename Decl>
  std::pair<std::vector<Decl>*, std::size_t> find(std::vector<Decl> SpecFile::*member, const std::string& name) {
    for (SpecFile& file : files_) {
      std::vector<Decl>& decls = file.*member;
      for (std::size_t i = 0; i < decls.size(); ++i) {
        if (decls[i].name == name) return {&decls, i};
      }
    }
    return {nullptr, 0};
  }

  template <typename Decl>
  void report_missing(std::vector<Decl> SpecFile::*member, const PatchDecl& patch) {
    std::vector<std::string> names;
    for (const SpecFile& file : files_) {
      for (const Decl& decl : file.*member) names.push_back(decl.name);
    }
    Diagnostic& d = sink_.error(patch.range,
                                fmt::format("cannot {} {} `{}`: no {} of that name is declared", verb(patch.action),
                                            patch.what, patch.name, patch.what),
                                checking::code::kPatchTarget);
    std::string match = closest_match(patch.name, names);
    if (!match.empty()) {
      d.help = fmt::format("did you mean `{}`?", match);
    } else if (patch.action == Action::Replace) {
      d.help = fmt::format("a new {} is declared without `replace`", patch.what);
    }
  }

  void extend(EntityKind& kind, EntityKind& extension) {
    for (Attribute& attribute : extension.attributes) {
      int existing = kind.attribute_index(attribute.name);
      if (existing >= 0) {
        report_existing(attribute.range, fmt::format("entity `{}` already has an attribute `{}`", kind.name,
                                                     attribute.name),
                        kind.attributes[existing].range);
        continue;
      }
      kind.attributes.push_back(std::move(attribute));
    }
  }

  void extend(EnumDecl& decl, EnumDecl& extension) {
    if (extension.csv) {
      sink_.error(extension.csv->range, "`extend enum` takes values in braces, not `from` a CSV file",
                  checking::code::kPatchTarget);
      return;
    }
    for (std::size_t i = 0; i < extension.values.size(); ++i) {
      auto existing = std::find(decl.values.begin(), decl.values.end(), extension.values[i]);
      if (existing != decl.values.end()) {
        report_existing(extension.value_ranges[i],
                        fmt::format("enum `{}` already has a value `{}`", decl.name, extension.values[i]),
                        decl.value_ranges[static_cast<std::size_t>(existing - decl.values.begin())]);
        continue;
      }
      decl.values.push_back(extension.values[i]);
      decl.value_ranges.push_back(extension.value_ranges[i]);
    }
  }

  void extend(TableDecl& table, TableDecl& extension) {
    for (auto& row : extension.rows) table.rows.push_back(std::move(row));
  }

  // Only entities, enums and tables are extended (the parser allows no other).
  template <typename Decl>
  void extend(Decl& decl, Decl&) {
    sink_.error(decl.range, "internal error: this declaration cannot be extended", checking::code::kInternal);
  }

  void report_existing(SourceRange at, std::string message, SourceRange previous) {
    sink_.error(at, std::move(message), checking::code::kDuplicate)
        .notes.push_back({previous, "previous declaration is here"});
  }

  std::vector<SpecFile>& files_;
  DiagnosticSink& sink_;
  std::map<std::pair<std::string, std::string>, SourceRange> patched_;  // (what, name) -> first patch
};

}  // namespace

bool has_patches(const std::vector<SpecFile>& files) {
  return std::any_of(files.begin(), files.end(), [](const SpecFile& f) { return !f.patches.empty(); });
}

bool apply_patches(std::vector<SpecFile>& files, const SourceManager&, DiagnosticSink& sink) {
  if (!has_patches(files)) return true;
  // Taken out first: a patch applies to plain declarations only, never to another patch.
  std::vector<PatchDecl> patches;
  for (SpecFile& file : files) {
    std::move(file.patches.begin(), file.patches.end(), std::back_inserter(patches));
    file.patches.clear();
  }
  std::size_t errors_before = sink.error_count();
  Patcher patcher(files, sink);
  for (PatchDecl& patch : patches) patcher.apply(patch);
  return sink.error_count() == errors_before;
}

}  // namespace csp::model
