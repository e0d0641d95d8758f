#include "template/parser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "template/go_number.h"
#include "template/go_quote.h"
#include "template/lexer.h"

namespace berth::tmpl {
namespace {

// Nesting of parenthesised pipelines and of control structures. Go allows 10000 parentheses
// (goroutine stacks grow); parsing and executing recurse on a fixed thread stack here.
constexpr int kMaxDepth = 1000;

std::vector<std::string> split_dots(std::string_view s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot = s.find('.'); dot != std::string_view::npos; dot = s.find('.', start)) {
    parts.emplace_back(s.substr(start, dot - start));
    start = dot + 1;
  }
  parts.emplace_back(s.substr(start));
  return parts;
}

struct Control {
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view name, const FunctionMap& functions)
      : tokens_(lex(text)), name_(name), functions_(functions) {
    // Trailing EOFs let lookahead run past the end as Go's lexer does (it repeats EOF).
    Token eof = tokens_.back();
    if (eof.kind == TokenKind::kError) eof.kind = TokenKind::kEof;
    for (int i = 0; i < 4; ++i) tokens_.push_back(eof);
  }

  Result<std::unique_ptr<ListNode>> parse() {
    auto root = std::make_unique<ListNode>(peek().pos);
    while (peek().kind != TokenKind::kEof) {
      if (peek().kind == TokenKind::kLeftDelim) {
        size_t delim = idx_;
        next();
        if (next_non_space().kind == TokenKind::kDefine) {
          return errorf("{{define}} is not supported");
        }
        idx_ = delim;
      }
      NodePtr n = TRY(text_or_action());
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        return errorf("unexpected " + n->str());
      }
      root->nodes.push_back(std::move(n));
    }
    return root;
  }

 private:
  // Token stream. `seen_` is the furthest token read: Go reports the line of the newest token
  // its lexer produced.
  const Token& next() {
    seen_ = std::max(seen_, idx_);
    return tokens_[idx_++];
  }
  void backup() { --idx_; }
  const Token& peek() {
    seen_ = std::max(seen_, idx_);
    return tokens_[idx_];
  }
  const Token& next_non_space() {
    while (peek().kind == TokenKind::kSpace) ++idx_;
    return next();
  }
  const Token& peek_non_space() {
    while (peek().kind == TokenKind::kSpace) ++idx_;
    return peek();
  }

  Error errorf(const std::string& message) {
    return Error(ErrorCode::kInvalidArgument,
                 "template: " + name_ + ":" + std::to_string(tokens_[seen_].line) + ": " + message);
  }

  Error unexpected(const Token& token, std::string_view context) {
    if (token.kind == TokenKind::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != token.line) {
        extra = " in action started at " + name_ + ":" + std::to_string(action_line_);
        if (token.text.ends_with(" action")) extra = extra.substr(std::string(" in action").size());
      }
      return errorf(token.text + extra);
    }
    return errorf("unexpected " + describe_token(token) + " in " + std::string(context));
  }

  Result<const Token*> expect(TokenKind kind, std::string_view context) {
    const Token& token = next_non_space();
    if (token.kind != kind) return unexpected(token, context);
    return &token;
  }

  // itemList: text and actions up to an {{end}} or {{else}}, which is returned separately.
  Result<std::pair<std::unique_ptr<ListNode>, NodePtr>> item_list() {
    auto list = std::make_unique<ListNode>(peek_non_space().pos);
    while (peek_non_space().kind != TokenKind::kEof) {
      NodePtr n = TRY(text_or_action());
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        return std::make_pair(std::move(list), std::move(n));
      }
      list->nodes.push_back(std::move(n));
    }
    return errorf("unexpected EOF");
  }

  Result<NodePtr> text_or_action() {
    const Token& token = next_non_space();
    if (token.kind == TokenKind::kText)
      return NodePtr(std::make_unique<TextNode>(token.pos, token.text));
    if (token.kind == TokenKind::kLeftDelim) {
      action_line_ = token.line;
      Result<NodePtr> n = action();
      action_line_ = 0;
      return n;
    }
    return unexpected(token, "input");
  }

  Result<NodePtr> action() {
    const Token& token = next_non_space();
    switch (token.kind) {
      case TokenKind::kBlock: return errorf("{{block}} is not supported");
      case TokenKind::kTemplate: return errorf("{{template}} is not supported");
      case TokenKind::kBreak: return loop_control(NodeType::kBreak, token, "{{break}}");
      case TokenKind::kContinue: return loop_control(NodeType::kContinue, token, "{{continue}}");
      case TokenKind::kElse: return else_control();
      case TokenKind::kEnd: return end_control();
      case TokenKind::kIf: return branch(NodeType::kIf, "if");
      case TokenKind::kRange: return branch(NodeType::kRange, "range");
      case TokenKind::kWith: return branch(NodeType::kWith, "with");
      default: break;
    }
    backup();
    const Token& first = peek();
    size_t pos = first.pos;
    int line = first.line;
    // Variables an action declares persist until the enclosing {{end}}.
    std::unique_ptr<PipeNode> pipe = TRY(pipeline("command", TokenKind::kRightDelim));
    return NodePtr(std::make_unique<ActionNode>(pos, line, std::move(pipe)));
  }

  Result<NodePtr> loop_control(NodeType type, const Token& keyword, std::string_view name) {
    size_t pos = keyword.pos;
    int line = keyword.line;
    const Token& token = next_non_space();
    if (token.kind != TokenKind::kRightDelim) return unexpected(token, name);
    if (range_depth_ == 0) return errorf(std::string(name) + " outside {{range}}");
    return NodePtr(std::make_unique<KeywordNode>(type, pos, line));
  }

  Result<std::unique_ptr<PipeNode>> pipeline(std::string_view context, TokenKind end) {
    const Token& start = peek_non_space();
    auto pipe = std::make_unique<PipeNode>(start.pos, start.line);
    // Declarations: "$x :=", "$x =", and range's "$i, $v :=".
    for (;;) {
      const Token& v = peek_non_space();
      if (v.kind != TokenKind::kVariable) break;
      size_t at = idx_;
      next();
      const Token& after = peek_non_space();
      if (after.kind == TokenKind::kAssign || after.kind == TokenKind::kDeclare) {
        pipe->is_assign = after.kind == TokenKind::kAssign;
        next_non_space();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, split_dots(v.text)));
        vars_.push_back(v.text);
        break;
      }
      if (after.kind == TokenKind::kChar && after.text == ",") {
        next_non_space();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, split_dots(v.text)));
        vars_.push_back(v.text);
        if (context == "range" && pipe->decl.size() < 2) {
          TokenKind k = peek_non_space().kind;
          if (k == TokenKind::kVariable || k == TokenKind::kRightDelim ||
              k == TokenKind::kRightParen) {
            continue;  // the second variable of a range
          }
          return errorf("range can only initialize variables");
        }
        return errorf("too many declarations in " + std::string(context));
      }
      idx_ = at;  // a variable used as an operand, not declared
      break;
    }
    for (;;) {
      const Token& token = next_non_space();
      if (token.kind == end) {
        TRY(check_pipeline(*pipe, context));
        return pipe;
      }
      switch (token.kind) {
        case TokenKind::kBool:
        case TokenKind::kCharConstant:
        case TokenKind::kComplex:
        case TokenKind::kDot:
        case TokenKind::kField:
        case TokenKind::kIdentifier:
        case TokenKind::kNumber:
        case TokenKind::kNil:
        case TokenKind::kRawString:
        case TokenKind::kString:
        case TokenKind::kVariable:
        case TokenKind::kLeftParen: {
          backup();
          pipe->cmds.push_back(TRY(command()));
          break;
        }
        default: return unexpected(token, context);
      }
    }
  }

  Status check_pipeline(const PipeNode& pipe, std::string_view context) {
    if (pipe.cmds.empty()) return errorf("missing value for " + std::string(context));
    // Only the first command may start with a value that is not executable.
    for (size_t i = 1; i < pipe.cmds.size(); ++i) {
      switch (pipe.cmds[i]->args[0]->type) {
        case NodeType::kBool:
        case NodeType::kDot:
        case NodeType::kNil:
        case NodeType::kNumber:
        case NodeType::kString:
          return errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default: break;
      }
    }
    return ok_status();
  }

  Result<Control> parse_control(std::string_view context) {
    if (depth_ >= kMaxDepth) return errorf("max nesting depth exceeded");
    ++depth_;
    Result<Control> c = parse_control_body(context);
    --depth_;
    return c;
  }

  Result<Control> parse_control_body(std::string_view context) {
    size_t vars_mark = vars_.size();
    Control c;
    c.pipe = TRY(pipeline(context, TokenKind::kRightDelim));
    if (context == "range") ++range_depth_;
    auto [list, next_node] = TRY(item_list());
    if (context == "range") --range_depth_;
    c.list = std::move(list);
    if (next_node->type == NodeType::kElse) {
      // "{{else if x}}" is "{{else}}{{if x}}...{{end}}" whose {{end}} is shared; the same for
      // "{{else with x}}".
      if (context == "if" && peek().kind == TokenKind::kIf) {
        next();
        c.else_list = std::make_unique<ListNode>(next_node->pos);
        c.else_list->nodes.push_back(TRY(branch(NodeType::kIf, "if")));
      } else if (context == "with" && peek().kind == TokenKind::kWith) {
        next();
        c.else_list = std::make_unique<ListNode>(next_node->pos);
        c.else_list->nodes.push_back(TRY(branch(NodeType::kWith, "with")));
      } else {
        auto [else_list, end] = TRY(item_list());
        if (end->type != NodeType::kEnd) return errorf("expected end; found " + end->str());
        c.else_list = std::move(else_list);
      }
    }
    vars_.resize(vars_mark);
    return c;
  }

  Result<NodePtr> branch(NodeType type, std::string_view context) {
    Control c = TRY(parse_control(context));
    size_t pos = c.pipe->pos;
    int line = c.pipe->line;
    return NodePtr(std::make_unique<BranchNode>(type, pos, line, std::move(c.pipe),
                                                std::move(c.list), std::move(c.else_list)));
  }

  Result<NodePtr> end_control() {
    const Token* token = TRY(expect(TokenKind::kRightDelim, "end"));
    return NodePtr(std::make_unique<KeywordNode>(NodeType::kEnd, token->pos, token->line));
  }

  Result<NodePtr> else_control() {
    const Token& peeked = peek_non_space();
    if (peeked.kind == TokenKind::kIf || peeked.kind == TokenKind::kWith) {
      // Leave "if"/"with" for parse_control to read.
      return NodePtr(std::make_unique<KeywordNode>(NodeType::kElse, peeked.pos, peeked.line));
    }
    const Token* token = TRY(expect(TokenKind::kRightDelim, "else"));
    return NodePtr(std::make_unique<KeywordNode>(NodeType::kElse, token->pos, token->line));
  }

  // command: operands separated by spaces, up to '|', ')' or the right delimiter.
  Result<std::unique_ptr<CommandNode>> command() {
    auto cmd = std::make_unique<CommandNode>(peek_non_space().pos);
    for (;;) {
      peek_non_space();
      NodePtr operand_node = TRY(operand());
      if (operand_node) cmd->args.push_back(std::move(operand_node));
      const Token& token = next();
      if (token.kind == TokenKind::kSpace) continue;
      if (token.kind == TokenKind::kRightDelim || token.kind == TokenKind::kRightParen) {
        backup();
      } else if (token.kind != TokenKind::kPipe) {
        return unexpected(token, "operand");
      }
      break;
    }
    if (cmd->args.empty()) return errorf("empty command");
    return cmd;
  }

  // operand: a term, possibly followed by .Field accesses.
  Result<NodePtr> operand() {
    NodePtr node = TRY(term());
    if (!node || peek().kind != TokenKind::kField) return node;
    auto chain = std::make_unique<ChainNode>(peek().pos, nullptr);
    while (peek().kind == TokenKind::kField) chain->field.push_back(next().text.substr(1));
    size_t pos = chain->pos;
    switch (node->type) {
      case NodeType::kField: {
        chain->node = std::move(node);
        std::string text = chain->str();
        return NodePtr(
            std::make_unique<FieldNode>(pos, split_dots(std::string_view(text).substr(1))));
      }
      case NodeType::kVariable: {
        chain->node = std::move(node);
        return NodePtr(std::make_unique<VariableNode>(pos, split_dots(chain->str())));
      }
      case NodeType::kBool:
      case NodeType::kString:
      case NodeType::kNumber:
      case NodeType::kNil:
      case NodeType::kDot: return errorf("unexpected . after term " + go_quote(node->str()));
      default: chain->node = std::move(node); return NodePtr(std::move(chain));
    }
  }

  // term: a literal, function name, '.', .Field, $var or parenthesised pipeline; null when
  // the next token is none of these.
  Result<NodePtr> term() {
    const Token& token = next_non_space();
    switch (token.kind) {
      case TokenKind::kIdentifier:
        if (functions_.find(token.text) == functions_.end()) {
          return errorf("function " + go_quote(token.text) + " not defined");
        }
        return NodePtr(std::make_unique<IdentifierNode>(token.pos, token.text));
      case TokenKind::kDot: return NodePtr(std::make_unique<DotNode>(token.pos));
      case TokenKind::kNil: return NodePtr(std::make_unique<NilNode>(token.pos));
      case TokenKind::kVariable: return use_var(token.pos, token.text);
      case TokenKind::kField:
        return NodePtr(std::make_unique<FieldNode>(
            token.pos, split_dots(std::string_view(token.text).substr(1))));
      case TokenKind::kBool:
        return NodePtr(std::make_unique<BoolNode>(token.pos, token.text == "true"));
      case TokenKind::kCharConstant:
      case TokenKind::kComplex:
      case TokenKind::kNumber: return number(token);
      case TokenKind::kLeftParen: {
        if (depth_ >= kMaxDepth) return errorf("max expression depth exceeded");
        ++depth_;
        Result<std::unique_ptr<PipeNode>> pipe =
            pipeline("parenthesized pipeline", TokenKind::kRightParen);
        --depth_;
        if (!pipe.ok()) return std::move(pipe).error();
        return NodePtr(pipe.take());
      }
      case TokenKind::kString:
      case TokenKind::kRawString: {
        Result<std::string> text = go_unquote(token.text);
        if (!text.ok()) return errorf(text.error().message());
        return NodePtr(std::make_unique<StringNode>(token.pos, token.text, text.take()));
      }
      default: backup(); return NodePtr();
    }
  }

  // parse.NumberNode: every interpretation of the literal that fits.
  Result<NodePtr> number(const Token& token) {
    auto n = std::make_unique<NumberNode>(token.pos, token.text);
    const std::string& text = token.text;
    if (token.kind == TokenKind::kCharConstant) {
      Result<char32_t> r = go_unquote_char_constant(text);
      if (!r.ok()) return errorf(r.error().message());
      n->is_int = n->is_uint = n->is_float = true;
      n->int_value = static_cast<int64_t>(*r);
      n->uint_value = *r;
      n->float_value = static_cast<double>(*r);
      return NodePtr(std::move(n));
    }
    if (token.kind == TokenKind::kComplex || text.back() == 'i') {
      return errorf("complex constants are not supported: " + text);
    }
    std::optional<uint64_t> u = go_parse_uint(text);
    if (u) n->is_uint = true, n->uint_value = *u;
    std::optional<int64_t> i = go_parse_int(text);
    if (i) {
      n->is_int = true, n->int_value = *i;
      if (*i == 0) n->is_uint = true, n->uint_value = 0;
    }
    if (n->is_int) {
      n->is_float = true, n->float_value = static_cast<double>(n->int_value);
    } else if (n->is_uint) {
      n->is_float = true, n->float_value = static_cast<double>(n->uint_value);
    } else if (std::optional<double> f = go_parse_float(text)) {
      // Parsed as a float but looks like an integer: an integer too large for 64 bits.
      if (text.find_first_of(".eEpP") == std::string::npos) {
        return errorf("integer overflow: " + go_quote(text));
      }
      n->is_float = true, n->float_value = *f;
      double v = *f;
      if (std::trunc(v) == v && v >= -9223372036854775808.0 && v < 9223372036854775808.0) {
        n->is_int = true, n->int_value = static_cast<int64_t>(v);
      }
      if (std::trunc(v) == v && v >= 0 && v < 18446744073709551616.0) {
        n->is_uint = true, n->uint_value = static_cast<uint64_t>(v);
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) {
      return errorf("illegal number syntax: " + go_quote(text));
    }
    return NodePtr(std::move(n));
  }

  Result<NodePtr> use_var(size_t pos, const std::string& name) {
    std::vector<std::string> ident = split_dots(name);
    if (std::find(vars_.begin(), vars_.end(), ident[0]) == vars_.end()) {
      return errorf("undefined variable " + go_quote(ident[0]));
    }
    return NodePtr(std::make_unique<VariableNode>(pos, std::move(ident)));
  }

  std::vector<Token> tokens_;
  size_t idx_ = 0;
  size_t seen_ = 0;
  std::string name_;
  const FunctionMap& functions_;
  std::vector<std::string> vars_{"$"};
  int range_depth_ = 0;
  int action_line_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<std::unique_ptr<ListNode>> parse_template(std::string_view text, std::string_view name,
                                                 const FunctionMap& functions) {
  return Parser(text, name, functions).parse();
}

}  // namespace berth::tmpl
