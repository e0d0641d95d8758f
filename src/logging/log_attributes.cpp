#include "logging/log_attributes.h"

#include <unistd.h>

#include <algorithm>
#include <regex>

#include "base/strings.h"

namespace berth::logging {
namespace {

std::string_view option(const LogOptions& options, const char* key) {
  auto it = options.find(key);
  return it == options.end() ? std::string_view() : std::string_view(it->second);
}

Result<std::regex> compile(std::string_view pattern) {
  try {
    return std::regex(pattern.begin(), pattern.end(), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return make_error(ErrorCode::kInvalidArgument, "error parsing regexp: {}: `{}`", e.what(),
                      pattern);
  }
}

// stringid.TruncateID: drop an "algo:" prefix, keep 12 characters.
std::string truncate_id(std::string_view id) {
  if (size_t colon = id.find(':'); colon != std::string_view::npos) id = id.substr(colon + 1);
  return std::string(id.substr(0, 12));
}

Result<std::string> tag_field(std::string_view field, const ContainerInfo& info) {
  if (field == "ID") return truncate_id(info.id);
  if (field == "FullID") return info.id;
  if (field == "Name")
    return std::string(info.name.starts_with('/') ? info.name.substr(1) : info.name);
  if (field == "ImageID") return truncate_id(info.image_id);
  if (field == "ImageFullID") return info.image_id;
  if (field == "ImageName") return info.image_name;
  if (field == "DaemonName") return info.daemon_name;
  if (field == "Command") {
    std::string cmd = info.entrypoint;
    for (const std::string& a : info.args) cmd += " " + a;
    return cmd;
  }
  if (field == "Hostname") {
    char host[256] = {};
    if (::gethostname(host, sizeof(host) - 1) != 0)
      return errno_error("logger: can not resolve hostname");
    return std::string(host);
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "template: log-tag: can't evaluate field {} in type *logger.Info", field);
}

}  // namespace

Result<std::vector<LogAttr>> extra_log_attributes(const LogOptions& options,
                                                  const ContainerInfo& info) {
  std::map<std::string, std::string> extra;
  if (std::string_view labels = option(options, "labels"); !labels.empty()) {
    for (const std::string& key : split(labels, ',')) {
      if (auto it = info.labels.find(key); it != info.labels.end()) extra[key] = it->second;
    }
  }
  if (std::string_view pattern = option(options, "labels-regex"); !pattern.empty()) {
    std::regex re = TRY(compile(pattern));
    for (const auto& [key, value] : info.labels) {
      if (std::regex_search(key, re)) extra[key] = value;
    }
  }
  std::map<std::string, std::string> env;
  for (const std::string& kv : info.env) {
    bool found = false;
    auto [key, value] = split_once(kv, '=', &found);
    if (found) env[std::string(key)] = std::string(value);
  }
  if (std::string_view names = option(options, "env"); !names.empty()) {
    for (const std::string& key : split(names, ',')) {
      if (auto it = env.find(key); it != env.end()) extra[key] = it->second;
    }
  }
  if (std::string_view pattern = option(options, "env-regex"); !pattern.empty() && !env.empty()) {
    std::regex re = TRY(compile(pattern));
    for (const auto& [key, value] : env) {
      if (std::regex_search(key, re)) extra[key] = value;
    }
  }
  return std::vector<LogAttr>(extra.begin(), extra.end());
}

Result<std::string> parse_log_tag(const LogOptions& options, const ContainerInfo& info) {
  std::string_view tmpl = option(options, "tag");
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    size_t open = tmpl.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(tmpl.substr(i));
      break;
    }
    out.append(tmpl.substr(i, open - i));
    size_t close = tmpl.find("}}", open + 2);
    if (close == std::string_view::npos)
      return make_error(ErrorCode::kInvalidArgument, "template: log-tag: unclosed action");
    std::string_view action = trim(tmpl.substr(open + 2, close - open - 2));
    bool simple = action.size() > 1 && action[0] == '.';
    for (size_t k = 1; simple && k < action.size(); ++k) {
      char c = action[k];
      simple = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
    if (!simple)
      return make_error(ErrorCode::kInvalidArgument,
                        "template: log-tag: unsupported action {{{{{}}}}}", action);
    out += TRY(tag_field(action.substr(1), info));
    i = close + 2;
  }
  return out;
}

Result<std::vector<LogAttr>> log_attributes(const LogOptions& options, const ContainerInfo& info) {
  std::vector<LogAttr> attrs = TRY(extra_log_attributes(options, info));
  std::string tag = TRY(parse_log_tag(options, info));
  if (!tag.empty()) {
    auto it =
        std::lower_bound(attrs.begin(), attrs.end(), LogAttr{"tag", ""},
                         [](const LogAttr& a, const LogAttr& b) { return a.first < b.first; });
    if (it != attrs.end() && it->first == "tag")
      it->second = tag;
    else
      attrs.insert(it, {"tag", tag});
  }
  return attrs;
}

}  // namespace berth::logging
