// The canonical layout (docs/fmt.md). Declarations are printed from the
// syntax tree in source order; comments are the text between tokens, and
// each is emitted before the first printed line whose source comes after it:
// on its own line when it stood on its own line, else at the end of the line
// printed last (the one holding the token it followed). Every choice below
// depends only on the tree and the comments, which is what makes fmt
// idempotent.
#include "model/format.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "model/frontend.h"
#include "model/lexer.h"

namespace csp::model {

namespace {

struct Comment {
  std::uint32_t begin = 0, end = 0;
  bool trailing = false;  // a token precedes it on its line
};

struct OutputLine {
  std::string code;
  std::string comment;  // trailing comments, aligned with the neighbours' when printed
};

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// `CSP-R13` and `CUS-1` parse back as written without quotes when the first
// piece is an identifier and the others identifiers or plain numbers, a
// number last only (parse_rule_reference glues `CSP` `-` `R13`; `X-2020-01-01`
// would lex a date).
std::string rule_reference(const std::string& text) {
  std::vector<std::string_view> pieces;
  for (std::size_t start = 0;;) {
    std::size_t dash = text.find('-', start);
    pieces.push_back(std::string_view(text).substr(start, dash == std::string::npos ? dash : dash - start));
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    std::string_view piece = pieces[i];
    bool number = i > 0 && i + 1 == pieces.size() && !piece.empty() && piece[0] != '0' &&
                  piece.find_first_not_of("0123456789") == std::string_view::npos;
    if (!number && (!is_identifier_spelling(piece) || is_keyword(piece))) return quoted(text);
  }
  return text;
}

std::string type_text(const TypeRef& type) { return type.name + (type.optional ? "?" : ""); }

std::string params_text(const std::vector<Param>& params) {
  std::vector<std::string> parts;
  for (const auto& p : params) parts.push_back(fmt::format("{}: {}", p.name, type_text(p.type)));
  return fmt::format("({})", fmt::join(parts, ", "));
}

// ------------------------------------------------------------ expressions

// Binding strength, loosest first (docs/language.md, "Formulas and expressions").
enum Level { kQuantifier, kIff, kImplies, kOr, kAnd, kUnary, kCompare, kSum, kPostfix, kPrimary };

bool is_not_in(const Expr& e) { return e.kind == ExprKind::Not && e.args[0]->kind == ExprKind::In; }

Level level(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Forall:
    case ExprKind::Exists: return kQuantifier;
    case ExprKind::Iff: return kIff;
    case ExprKind::Implies: return kImplies;
    case ExprKind::Or: return kOr;
    case ExprKind::And: return kAnd;
    case ExprKind::Not: return is_not_in(e) ? kCompare : kUnary;
    case ExprKind::Eq:
    case ExprKind::Ne:
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::In: return kCompare;
    case ExprKind::Add:
    case ExprKind::Sub: return kSum;
    case ExprKind::Dot:
    case ExprKind::Attr: return kPostfix;
    default: return kPrimary;
  }
}

// Where an operand of strength `least` is read. A quantifier's body runs as
// far right as it can, so a bare one is only readable where the grammar
// accepts a unary formula and nothing follows it (`rightmost`).
bool needs_parens(const Expr& e, Level least, bool rightmost) {
  if (level(e) == kQuantifier) return !(rightmost && least <= kUnary);
  return level(e) < least;
}

// `forall x, y: Partner, t: Transaction |`: neighbours over one kind share it.
std::string quantifier_head(const Expr& e) {
  std::vector<std::string> groups;
  for (std::size_t i = 0; i < e.bindings.size();) {
    std::size_t j = i;
    std::vector<std::string> names;
    while (j < e.bindings.size() && e.bindings[j].kind.name == e.bindings[i].kind.name) names.push_back(e.bindings[j++].name);
    groups.push_back(fmt::format("{}: {}", fmt::join(names, ", "), e.bindings[i].kind.name));
    i = j;
  }
  return fmt::format("{} {} |", e.kind == ExprKind::Forall ? "forall" : "exists", fmt::join(groups, ", "));
}

std::string flat(const Expr& e, Level least, bool rightmost);

std::string flat_args(const std::vector<ExprPtr>& args, std::size_t from = 0) {
  std::vector<std::string> parts;
  for (std::size_t i = from; i < args.size(); ++i) parts.push_back(flat(*args[i], kQuantifier, true));
  return fmt::format("{}", fmt::join(parts, ", "));
}

// `e` on one line, without the parentheses its context may need.
std::string flat_bare(const Expr& e, bool rightmost) {
  switch (e.kind) {
    case ExprKind::BoolLit: return e.value ? "true" : "false";
    case ExprKind::IntLit: return std::to_string(e.value);
    case ExprKind::DateLit: return format_date(e.value);
    case ExprKind::NoneLit: return "none";
    case ExprKind::Forall:
    case ExprKind::Exists: return quantifier_head(e) + " " + flat(*e.args[0], kQuantifier, true);
    case ExprKind::Iff:
      return fmt::format("{} iff {}", flat(*e.args[0], kIff, false), flat(*e.args[1], kImplies, rightmost));
    case ExprKind::Implies:
      return fmt::format("{} implies {}", flat(*e.args[0], kOr, false), flat(*e.args[1], kImplies, rightmost));
    case ExprKind::Or:
    case ExprKind::And: {
      Level operand = kUnary;  // `(a and b) or c`: an `and` inside an `or` keeps its parentheses, for the reader
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        parts.push_back(flat(*e.args[i], operand, rightmost && i + 1 == e.args.size()));
      }
      return fmt::format("{}", fmt::join(parts, fmt::format(" {} ", operator_text(e.kind))));
    }
    case ExprKind::Not:
      if (is_not_in(e)) {
        const Expr& in = *e.args[0];
        return fmt::format("{} not in {{{}}}", flat(*in.args[0], kSum, false), flat_args(in.args, 1));
      }
      return "not " + flat(*e.args[0], kUnary, rightmost);
    case ExprKind::In: return fmt::format("{} in {{{}}}", flat(*e.args[0], kSum, false), flat_args(e.args, 1));
    case ExprKind::Eq:
    case ExprKind::Ne:
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
      return fmt::format("{} {} {}", flat(*e.args[0], kSum, false), operator_text(e.kind), flat(*e.args[1], kSum, false));
    case ExprKind::Add:
    case ExprKind::Sub:
      return fmt::format("{} {} {}", flat(*e.args[0], kSum, false), operator_text(e.kind),
                         flat(*e.args[1], kPostfix, false));
    case ExprKind::Dot:
    case ExprKind::Attr: return fmt::format("{}.{}", flat(*e.args[0], kPostfix, false), e.name);
    case ExprKind::Closure:
      return fmt::format("{}{}({})", e.reflexive ? "*" : "^", e.name, flat_args(e.args));
    case ExprKind::Call:
    case ExprKind::RelationCall:
    case ExprKind::TableCall:
    case ExprKind::DefineCall: return fmt::format("{}({})", e.name, flat_args(e.args));
    default: return e.name;  // Name, Var, EnumValue, EntityName
  }
}

std::string flat(const Expr& e, Level least, bool rightmost) {
  if (needs_parens(e, least, rightmost)) return "(" + flat_bare(e, true) + ")";
  return flat_bare(e, rightmost);
}

// A literal of a table row, a scenario or an import (negative numbers allowed).
std::string literal_text(const Expr& e) { return flat_bare(e, true); }

// ------------------------------------------------------------ the printer

class Formatter {
 public:
  Formatter(std::string_view text, std::vector<Token> tokens)
      : text_(text), tokens_(std::move(tokens)) {
    find_comments();
  }

  std::string run(const SpecFile& file) {
    print_declarations(file);
    flush_comments(static_cast<std::uint32_t>(text_.size()), 0);
    return render();
  }

 private:
  // ---- source positions

  // The comments are whatever the lexer skipped that is not whitespace.
  void find_comments() {
    std::uint32_t from = text_.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    for (const Token& token : tokens_) {
      scan_gap(from, token.is(TokenKind::End) ? static_cast<std::uint32_t>(text_.size()) : token.range.begin);
      from = token.range.end;
    }
  }

  void scan_gap(std::uint32_t pos, std::uint32_t end) {
    while (pos < end) {
      char c = text_[pos];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++pos;
        continue;
      }
      std::uint32_t begin = pos;
      std::uint32_t stop;
      if (text_.compare(pos, 2, "//") == 0) {
        while (pos < end && text_[pos] != '\n') ++pos;
        stop = pos;
        while (stop > begin && text_[stop - 1] == '\r') --stop;  // a CRLF file's line ends
      } else {
        auto close = text_.find("*/", pos + 2);
        pos = close == std::string_view::npos ? end : static_cast<std::uint32_t>(close + 2);
        stop = pos;
      }
      comments_.push_back({begin, stop, token_precedes_on_line(begin)});
    }
  }

  bool token_precedes_on_line(std::uint32_t offset) const {
    for (std::uint32_t i = offset; i > 0; --i) {
      char c = text_[i - 1];
      if (c == '\n') return false;
      if (c != ' ' && c != '\t' && c != '\r') return true;  // a token, or a comment that follows one
    }
    return false;
  }

  bool blank_line_before(std::uint32_t offset) const {
    int newlines = 0;
    for (std::uint32_t i = offset; i > 0; --i) {
      char c = text_[i - 1];
      if (c == '\n') {
        if (++newlines == 2) return true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return false;
  }

  bool comment_between(std::uint32_t begin, std::uint32_t end) const {
    return std::any_of(comments_.begin(), comments_.end(),
                       [&](const Comment& c) { return c.begin > begin && c.begin < end; });
  }

  // The first token of `kind` that begins at or after `offset`.
  const Token& token_from(std::uint32_t offset, TokenKind kind) const {
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                               [](const Token& t, std::uint32_t at) { return t.range.begin < at; });
    while (it != tokens_.end() && !it->is(kind) && !it->is(TokenKind::End)) ++it;
    return it == tokens_.end() ? tokens_.back() : *it;
  }

  // The token just before the one that begins at `offset` (a declaration's keyword before its name).
  const Token& token_before(std::uint32_t offset) const {
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                               [](const Token& t, std::uint32_t at) { return t.range.begin < at; });
    return it == tokens_.begin() ? *it : *(it - 1);
  }

  // ---- output

  void flush_comments(std::uint32_t before, int indent) {
    while (next_comment_ < comments_.size() && comments_[next_comment_].begin < before) {
      const Comment& c = comments_[next_comment_++];
      std::string text(text_.substr(c.begin, c.end - c.begin));
      if (c.trailing && !lines_.empty() && !lines_.back().code.empty()) {
        std::string& slot = lines_.back().comment;
        slot += (slot.empty() ? "" : " ") + text;
        continue;
      }
      if (blank_allowed_ && blank_line_before(c.begin)) lines_.push_back({});
      lines_.push_back({std::string(indent, ' ') + text, ""});
      blank_allowed_ = true;
    }
  }

  // A line of code whose source starts at `anchor`. An `item` (a declaration,
  // a member of a braced list, a formula of a block) keeps one blank line
  // before it when its source had one.
  void line(std::uint32_t anchor, int indent, const std::string& text, bool item = false) {
    flush_comments(anchor, indent);
    if (item && blank_allowed_ && blank_line_before(anchor)) lines_.push_back({});
    lines_.push_back({std::string(indent, ' ') + text, ""});
    blank_allowed_ = true;
  }

  void open_block() { blank_allowed_ = false; }

  // `}` at `indent`, after the comments inside the block (indented as its members).
  void close_block(std::uint32_t brace, int indent, const std::string& text = "}") {
    flush_comments(brace, indent + 2);
    lines_.push_back({std::string(indent, ' ') + text, ""});
    blank_allowed_ = true;
  }

  bool fits(std::size_t width) const { return width <= static_cast<std::size_t>(kFormatWidth); }

  // Trailing comments of neighbouring lines line up two columns after the longest code among them.
  std::string render() {
    std::string out;
    for (std::size_t i = 0; i < lines_.size();) {
      std::size_t j = i;
      std::size_t column = 0;
      while (j < lines_.size() && !lines_[j].comment.empty()) column = std::max(column, lines_[j++].code.size());
      if (j == i) {
        out += lines_[i++].code + "\n";
        continue;
      }
      for (; i < j; ++i) {
        std::string code = lines_[i].code;
        code.resize(column, ' ');
        out += code + "  " + lines_[i].comment + "\n";
      }
    }
    // Whitespace-only lines (blank lines) carry no indentation.
    return out;
  }

  // ---- expressions over several lines

  // `e` from a line at `indent` starting with `prefix`, its last line ending with `suffix`.
  void expr_lines(const Expr& e, int indent, const std::string& prefix, const std::string& suffix, Level least,
                  bool rightmost, bool item = false) {
    std::string one = flat(e, least, rightmost);
    if (fits(indent + prefix.size() + one.size() + suffix.size()) && !comment_between(e.range.begin, e.range.end)) {
      line(e.range.begin, indent, prefix + one + suffix, item);
      return;
    }
    if (needs_parens(e, least, rightmost)) {
      broken(e, indent, prefix + "(", ")" + suffix, true, item);
    } else {
      broken(e, indent, prefix, suffix, rightmost, item);
    }
  }

  void broken(const Expr& e, int indent, const std::string& prefix, const std::string& suffix, bool rightmost,
              bool item) {
    int start = indent + static_cast<int>(prefix.size());
    switch (e.kind) {
      case ExprKind::Forall:
      case ExprKind::Exists:
        line(e.range.begin, indent, prefix + quantifier_head(e), item);
        expr_lines(*e.args[0], start + 2, "", suffix, kQuantifier, true);
        return;
      case ExprKind::Implies:
        expr_lines(*e.args[0], indent, prefix, " implies", kOr, false, item);
        expr_lines(*e.args[1], start + 2, "", suffix, kImplies, rightmost);
        return;
      case ExprKind::Iff:
        expr_lines(*e.args[0], indent, prefix, " iff", kIff, false, item);
        expr_lines(*e.args[1], start, "", suffix, kImplies, rightmost);
        return;
      case ExprKind::And:
      case ExprKind::Or: {
        Level operand = kUnary;  // as in flat_bare
        std::string op = fmt::format("{} ", operator_text(e.kind));
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          bool last = i + 1 == e.args.size();
          expr_lines(*e.args[i], i == 0 ? indent : start, i == 0 ? prefix : op, last ? suffix : "", operand,
                     rightmost && last, item && i == 0);
        }
        return;
      }
      case ExprKind::Not:
        if (!is_not_in(e)) {
          expr_lines(*e.args[0], indent, prefix + "not ", suffix, kUnary, rightmost, item);
          return;
        }
        break;
      default: break;
    }
    line(e.range.begin, indent, prefix + flat_bare(e, rightmost) + suffix, item);
  }

  // ---- braced lists

  struct Member {
    std::uint32_t anchor;
    std::string text;                             // on one line
    std::function<void(int indent)> multiline;    // when it needs several lines (else `text`)
  };

  // `head { a, b }` when that fits on one line with no comment inside, else
  // one member per line; `always_lines`: one member per line in any case.
  void braced(std::uint32_t anchor, int indent, const std::string& head, std::uint32_t open, std::uint32_t close,
              const std::vector<Member>& members, bool always_lines, bool item = true, int body_indent = -1) {
    if (body_indent < 0) body_indent = indent;  // an import's continued head: members and `}` at column 0
    std::vector<std::string> texts;
    bool single = !always_lines;
    for (const auto& m : members) texts.push_back(m.text);
    std::string one = members.empty() ? head + " {}" : fmt::format("{} {{ {} }}", head, fmt::join(texts, ", "));
    if (members.empty() || (single && fits(indent + one.size()) && !comment_between(open, close))) {
      line(anchor, indent, one, item);
      return;
    }
    line(anchor, indent, head + " {", item);
    open_block();
    for (const auto& m : members) {
      if (m.multiline) {
        m.multiline(body_indent + 2);
      } else {
        line(m.anchor, body_indent + 2, m.text, true);
      }
    }
    close_block(close, body_indent);
  }

  // ---- declarations

  void print_declarations(const SpecFile& file) {
    std::vector<std::pair<std::uint32_t, std::function<void()>>> decls;
    collect(file, "", decls);
    for (const auto& patch : file.patches) {
      decls.emplace_back(patch.action_range.begin, [this, &patch] { print_patch(patch); });
    }
    std::stable_sort(decls.begin(), decls.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [begin, print] : decls) print();
  }

  // Every declaration of `file` with where it starts; `prefix` (a patch's
  // action word) goes before its keyword.
  void collect(const SpecFile& file, const std::string& prefix,
               std::vector<std::pair<std::uint32_t, std::function<void()>>>& decls) {
    auto keyword_of = [this](SourceRange name) { return token_before(name.begin).range.begin; };
    for (const auto& d : file.includes) {
      decls.emplace_back(keyword_of(d.range), [=, this, &d] { line(keyword_of(d.range), 0, prefix + "include " + quoted(d.path), true); });
    }
    for (const auto& d : file.enums) decls.emplace_back(keyword_of(d.range), [=, this, &d] { print_enum(d, keyword_of(d.range), prefix); });
    for (const auto& d : file.kinds) decls.emplace_back(keyword_of(d.range), [=, this, &d] { print_entity(d, keyword_of(d.range), prefix); });
    for (const auto& d : file.relations) {
      decls.emplace_back(keyword_of(d.range), [=, this, &d] {
        line(keyword_of(d.range), 0, fmt::format("{}relation {}{}", prefix, d.name, params_text(d.params)), true);
      });
    }
    for (const auto& d : file.tables) {
      std::uint32_t begin = d.extent.valid() ? d.extent.begin : keyword_of(d.range);
      decls.emplace_back(begin, [=, this, &d] { print_table(d, begin, prefix); });
    }
    for (const auto& d : file.defines) decls.emplace_back(d.extent.begin, [=, this, &d] { print_define(d, prefix); });
    for (const auto& d : file.rules) decls.emplace_back(d.extent.begin, [=, this, &d] { print_formula(d, "rule", prefix); });
    for (const auto& d : file.properties) {
      decls.emplace_back(d.extent.begin, [=, this, &d] { print_formula(d, "property", prefix); });
    }
    for (const auto& d : file.scenarios) decls.emplace_back(d.extent.begin, [=, this, &d] { print_scenario(d, prefix); });
    for (const auto& d : file.scopes) {
      std::uint32_t begin = d.kind.empty() ? d.range.begin : keyword_of(d.range);
      decls.emplace_back(begin, [=, this, &d] {
        line(begin, 0, d.kind.empty() ? fmt::format("{}scope {}", prefix, d.size)
                                      : fmt::format("{}scope {} {}", prefix, d.kind, d.size), true);
      });
    }
    for (const auto& d : file.imports) decls.emplace_back(keyword_of(d.range), [=, this, &d] { print_import(d, keyword_of(d.range), prefix); });
  }

  void print_patch(const PatchDecl& patch) {
    const char* action = patch.action == PatchDecl::Action::Extend    ? "extend"
                         : patch.action == PatchDecl::Action::Replace ? "replace"
                                                                      : "remove";
    if (!patch.declaration) {
      line(patch.action_range.begin, 0, fmt::format("remove {} {}", patch.what, patch.name), true);
      return;
    }
    std::vector<std::pair<std::uint32_t, std::function<void()>>> inner;
    collect(*patch.declaration, fmt::format("{} ", action), inner);
    // The inner declaration's first line is anchored at its keyword, after the
    // action word: the comments and the blank line before the patch go first.
    flush_comments(patch.action_range.begin, 0);
    if (blank_allowed_ && blank_line_before(patch.action_range.begin)) lines_.push_back({});
    for (const auto& [begin, print] : inner) print();
  }

  void print_enum(const EnumDecl& d, std::uint32_t begin, const std::string& prefix) {
    std::string head = fmt::format("{}enum {}", prefix, d.name);
    if (d.csv) {
      line(begin, 0, fmt::format("{} from {} column {}", head, quoted(d.csv->path), d.csv->columns.front()), true);
      return;
    }
    std::vector<Member> members;
    for (std::size_t i = 0; i < d.values.size(); ++i) members.push_back({d.value_ranges[i].begin, d.values[i], {}});
    std::uint32_t open = token_from(d.range.end, TokenKind::LBrace).range.begin;
    std::uint32_t close = token_from(open + 1, TokenKind::RBrace).range.begin;
    braced(begin, 0, head, open, close, members, false);
  }

  void print_entity(const EntityKind& d, std::uint32_t begin, const std::string& prefix) {
    std::vector<Member> members;
    for (const auto& a : d.attributes) {
      members.push_back({a.range.begin, fmt::format("{}: {}{}", a.name, type_text(a.type), a.fixed ? " fixed" : ""), {}});
    }
    std::uint32_t open = token_from(d.range.end, TokenKind::LBrace).range.begin;
    std::uint32_t close = token_from(open + 1, TokenKind::RBrace).range.begin;
    braced(begin, 0, fmt::format("{}entity {}", prefix, d.name), open, close, members, true);
  }

  void print_table(const TableDecl& d, std::uint32_t begin, const std::string& prefix) {
    std::string head = fmt::format("{}table {}{}", prefix, d.name, d.params.empty() ? "" : params_text(d.params));
    if (d.csv) {
      line(begin, 0, fmt::format("{} from {}", head, quoted(d.csv->path)), true);
      return;
    }
    std::vector<Member> members;
    for (const auto& row : d.rows) {
      std::vector<std::string> cells;
      for (const auto& cell : row.cells) cells.push_back(literal_text(*cell));
      members.push_back({row.range.begin, fmt::format("({})", fmt::join(cells, ", ")), {}});
    }
    std::uint32_t after_head = d.params.empty() ? d.range.end : d.params.back().type.range.end;
    std::uint32_t open = token_from(after_head, TokenKind::LBrace).range.begin;
    std::uint32_t close = token_from(d.rows.empty() ? open + 1 : d.rows.back().range.end, TokenKind::RBrace).range.begin;
    braced(begin, 0, head, open, close, members, false);
  }

  void print_define(const DefineDecl& d, const std::string& prefix) {
    std::string head = fmt::format("{}define {}{} =", prefix, d.name, params_text(d.params));
    std::string body = flat(*d.body, kQuantifier, true);
    if (fits(head.size() + 1 + body.size()) && !comment_between(d.extent.begin, d.extent.end)) {
      line(d.extent.begin, 0, head + " " + body, true);
      return;
    }
    line(d.extent.begin, 0, head, true);
    expr_lines(*d.body, 2, "", "", kQuantifier, true);
  }

  // `rule NAME "description" source "ID" {` on one line when it fits, else one part per line.
  void print_header(std::uint32_t begin, const std::string& head, const std::string& description,
                    const std::string& source, std::uint32_t open, const MessageTemplate* message = nullptr) {
    std::vector<std::string> parts{head};
    if (!description.empty()) parts.push_back(quoted(description));
    if (!source.empty()) parts.push_back("source " + quoted(source));
    if (message) parts.push_back("message \"" + message->written + "\"");  // as written: its holes keep their columns
    std::string one = fmt::format("{} {{", fmt::join(parts, " "));
    if (fits(one.size()) && !comment_between(begin, open)) {
      line(begin, 0, one, true);
    } else {
      line(begin, 0, parts[0], true);
      for (std::size_t i = 1; i < parts.size(); ++i) line(begin, 2, parts[i]);
      line(open, 0, "{");
    }
    open_block();
  }

  bool empty_block(const Expr& body) const {
    return body.kind == ExprKind::BoolLit && body.range.begin < text_.size() && text_[body.range.begin] == '{';
  }

  void print_formula(const FormulaDecl& d, const char* what, const std::string& prefix) {
    std::uint32_t open = token_from(d.range.end, TokenKind::LBrace).range.begin;
    print_header(d.extent.begin, fmt::format("{}{} {}", prefix, what, d.name), d.description, d.source, open,
                 d.message ? &*d.message : nullptr);
    const Expr& body = *d.body;
    std::uint32_t close;
    if (empty_block(body)) {
      close = body.range.end - 1;
    } else {
      close = token_from(body.range.end, TokenKind::RBrace).range.begin;
      for (const Expr* formula : block_formulas(body, open)) {
        expr_lines(*formula, 2, "", "", kQuantifier, true, true);
      }
    }
    close_block(close, 0);
    if (d.expect != FormulaDecl::Expect::None) {
      line(d.expect_range.begin, 0, d.expect == FormulaDecl::Expect::Proved ? "expect proved" : "expect violated");
    }
  }

  // A block `{ f1 f2 }` parses as `f1 and f2`; it is printed as a block
  // when no `and` was written between the formulas.
  std::vector<const Expr*> block_formulas(const Expr& body, std::uint32_t open) const {
    if (body.kind != ExprKind::And) return {&body};
    for (std::size_t i = 0; i + 1 < body.args.size(); ++i) {
      const Token& next = token_from(body.args[i]->range.end, TokenKind::Keyword);
      if (next.is_keyword("and") && next.range.begin < body.args[i + 1]->range.begin) return {&body};
    }
    std::vector<const Expr*> formulas;
    for (const auto& arg : body.args) formulas.push_back(arg.get());
    return formulas;
  }

  void print_scenario(const ScenarioDecl& d, const std::string& prefix) {
    std::uint32_t open = token_from(d.range.end, TokenKind::LBrace).range.begin;
    print_header(d.extent.begin, fmt::format("{}scenario {}", prefix, d.name), d.description, d.source, open);
    std::vector<std::pair<std::uint32_t, std::function<void()>>> items;
    for (const auto& entity : d.entities) items.emplace_back(entity.range.begin, [this, &entity] { print_scenario_entity(entity); });
    for (const auto& fact : d.facts) {
      items.emplace_back(fact.range.begin, [this, &fact] {
        line(fact.range.begin, 2, fmt::format("{}({})", fact.relation, flat_args(fact.args)), true);
      });
    }
    if (d.expect != ScenarioDecl::Expect::None) {
      items.emplace_back(d.expect_range.begin, [this, &d] { print_scenario_expect(d); });
    }
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [begin, print] : items) print();
    close_block(d.extent.end - 1, 0);
  }

  void print_scenario_expect(const ScenarioDecl& d) {
    std::string text = d.expect == ScenarioDecl::Expect::Allowed ? "expect allowed" : "expect forbidden";
    std::vector<std::string> names;
    for (const auto& name : d.expect_by) names.push_back(rule_reference(name));
    if (!names.empty()) text += fmt::format(" by {}", fmt::join(names, ", "));
    line(d.expect_range.begin, 2, text, true);
  }

  // `Name: Kind { a = 1, b = 2 }`; when that is too long, the assignments
  // fill as few lines as they must, aligned after the `{ `, as evenly as
  // those lines allow; a comment between two of them starts a new line.
  void print_scenario_entity(const ScenarioEntity& entity) {
    std::string head = fmt::format("{}: {}", entity.name, entity.kind.name);
    if (entity.assignments.empty()) {
      line(entity.range.begin, 2, head, true);
      return;
    }
    std::vector<std::string> pieces;
    std::vector<bool> forced;  // a comment before it: it starts a line
    for (std::size_t i = 0; i < entity.assignments.size(); ++i) {
      const auto& a = entity.assignments[i];
      bool last = i + 1 == entity.assignments.size();
      pieces.push_back(fmt::format("{} = {}{}", a.attribute, literal_text(*a.value), last ? " }" : ","));
      forced.push_back(i > 0 && comment_between(entity.assignments[i - 1].value->range.end, a.range.begin));
    }
    std::size_t align = 2 + head.size() + 3;
    std::vector<bool> breaks = fill(pieces, forced, align, kFormatWidth);
    auto count = [](const std::vector<bool>& b) { return std::count(b.begin(), b.end(), true); };
    for (int width = kFormatWidth - 1; width > static_cast<int>(align); --width) {
      std::vector<bool> narrower = fill(pieces, forced, align, width);
      if (count(narrower) != count(breaks)) break;
      breaks = narrower;
    }
    std::string current = head + " {";
    std::uint32_t anchor = entity.range.begin;
    bool first_line = true;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      if (breaks[i]) {
        line(anchor, first_line ? 2 : static_cast<int>(align), current, first_line);
        first_line = false;
        current.clear();
        anchor = entity.assignments[i].range.begin;
      }
      current += current.empty() ? pieces[i] : " " + pieces[i];
    }
    line(anchor, first_line ? 2 : static_cast<int>(align), current, first_line);
  }

  // Greedy line filling: which pieces start a new line (at column `align`)
  // so that lines stay within `width` where a piece allows.
  static std::vector<bool> fill(const std::vector<std::string>& pieces, const std::vector<bool>& forced,
                                std::size_t align, int width) {
    std::vector<bool> breaks(pieces.size(), false);
    std::size_t column = align - 1;  // the first line: after `Name: Kind {`
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      if (i > 0 && (forced[i] || column + 1 + pieces[i].size() > static_cast<std::size_t>(width))) {
        breaks[i] = true;
        column = align + pieces[i].size();
      } else {
        column += 1 + pieces[i].size();
      }
    }
    return breaks;
  }

  void print_import(const ImportDecl& d, std::uint32_t begin, const std::string& prefix) {
    std::string head = fmt::format("{}import {} from {}", prefix, d.target, quoted(d.path));
    std::vector<std::pair<std::uint32_t, std::string>> options;
    if (d.items_range.valid()) options.emplace_back(d.items_range.begin, "items " + quoted(d.items));
    if (d.key_range.valid()) options.emplace_back(d.key_range.begin, (d.join ? "join " : "key ") + quoted(d.key));
    if (d.partition_range.valid()) options.emplace_back(d.partition_range.begin, "partition " + quoted(d.partition));
    for (const auto& f : d.filters) {
      options.emplace_back(f.range.begin, fmt::format("where {} {} {}", quoted(f.field), f.equal ? "==" : "!=", quoted(f.text)));
    }
    std::stable_sort(options.begin(), options.end());
    std::uint32_t open = token_from(options.empty() ? d.path_range.end : last_option_end(d), TokenKind::LBrace).range.begin;
    std::vector<Member> members;
    std::uint32_t end = open + 1;
    for (const auto& a : d.assignments) {
      members.push_back(import_member(a));
      end = assignment_end(a);
    }
    // Options that do not fit after the path go on lines of their own, indented twice.
    std::vector<std::string> lines{head};
    for (const auto& [at, text] : options) {
      if (fits(lines.back().size() + 1 + text.size() + 2)) {
        lines.back() += " " + text;
      } else {
        lines.push_back("    " + text);
      }
    }
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) line(begin, 0, lines[i], i == 0);
    std::string last = lines.back();
    bool continued = lines.size() > 1;
    if (continued) last.erase(0, 4);
    braced(begin, continued ? 4 : 0, last, open, token_from(end, TokenKind::RBrace).range.begin, members, true,
           !continued, 0);
  }

  std::uint32_t last_option_end(const ImportDecl& d) const {
    std::uint32_t end = std::max({d.items_range.end, d.key_range.end, d.partition_range.end});
    for (const auto& f : d.filters) end = std::max(end, f.range.end);
    return end;
  }

  std::uint32_t assignment_end(const ImportAssignment& a) const {
    const ImportValue& v = a.value;
    if (!v.map.empty()) return token_from(v.map.back().value->range.end, TokenKind::RBrace).range.end;
    if (v.constant) return v.constant->range.end;
    return v.field_ranges.empty() ? a.range.end : v.field_ranges.back().end;
  }

  Member import_member(const ImportAssignment& a) {
    const ImportValue& v = a.value;
    std::string head = a.target + " = ";
    if (v.constant) return {a.range.begin, head + literal_text(*v.constant), {}};
    std::vector<std::string> fields;
    for (const auto& field : v.fields) fields.push_back(quoted(field));
    head += fmt::format("{}", fmt::join(fields, " else "));
    if (v.map.empty()) return {a.range.begin, head, {}};
    std::vector<Member> entries;
    for (const auto& entry : v.map) {
      entries.push_back({entry.range.begin, fmt::format("{}: {}", quoted(entry.text), literal_text(*entry.value)), {}});
    }
    std::vector<std::string> texts;
    for (const auto& entry : entries) texts.push_back(entry.text);
    std::uint32_t open = token_from(v.field_ranges.back().end, TokenKind::LBrace).range.begin;
    std::uint32_t close = token_from(v.map.back().value->range.end, TokenKind::RBrace).range.begin;
    std::string one = fmt::format("{} {{ {} }}", head, fmt::join(texts, ", "));
    Member member{a.range.begin, one, {}};
    member.multiline = [this, anchor = a.range.begin, head, open, close, entries](int indent) {
      braced(anchor, indent, head, open, close, entries, false);
    };
    return member;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::vector<Comment> comments_;
  std::size_t next_comment_ = 0;
  std::vector<OutputLine> lines_;
  bool blank_allowed_ = false;  // no blank line at the start of the file or of a block
};

}  // namespace

std::optional<std::string> format_file(const SourceManager& sources, int file, DiagnosticSink& sink) {
  std::size_t errors_before = sink.error_count();
  SpecFile parsed = parse(sources, file, sink);
  if (sink.error_count() > errors_before) return std::nullopt;
  LexResult lexed = tokenize(sources.text(file), file);
  std::string formatted = Formatter(sources.text(file), std::move(lexed.tokens)).run(parsed);
  // As black does: the output must mean what the input meant, or nothing is written.
  SourceManager again;
  DiagnosticSink ignored;
  SpecFile reparsed = parse(again, again.add(sources.path(file), formatted), ignored);
  if (ignored.has_errors() || dump_syntax(reparsed) != dump_syntax(parsed)) {
    throw FormatError(fmt::format("formatting {} would change what it declares; it is left as it is", sources.path(file)));
  }
  return formatted;
}

}  // namespace csp::model
