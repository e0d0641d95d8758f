#include "image/change_parser.h"

#include <algorithm>
#include <cctype>

#include "base/file_util.h"
#include "base/json.h"
#include "base/strings.h"
#include "image/go_duration.h"

namespace berth::image {

namespace {

Error invalid(std::string_view instr, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument, "{}: {}", instr, why);
}

// JSON form (["a", "b"]) when the text is a JSON array of strings; nullopt otherwise.
std::optional<std::vector<std::string>> json_form(std::string_view text) {
  std::string_view t = trim(text);
  if (!t.starts_with('[') || !t.ends_with(']')) return std::nullopt;
  try {
    Json j = Json::parse(t);
    if (!j.is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& item : j) {
      if (!item.is_string()) return std::nullopt;
      out.push_back(item.get<std::string>());
    }
    return out;
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

std::vector<std::string> command(std::string_view args) {
  if (auto json = json_form(args)) return *json;
  return {"/bin/sh", "-c", std::string(trim(args))};
}

// key=value pairs (ENV, LABEL); the legacy "KEY value" form when there is no '=' in the first
// word.
Result<std::vector<std::pair<std::string, std::string>>> key_values(std::string_view instr,
                                                                    std::string_view args) {
  std::vector<std::pair<std::string, std::string>> out;
  auto words = TRY(split_words(args));
  if (words.empty()) return invalid(instr, "requires at least one argument");
  if (words[0].find('=') == std::string::npos) {
    // "ENV KEY some value": the rest of the line, as written, is the value.
    std::string_view rest = trim(args);
    size_t space = rest.find_first_of(" \t");
    if (space == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument, "{} must have two arguments", instr);
    }
    auto value = TRY(split_words(rest.substr(space)));
    out.emplace_back(std::string(rest.substr(0, space)), join(value, " "));
    return out;
  }
  for (const auto& w : words) {
    auto [k, v] = split_once(w, '=');
    if (k.empty()) {
      return make_error(ErrorCode::kInvalidArgument, "{} names can not be blank", instr);
    }
    if (w.find('=') == std::string::npos) {
      return make_error(ErrorCode::kInvalidArgument,
                        "Syntax error - can't find = in \"{}\". "
                        "Must be of the form: name=value",
                        w);
    }
    out.emplace_back(std::string(k), std::string(v));
  }
  return out;
}

void set_env(std::vector<std::string>& env, const std::string& key, const std::string& value) {
  std::string entry = key + "=" + value;
  for (auto& e : env) {
    if (e.substr(0, e.find('=')) == key) {
      e = entry;
      return;
    }
  }
  env.push_back(entry);
}

Result<std::vector<std::string>> parse_ports(std::string_view args) {
  std::vector<std::string> out;
  for (const auto& word : TRY(split_words(args))) {
    auto [range, proto_part] = split_once(word, '/');
    std::string proto = proto_part.empty() ? "tcp" : to_lower(proto_part);
    if (proto != "tcp" && proto != "udp" && proto != "sctp") {
      return make_error(ErrorCode::kInvalidArgument, "invalid proto: {}", proto);
    }
    auto [lo_text, hi_text] = split_once(range, '-');
    auto lo = parse_int(lo_text);
    auto hi = hi_text.empty() ? lo : parse_int(hi_text);
    if (!lo.ok() || !hi.ok() || *lo < 0 || *hi > 65535 || *hi < *lo) {
      return make_error(ErrorCode::kInvalidArgument, "invalid containerPort: {}", range);
    }
    for (int p = *lo; p <= *hi; ++p) out.push_back(std::to_string(p) + "/" + proto);
  }
  return out;
}


Status apply_healthcheck(ContainerConfig& c, std::string_view args) {
  HealthConfig h;
  std::string_view rest = trim(args);
  // Options first: --interval=30s --timeout=3s --start-period=... --start-interval=... --retries=N
  while (rest.starts_with("--")) {
    size_t end = rest.find_first_of(" \t");
    std::string_view flag = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : trim(rest.substr(end));
    auto [name, value] = split_once(flag.substr(2), '=');
    if (name == "interval")
      h.interval_ns = TRY(parse_go_duration_ns(value, false));
    else if (name == "timeout")
      h.timeout_ns = TRY(parse_go_duration_ns(value, false));
    else if (name == "start-period")
      h.start_period_ns = TRY(parse_go_duration_ns(value, false));
    else if (name == "start-interval")
      h.start_interval_ns = TRY(parse_go_duration_ns(value, false));
    else if (name == "retries")
      h.retries = TRY(parse_int64(value));
    else
      return make_error(ErrorCode::kInvalidArgument, "Unknown flag: {}", name);
  }
  auto [kind, cmd] = split_once(rest, ' ');
  std::string type = to_upper(trim(kind));
  if (type == "NONE") {
    if (!trim(cmd).empty()) return invalid("HEALTHCHECK", "NONE takes no arguments");
    h = HealthConfig{};
    h.test = {"NONE"};
  } else if (type == "CMD") {
    if (trim(cmd).empty()) return invalid("HEALTHCHECK", "Missing command after HEALTHCHECK CMD");
    if (auto json = json_form(cmd)) {
      h.test = {"CMD"};
      h.test.insert(h.test.end(), json->begin(), json->end());
    } else {
      h.test = {"CMD-SHELL", std::string(trim(cmd))};
    }
  } else {
    return make_error(ErrorCode::kInvalidArgument, "Unknown type \"{}\" in HEALTHCHECK (try CMD)",
                      type);
  }
  c.healthcheck = h;
  return {};
}

}  // namespace

Result<std::vector<std::string>> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (quote == 0 && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')) {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (ch == '\\' && quote != '\'' && i + 1 < text.size()) {
      cur += text[++i];
    } else if (quote == 0 && (ch == '"' || ch == '\'')) {
      quote = ch;
    } else if (ch == quote) {
      quote = 0;
    } else {
      cur += ch;
    }
  }
  if (quote != 0) return Error(ErrorCode::kInvalidArgument, "unterminated quote");
  if (in_word) words.push_back(std::move(cur));
  return words;
}

static Status apply_change(ContainerConfig& c, std::string_view change, bool* cmd_set);

Status apply_change(ContainerConfig& c, std::string_view change) {
  bool cmd_set = false;
  return apply_change(c, change, &cmd_set);
}

static Status apply_change(ContainerConfig& c, std::string_view change, bool* cmd_set) {
  std::string_view text = trim(change);
  size_t space = text.find_first_of(" \t");
  std::string instr = to_upper(text.substr(0, space));
  std::string_view args =
      space == std::string_view::npos ? std::string_view() : trim(text.substr(space));
  if (instr.empty()) return Error(ErrorCode::kInvalidArgument, "empty change");
  if (instr == "CMD") {
    c.cmd = command(args);
    *cmd_set = true;
  } else if (instr == "ENTRYPOINT") {
    c.entrypoint = command(args);
    // As in a Dockerfile: ENTRYPOINT resets a CMD inherited with the config, not one set by
    // an earlier change.
    if (!*cmd_set) c.cmd.reset();
  } else if (instr == "SHELL") {
    auto json = json_form(args);
    if (!json) return invalid(instr, "SHELL requires the arguments to be in JSON form");
    c.shell = *json;
  } else if (instr == "ENV") {
    if (!c.env) c.env.emplace();
    for (const auto& [k, v] : TRY(key_values(instr, args))) set_env(*c.env, k, v);
  } else if (instr == "LABEL") {
    if (!c.labels) c.labels.emplace();
    for (const auto& [k, v] : TRY(key_values(instr, args))) (*c.labels)[k] = v;
  } else if (instr == "EXPOSE") {
    if (!c.exposed_ports) c.exposed_ports.emplace();
    for (auto& p : TRY(parse_ports(args))) {
      if (std::find(c.exposed_ports->begin(), c.exposed_ports->end(), p) ==
          c.exposed_ports->end()) {
        c.exposed_ports->push_back(std::move(p));
      }
    }
    std::sort(c.exposed_ports->begin(), c.exposed_ports->end());
  } else if (instr == "VOLUME") {
    if (!c.volumes) c.volumes.emplace();
    auto vols = json_form(args);
    std::vector<std::string> list = vols ? *vols : TRY(split_words(args));
    if (list.empty()) return invalid(instr, "VOLUME requires at least one argument");
    for (auto& v : list) {
      if (trim(v).empty())
        return Error(ErrorCode::kInvalidArgument, "VOLUME specified can not be an empty string");
      if (std::find(c.volumes->begin(), c.volumes->end(), v) == c.volumes->end()) {
        c.volumes->push_back(v);
      }
    }
    std::sort(c.volumes->begin(), c.volumes->end());
  } else if (instr == "WORKDIR") {
    auto words = TRY(split_words(args));
    if (words.size() != 1) return invalid(instr, "WORKDIR requires exactly one argument");
    std::string dir = words[0];
    // Relative to the current one, as in a Dockerfile.
    if (!dir.starts_with('/')) dir = path_join(c.working_dir.empty() ? "/" : c.working_dir, dir);
    c.working_dir = clean_path(dir);
  } else if (instr == "USER") {
    auto words = TRY(split_words(args));
    if (words.size() != 1) return invalid(instr, "USER requires exactly one argument");
    c.user = words[0];
  } else if (instr == "STOPSIGNAL") {
    auto words = TRY(split_words(args));
    if (words.size() != 1) return invalid(instr, "STOPSIGNAL requires exactly one argument");
    c.stop_signal = words[0];
  } else if (instr == "ONBUILD") {
    std::string_view inner = trim(args);
    size_t sp = inner.find_first_of(" \t");
    std::string trigger = to_upper(inner.substr(0, sp));
    if (trigger.empty()) return invalid(instr, "ONBUILD requires at least one argument");
    if (trigger == "ONBUILD")
      return Error(ErrorCode::kInvalidArgument,
                   "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    if (trigger == "FROM" || trigger == "MAINTAINER") {
      return make_error(ErrorCode::kInvalidArgument, "{} isn't allowed as an ONBUILD trigger",
                        trigger);
    }
    if (!c.on_build) c.on_build.emplace();
    std::string rest = sp == std::string_view::npos ? "" : std::string(trim(inner.substr(sp)));
    c.on_build->push_back(rest.empty() ? trigger : trigger + " " + rest);
  } else if (instr == "HEALTHCHECK") {
    TRY(apply_healthcheck(c, args));
  } else {
    return make_error(ErrorCode::kInvalidArgument, "{} is not a valid change command",
                      to_lower(instr));
  }
  return {};
}

Status apply_changes(ContainerConfig& config, const std::vector<std::string>& changes) {
  bool cmd_set = false;
  for (const auto& change : changes) TRY(apply_change(config, change, &cmd_set));
  return {};
}

}  // namespace berth::image
