// Typed calls for /images/* (pull, push, list, inspect, history, tag, remove, prune, save, load,
// import). Progress streams are returned as they arrive; cli/ renders docker's jsonmessages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "client/client.h"
#include "client/filters.h"
#include "http/client.h"

namespace berth::client {

// docker's reference split for /images/create: ("busybox", "latest"), ("x", "sha256:..").
struct RefParts {
  std::string name;
  std::string tag;  // tag or digest; empty when neither
};
RefParts split_reference(const std::string& ref);

Result<std::unique_ptr<http::ResponseStream>> image_pull(Client& c, const std::string& ref,
                                                         bool all_tags,
                                                         const std::string& platform,
                                                         const std::string& registry_auth);
Result<std::unique_ptr<http::ResponseStream>> image_push(Client& c, const std::string& ref,
                                                         bool all_tags,
                                                         const std::string& platform,
                                                         const std::string& registry_auth);

struct ImageListOptions {
  bool all = false;
  bool digests = false;
  bool shared_size = false;
  Filters filters;
};
Result<Json> image_list(Client& c, const ImageListOptions& options);
Result<Json> image_inspect(Client& c, const std::string& ref);
Result<std::string> image_inspect_raw(Client& c, const std::string& ref);
Result<Json> image_history(Client& c, const std::string& ref);
Status image_tag(Client& c, const std::string& source, const std::string& target);
Result<Json> image_remove(Client& c, const std::string& ref, bool force, bool no_prune);
Result<Json> image_prune(Client& c, const Filters& filters);
Result<std::unique_ptr<http::ResponseStream>> image_save(Client& c,
                                                         const std::vector<std::string>& refs,
                                                         const std::string& platform);
Result<std::unique_ptr<http::ResponseStream>> image_load(Client& c, http::BodyReader& tar,
                                                         bool quiet);

struct ImportOptions {
  std::string source = "-";  // "-" for the request body, or a URL
  std::string reference;     // repo[:tag]
  std::string message;
  std::vector<std::string> changes;
  std::string platform;
};
Result<std::unique_ptr<http::ResponseStream>> image_import(Client& c, const ImportOptions& options,
                                                           http::BodyReader* body);

}  // namespace berth::client
