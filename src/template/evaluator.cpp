#include "template/evaluator.h"

#include <algorithm>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "template/go_fmt.h"
#include "template/go_quote.h"

namespace berth::tmpl {
namespace {

// Go's "missingVal": a pipeline stage with no value from the previous stage.
using Final = std::optional<Value>;
using Args = std::span<const NodePtr>;

// How a walk ends: normally, or by {{break}}/{{continue}} on its way to the enclosing range.
enum class Flow { kNormal, kBreak, kContinue };

bool is_hex_int(std::string_view s) {
  return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
         s.find_first_of("pP") == std::string_view::npos;
}

class Evaluator {
 public:
  Evaluator(std::string_view text, std::string_view name, const FunctionMap& functions)
      : text_(text), name_(name), functions_(functions) {}

  Result<std::string> run(const ListNode& root, const Json& data) {
    Value dot = Value::ref(data);
    vars_.emplace_back("$", dot);
    TRY(walk(dot, root));
    return std::move(out_);
  }

 private:
  // The node being evaluated, named in error messages (exec.go's s.at).
  void at(const Node& node) { node_ = &node; }

  Error errorf(const std::string& message) const {
    std::string prefix = "template: " + name_ + ": ";
    if (node_ != nullptr) {
      std::string_view before = text_.substr(0, std::min(node_->pos, text_.size()));
      size_t newline = before.rfind('\n');
      size_t column =
          newline == std::string_view::npos ? before.size() : before.size() - newline - 1;
      size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
      prefix = "template: " + name_ + ":" + std::to_string(line) + ":" + std::to_string(column) +
               ": executing " + go_quote(name_) + " at <" + node_->str() + ">: ";
    }
    return Error(ErrorCode::kInvalidArgument, prefix + message);
  }

  // Variables: a stack; control structures pop what their pipelines declared.
  Result<Value> var_value(const std::string& name) const {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return errorf("undefined variable: " + name);
  }

  Status set_var(const std::string& name, const Value& value) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
      if (it->first == name) {
        it->second = value;
        return ok_status();
      }
    }
    return errorf("undefined variable: " + name);
  }

  void set_top_var(size_t n, const Value& value) { vars_[vars_.size() - n].second = value; }
  void pop(size_t mark) { vars_.resize(mark); }

  Result<Flow> walk(const Value& dot, const Node& node) {
    at(node);
    switch (node.type) {
      case NodeType::kAction: {
        const auto& action = static_cast<const ActionNode&>(node);
        Value value = TRY(eval_pipeline(dot, *action.pipe));
        if (action.pipe->decl.empty()) {  // a declaration prints nothing
          at(node);
          out_ += format_value(value);
        }
        return Flow::kNormal;
      }
      case NodeType::kBreak: return Flow::kBreak;
      case NodeType::kContinue: return Flow::kContinue;
      case NodeType::kIf:
      case NodeType::kWith: return walk_if_or_with(dot, static_cast<const BranchNode&>(node));
      case NodeType::kList:
        for (const NodePtr& child : static_cast<const ListNode&>(node).nodes) {
          Flow flow = TRY(walk(dot, *child));
          if (flow != Flow::kNormal) return flow;
        }
        return Flow::kNormal;
      case NodeType::kRange: return walk_range(dot, static_cast<const BranchNode&>(node));
      case NodeType::kText: out_ += static_cast<const TextNode&>(node).text; return Flow::kNormal;
      default: return errorf("unknown node: " + node.str());
    }
  }

  Result<Flow> walk_if_or_with(const Value& dot, const BranchNode& node) {
    size_t mark = vars_.size();
    Value value = TRY(eval_pipeline(dot, *node.pipe));
    Flow flow = Flow::kNormal;
    if (is_true(value)) {
      flow = TRY(walk(node.type == NodeType::kWith ? value : dot, *node.list));
    } else if (node.else_list) {
      flow = TRY(walk(dot, *node.else_list));
    }
    pop(mark);
    return flow;
  }

  Result<Flow> walk_range(const Value& dot, const BranchNode& node) {
    at(node);
    size_t outer_mark = vars_.size();
    Value value = TRY(eval_pipeline(dot, *node.pipe));
    size_t mark = vars_.size();  // before any variable the body declares
    const PipeNode& pipe = *node.pipe;

    auto iteration = [&](const Value& index, const Value& element) -> Result<Flow> {
      if (!pipe.decl.empty()) {
        if (pipe.is_assign) {
          // With two variables the index comes first; with one, the element.
          TRY(set_var(pipe.decl[0]->ident[0], pipe.decl.size() > 1 ? index : element));
        } else {
          set_top_var(1, element);
        }
      }
      if (pipe.decl.size() > 1) {
        if (pipe.is_assign) {
          TRY(set_var(pipe.decl[1]->ident[0], element));
        } else {
          set_top_var(2, index);
        }
      }
      Flow flow = TRY(walk(element, *node.list));
      pop(mark);
      return flow;
    };

    bool ran = false;
    switch (value.kind()) {
      case Value::Kind::kInt:
      case Value::Kind::kUint: {
        if (pipe.decl.size() > 1) {
          return errorf("can't use " + format_value(value) +
                        " to iterate over more than one variable");
        }
        int64_t n = value.kind() == Value::Kind::kInt ? value.as_int() : INT64_MAX;
        for (int64_t i = 0; i < n; ++i) {
          ran = true;
          if (TRY(iteration(Value(), Value::of(i))) == Flow::kBreak) break;
        }
        break;
      }
      case Value::Kind::kArray: {
        int64_t i = 0;
        for (const Json& element : value.json()) {
          ran = true;
          if (TRY(iteration(Value::of(i++), value.element(element))) == Flow::kBreak) break;
        }
        break;
      }
      case Value::Kind::kObject:
        for (const auto& [key, element] : value.json().items()) {  // sorted keys, as Go's
          ran = true;
          if (TRY(iteration(Value::of(key), value.element(element))) == Flow::kBreak) break;
        }
        break;
      case Value::Kind::kMissing:
      case Value::Kind::kNull: break;  // like an empty map
      default: return errorf("range can't iterate over " + format_value(value));
    }
    if (!ran && node.else_list) TRY(walk(dot, *node.else_list));
    pop(outer_mark);
    return Flow::kNormal;
  }

  Result<Value> eval_pipeline(const Value& dot, const PipeNode& pipe) {
    at(pipe);
    Final value;
    for (const auto& cmd : pipe.cmds) value = TRY(eval_command(dot, *cmd, value));
    Value result = value.value_or(Value());
    for (const auto& variable : pipe.decl) {
      if (pipe.is_assign) {
        TRY(set_var(variable->ident[0], result));
      } else {
        vars_.emplace_back(variable->ident[0], result);
      }
    }
    return result;
  }

  // `first` is a command's first word, `arg_count` the command's word count.
  Status not_a_function(const Node& first, size_t arg_count, const Final& final) {
    if (arg_count > 1 || final) return errorf("can't give argument to non-function " + first.str());
    return ok_status();
  }

  Result<Value> eval_command(const Value& dot, const CommandNode& cmd, const Final& final) {
    const Node& first = *cmd.args[0];
    size_t arg_count = cmd.args.size();
    switch (first.type) {
      case NodeType::kField:
        return eval_field_node(dot, static_cast<const FieldNode&>(first), arg_count, final);
      case NodeType::kChain:
        return eval_chain_node(dot, static_cast<const ChainNode&>(first), arg_count, final);
      case NodeType::kIdentifier:
        return eval_function(dot, static_cast<const IdentifierNode&>(first), cmd,
                             Args(cmd.args).subspan(1), final);
      case NodeType::kPipe:
        TRY(not_a_function(first, arg_count, final));
        return eval_pipeline(dot, static_cast<const PipeNode&>(first));
      case NodeType::kVariable:
        return eval_variable_node(static_cast<const VariableNode&>(first), arg_count, final);
      default: break;
    }
    at(first);
    TRY(not_a_function(first, arg_count, final));
    switch (first.type) {
      case NodeType::kBool: return Value::of(static_cast<const BoolNode&>(first).value);
      case NodeType::kDot: return dot;
      case NodeType::kNil: return errorf("nil is not a command");
      case NodeType::kNumber: return ideal_constant(static_cast<const NumberNode&>(first));
      case NodeType::kString: return Value::of(static_cast<const StringNode&>(first).text);
      default: return errorf("can't evaluate command " + go_quote(first.str()));
    }
  }

  // A number in a context without a type: its syntax decides, as Go's ideal constants do.
  Result<Value> ideal_constant(const NumberNode& n) {
    at(n);
    const std::string& text = n.text;
    if (n.is_float && !is_hex_int(text) && text[0] != '\'' &&
        text.find_first_of(".eEpP") != std::string::npos) {
      return Value::of(n.float_value);
    }
    if (n.is_int) return Value::of(n.int_value);
    if (n.is_uint) return errorf(text + " overflows int");
    return Value();
  }

  Result<Value> eval_field_node(const Value& dot, const FieldNode& field, size_t arg_count,
                                const Final& final) {
    at(field);
    return eval_field_chain(dot, field.ident, 0, arg_count, final);
  }

  Result<Value> eval_chain_node(const Value& dot, const ChainNode& chain, size_t arg_count,
                                const Final& final) {
    at(chain);
    if (chain.node->type == NodeType::kNil) {
      return errorf("indirection through explicit nil in " + chain.str());
    }
    Value receiver = TRY(eval_arg(dot, ParamType::kValue, *chain.node));
    at(chain);
    return eval_field_chain(receiver, chain.field, 0, arg_count, final);
  }

  Result<Value> eval_variable_node(const VariableNode& variable, size_t arg_count,
                                   const Final& final) {
    at(variable);
    Value value = TRY(var_value(variable.ident[0]));
    if (variable.ident.size() == 1) {
      TRY(not_a_function(variable, arg_count, final));
      return value;
    }
    return eval_field_chain(value, variable.ident, 1, arg_count, final);
  }

  // .X.Y.Z: idents[from..] applied in turn, the last one with the command's arguments.
  Result<Value> eval_field_chain(Value receiver, const std::vector<std::string>& ident, size_t from,
                                 size_t arg_count, const Final& final) {
    for (size_t i = from; i + 1 < ident.size(); ++i) {
      receiver = TRY(eval_field(ident[i], 0, std::nullopt, receiver));
    }
    return eval_field(ident.back(), arg_count, final, receiver);
  }

  Result<Value> eval_field(const std::string& name, size_t arg_count, const Final& final,
                           const Value& receiver) {
    if (receiver.is_missing()) return Value();  // fields of nothing are nothing
    if (receiver.kind() == Value::Kind::kNull) {
      return errorf("nil pointer evaluating interface {}." + name);
    }
    if (receiver.kind() == Value::Kind::kObject) {
      if (arg_count > 1 || final) return errorf(name + " is not a method but has arguments");
      auto it = receiver.json().find(name);
      if (it == receiver.json().end()) return Value();  // a map's missing key
      return receiver.element(*it);
    }
    return errorf("can't evaluate field " + name + " in type " + receiver.type_name());
  }

  Result<Value> eval_function(const Value& dot, const IdentifierNode& ident, const Node& cmd,
                              Args args, const Final& final) {
    at(ident);
    auto it = functions_.find(ident.ident);
    if (it == functions_.end()) return errorf(go_quote(ident.ident) + " is not a defined function");
    return eval_call(dot, it->second, cmd, ident.ident, args, final);
  }

  Result<Value> eval_call(const Value& dot, const Function& function, const Node& node,
                          const std::string& name, Args args, const Final& final) {
    size_t num_in = args.size() + (final ? 1 : 0);
    size_t num_fixed = args.size();
    const std::vector<ParamType>& params = function.params;
    if (function.variadic) {
      num_fixed = params.size() - 1;
      if (num_in < num_fixed) {
        return errorf("wrong number of args for " + name + ": want at least " +
                      std::to_string(num_fixed) + " got " + std::to_string(args.size()));
      }
    } else if (num_in != params.size()) {
      return errorf("wrong number of args for " + name + ": want " + std::to_string(params.size()) +
                    " got " + std::to_string(num_in));
    }

    // and/or short-circuit and return the deciding argument itself.
    if (name == "and" || name == "or") {
      Value v;
      for (const NodePtr& arg : args) {
        v = TRY(eval_arg(dot, ParamType::kValue, *arg));
        if (is_true(v) == (name == "or")) return v;
      }
      if (final) v = *final;
      return v;
    }

    std::vector<Value> argv;
    size_t i = 0;
    for (; i < num_fixed && i < args.size(); ++i)
      argv.push_back(TRY(eval_arg(dot, params[i], *args[i])));
    if (function.variadic) {
      for (; i < args.size(); ++i) argv.push_back(TRY(eval_arg(dot, params.back(), *args[i])));
    }
    if (final) {
      ParamType type = params.back();
      if (function.variadic && num_in - 1 < num_fixed) type = params[num_in - 1];
      argv.push_back(TRY(validate_type(*final, type)));
    }

    if (name == "call") {
      // JSON holds no functions, so every call fails; with Go's messages.
      at(node);
      if (argv[0].is_nil()) return errorf("error calling call: call of nil");
      std::string callee = args.empty() ? format_value(*final) : args[0]->str();
      return errorf("error calling call: non-function " + callee + " of type " +
                    argv[0].type_name());
    }

    Result<Value> result = function.call(argv);
    if (!result.ok()) {
      at(node);
      return errorf("error calling " + name + ": " + result.error().message());
    }
    return result;
  }

  Result<Value> eval_arg(const Value& dot, ParamType type, const Node& n) {
    at(n);
    switch (n.type) {
      case NodeType::kDot: return validate_type(dot, type);
      case NodeType::kNil:
        if (type == ParamType::kAny) return Value::null();
        if (type == ParamType::kValue) return Value();
        return errorf("cannot assign nil to " + std::string(param_type_name(type)));
      case NodeType::kField: {
        Value v = TRY(eval_field_node(dot, static_cast<const FieldNode&>(n), 1, std::nullopt));
        return validate_type(v, type);
      }
      case NodeType::kVariable: {
        Value v = TRY(eval_variable_node(static_cast<const VariableNode&>(n), 0, std::nullopt));
        return validate_type(v, type);
      }
      case NodeType::kPipe: {
        Value v = TRY(eval_pipeline(dot, static_cast<const PipeNode&>(n)));
        return validate_type(v, type);
      }
      case NodeType::kIdentifier: {
        const auto& ident = static_cast<const IdentifierNode&>(n);
        Value v = TRY(eval_function(dot, ident, ident, Args(), std::nullopt));
        return validate_type(v, type);
      }
      case NodeType::kChain: {
        Value v = TRY(eval_chain_node(dot, static_cast<const ChainNode&>(n), 0, std::nullopt));
        return validate_type(v, type);
      }
      default: break;
    }
    switch (type) {
      case ParamType::kInt:
        if (n.type == NodeType::kNumber && static_cast<const NumberNode&>(n).is_int) {
          return Value::of(static_cast<const NumberNode&>(n).int_value);
        }
        return errorf("expected integer; found " + n.str());
      case ParamType::kString:
        if (n.type == NodeType::kString) return Value::of(static_cast<const StringNode&>(n).text);
        return errorf("expected string; found " + n.str());
      case ParamType::kStringList:
        return errorf("can't handle " + n.str() + " for arg of type []string");
      case ParamType::kAny:
      case ParamType::kValue: break;
    }
    switch (n.type) {
      case NodeType::kBool: return Value::of(static_cast<const BoolNode&>(n).value);
      case NodeType::kNumber: return ideal_constant(static_cast<const NumberNode&>(n));
      case NodeType::kString: return Value::of(static_cast<const StringNode&>(n).text);
      default:
        return errorf("can't handle assignment of " + n.str() + " to empty interface argument");
    }
  }

  // Checks that a value suits a parameter, as Go's assignability rules decide for our types.
  Result<Value> validate_type(const Value& value, ParamType type) {
    if (value.is_missing()) {
      if (type == ParamType::kAny) return Value::null();
      if (type == ParamType::kValue) return value;
      // A slice parameter can be nil; a string or int one cannot.
      if (type == ParamType::kStringList) return Value::own(Json::array());
      return errorf("invalid value; expected " + std::string(param_type_name(type)));
    }
    // null stands for a nil slice too (docker's empty slices are nil, encoded as null).
    if (type == ParamType::kStringList && value.kind() == Value::Kind::kNull) {
      return Value::own(Json::array());
    }
    bool ok = true;
    switch (type) {
      case ParamType::kAny:
      case ParamType::kValue: break;
      case ParamType::kString: ok = value.kind() == Value::Kind::kString; break;
      case ParamType::kInt: ok = value.kind() == Value::Kind::kInt; break;
      case ParamType::kStringList:
        // JSON arrays are untyped; an array of strings passes for a []string.
        ok = value.kind() == Value::Kind::kArray &&
             std::all_of(value.json().begin(), value.json().end(),
                         [](const Json& element) { return element.is_string(); });
        break;
    }
    if (!ok) {
      return errorf("wrong type for value; expected " + std::string(param_type_name(type)) +
                    "; got " + value.type_name());
    }
    return value;
  }

  std::string_view text_;
  std::string name_;
  const FunctionMap& functions_;
  std::string out_;
  std::vector<std::pair<std::string, Value>> vars_;
  const Node* node_ = nullptr;
};

}  // namespace

Result<std::string> execute_tree(const ListNode& root, std::string_view text, std::string_view name,
                                 const FunctionMap& functions, const Json& data) {
  return Evaluator(text, name, functions).run(root, data);
}

}  // namespace berth::tmpl
