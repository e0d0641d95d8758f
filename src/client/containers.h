// Typed calls for /containers/* (and the container archive routes): parameters as the docker
// client's option structs, answers as the API's JSON where they are rich (inspect, list).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "client/client.h"
#include "client/filters.h"
#include "http/client.h"

namespace berth::client {

struct ContainerListOptions {
  bool all = false;
  int64_t limit = -1;  // -1: no limit
  bool size = false;
  Filters filters;
};
Result<Json> container_list(Client& c, const ContainerListOptions& options);

struct CreateResult {
  std::string id;
  std::vector<std::string> warnings;
};
// POST /containers/create with docker's body (Config + HostConfig + NetworkingConfig).
Result<CreateResult> container_create(Client& c, const OrderedJson& body, const std::string& name,
                                      const std::string& platform);

Result<Json> container_inspect(Client& c, const std::string& id, bool size = false);
// inspect's raw body, to print objects without reordering their fields.
Result<std::string> container_inspect_raw(Client& c, const std::string& id, bool size = false);

Status container_start(Client& c, const std::string& id, const std::string& detach_keys = {});
Status container_stop(Client& c, const std::string& id, std::optional<int64_t> timeout,
                      const std::string& signal);
Status container_restart(Client& c, const std::string& id, std::optional<int64_t> timeout,
                         const std::string& signal);
Status container_kill(Client& c, const std::string& id, const std::string& signal);
Status container_remove(Client& c, const std::string& id, bool force, bool volumes, bool link);
Status container_pause(Client& c, const std::string& id);
Status container_unpause(Client& c, const std::string& id);
Status container_rename(Client& c, const std::string& id, const std::string& new_name);
Result<Json> container_update(Client& c, const std::string& id, const Json& body);
Result<Json> container_top(Client& c, const std::string& id, const std::string& ps_args);
Result<Json> container_changes(Client& c, const std::string& id);
Result<Json> container_prune(Client& c, const Filters& filters);
Status container_resize(Client& c, const std::string& id, int height, int width);

struct LogsOptions {
  bool show_stdout = true;
  bool show_stderr = true;
  bool follow = false;
  bool timestamps = false;
  bool details = false;
  std::string since;
  std::string until;
  std::string tail = "all";
};
Result<std::unique_ptr<http::ResponseStream>> container_logs(Client& c, const std::string& id,
                                                             const LogsOptions& options);

struct AttachOptions {
  bool stream = true;
  bool attach_stdin = false;
  bool attach_stdout = false;
  bool attach_stderr = false;
  bool logs = false;
  std::string detach_keys;
};
Result<std::unique_ptr<http::HijackedConnection>> container_attach(Client& c,
                                                                   const std::string& id,
                                                                   const AttachOptions& options);

// POST /containers/{id}/wait: the stream's body ({"StatusCode":N,"Error":...}) arrives when the
// container reaches `condition` ("not-running", "next-exit", "removed").
Result<std::unique_ptr<http::ResponseStream>> container_wait(Client& c, const std::string& id,
                                                             const std::string& condition);
struct WaitResult {
  int64_t status_code = 0;
  std::string error;  // Error.Message
};
Result<WaitResult> read_wait_result(http::ResponseStream& stream);

Result<std::unique_ptr<http::ResponseStream>> container_stats(Client& c, const std::string& id,
                                                              bool stream, bool one_shot);
Result<std::unique_ptr<http::ResponseStream>> container_export(Client& c, const std::string& id);

// The X-Docker-Container-Path-Stat of a path in a container (name, size, mode, mtime,
// linkTarget).
Result<Json> container_stat_path(Client& c, const std::string& id, const std::string& path);
struct ArchiveDownload {
  std::unique_ptr<http::ResponseStream> body;
  Json stat;
};
Result<ArchiveDownload> copy_from_container(Client& c, const std::string& id,
                                            const std::string& path);
Status copy_to_container(Client& c, const std::string& id, const std::string& path,
                         http::BodyReader& tar, bool no_overwrite_dir_non_dir, bool copy_uid_gid);

struct CommitOptions {
  std::string reference;  // repo[:tag]
  std::string comment;
  std::string author;
  std::vector<std::string> changes;
  bool pause = true;
  Json config = nullptr;
};
Result<std::string> container_commit(Client& c, const std::string& id,
                                     const CommitOptions& options);

// The path segment for an id or name (escaped).
std::string container_path(const std::string& id, std::string_view suffix = {});

}  // namespace berth::client
