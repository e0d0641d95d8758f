// The parse tree, shaped like text/template/parse's nodes. str() renders a node back to template
// syntax the way Go's String methods do; execution errors quote it ("at <index .Labels 1>").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace berth::tmpl {

enum class NodeType {
  kText,
  kAction,
  kBool,
  kChain,
  kCommand,
  kDot,
  kField,
  kIdentifier,
  kIf,
  kList,
  kNil,
  kNumber,
  kPipe,
  kRange,
  kString,
  kVariable,
  kWith,
  kBreak,
  kContinue,
  // Produced and consumed by the parser only.
  kElse,
  kEnd,
};

struct Node {
  Node(NodeType t, size_t p) : type(t), pos(p) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  virtual ~Node() = default;
  virtual std::string str() const = 0;

  NodeType type;
  size_t pos;  // byte offset in the template text
};

using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  explicit ListNode(size_t p) : Node(NodeType::kList, p) {}
  std::string str() const override;
  std::vector<NodePtr> nodes;
};

struct TextNode : Node {
  TextNode(size_t p, std::string t) : Node(NodeType::kText, p), text(std::move(t)) {}
  std::string str() const override { return text; }
  std::string text;
};

// $x or $x.Field.Chain: ident[0] is the variable's name, the rest are fields.
struct VariableNode : Node {
  VariableNode(size_t p, std::vector<std::string> i)
      : Node(NodeType::kVariable, p), ident(std::move(i)) {}
  std::string str() const override;
  std::vector<std::string> ident;
};

struct CommandNode : Node {
  explicit CommandNode(size_t p) : Node(NodeType::kCommand, p) {}
  std::string str() const override;
  std::vector<NodePtr> args;  // args[0] is the function, field or operand
};

// Declarations, then commands joined by '|'.
struct PipeNode : Node {
  PipeNode(size_t p, int l) : Node(NodeType::kPipe, p), line(l) {}
  std::string str() const override;
  int line;
  bool is_assign = false;  // "$x = ..." rather than "$x := ..."
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
};

struct ActionNode : Node {
  ActionNode(size_t p, int l, std::unique_ptr<PipeNode> pi)
      : Node(NodeType::kAction, p), line(l), pipe(std::move(pi)) {}
  std::string str() const override { return "{{" + pipe->str() + "}}"; }
  int line;
  std::unique_ptr<PipeNode> pipe;
};

struct IdentifierNode : Node {
  IdentifierNode(size_t p, std::string i) : Node(NodeType::kIdentifier, p), ident(std::move(i)) {}
  std::string str() const override { return ident; }
  std::string ident;
};

struct DotNode : Node {
  explicit DotNode(size_t p) : Node(NodeType::kDot, p) {}
  std::string str() const override { return "."; }
};

struct NilNode : Node {
  explicit NilNode(size_t p) : Node(NodeType::kNil, p) {}
  std::string str() const override { return "nil"; }
};

// .A.B.C
struct FieldNode : Node {
  FieldNode(size_t p, std::vector<std::string> i)
      : Node(NodeType::kField, p), ident(std::move(i)) {}
  std::string str() const override;
  std::vector<std::string> ident;
};

// (pipeline).A.B: fields applied to a term that is not a field or variable.
struct ChainNode : Node {
  ChainNode(size_t p, NodePtr n) : Node(NodeType::kChain, p), node(std::move(n)) {}
  std::string str() const override;
  NodePtr node;
  std::vector<std::string> field;
};

struct BoolNode : Node {
  BoolNode(size_t p, bool v) : Node(NodeType::kBool, p), value(v) {}
  std::string str() const override { return value ? "true" : "false"; }
  bool value;
};

// A numeric constant with every interpretation that fits, as Go's NumberNode holds them.
struct NumberNode : Node {
  NumberNode(size_t p, std::string t) : Node(NodeType::kNumber, p), text(std::move(t)) {}
  std::string str() const override { return text; }
  bool is_int = false;
  bool is_uint = false;
  bool is_float = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double float_value = 0;
  std::string text;
};

struct StringNode : Node {
  StringNode(size_t p, std::string q, std::string t)
      : Node(NodeType::kString, p), quoted(std::move(q)), text(std::move(t)) {}
  std::string str() const override { return quoted; }
  std::string quoted;  // as written, quotes included
  std::string text;
};

// if, range and with share a shape.
struct BranchNode : Node {
  BranchNode(NodeType t, size_t p, int l, std::unique_ptr<PipeNode> pi,
             std::unique_ptr<ListNode> li, std::unique_ptr<ListNode> el)
      : Node(t, p), line(l), pipe(std::move(pi)), list(std::move(li)), else_list(std::move(el)) {}
  std::string str() const override;
  int line;
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  // may be null
};

// {{break}}, {{continue}}, and the parser's {{else}} and {{end}} markers.
struct KeywordNode : Node {
  KeywordNode(NodeType t, size_t p, int l) : Node(t, p), line(l) {}
  std::string str() const override;
  int line;
};

}  // namespace berth::tmpl
