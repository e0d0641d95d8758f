// Progress as Docker's JSON message stream (moby's jsonmessage): what /images/create, push and
// load send, one JSON object per message. The daemon forwards encode_json_message() lines
// verbatim; the CLI renders them (progress_renderer.h).
//
//   {"status":"Pulling from library/busybox","id":"latest"}
//   {"status":"Pulling fs layer","progressDetail":{},"id":"ec562eabd705"}
//   {"status":"Downloading","progressDetail":{"current":32768,"total":2152262},
//    "progress":"[>     ]  32.77kB/2.152MB","id":"ec562eabd705"}
//   {"status":"Digest: sha256:..."}
//   {"errorDetail":{"message":"..."},"error":"..."}
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"

namespace berth::image {

struct ProgressDetail {
  int64_t current = 0;
  int64_t total = 0;
};

struct JsonMessage {
  std::string stream;
  std::string status;
  // Present: "progressDetail" is written ({} when both are 0), as for layer updates.
  std::optional<ProgressDetail> detail;
  std::string progress;  // the rendered bar
  std::string id;
  std::optional<std::string> error;
  std::optional<OrderedJson> aux;
};

// One line of JSON in jsonmessage's field order, without a trailing newline (Docker's stream
// separates messages with "\r\n").
std::string encode_json_message(const JsonMessage& m);
// Parses one message (for the CLI and tests).
std::optional<JsonMessage> decode_json_message(std::string_view line);

// go-units HumanSize: decimal units, 4 significant digits ("32.77kB", "2.152MB", "512B").
std::string human_size(double bytes);
// JSONProgress.String() as the daemon renders it (terminal width 200): "[==>   ]  1.2MB/3.4MB".
std::string progress_bar(int64_t current, int64_t total);

// The 12-hex short form of a digest or ID, as Docker's stringid.TruncateID.
std::string short_id(std::string_view id_or_digest);

using ProgressFn = std::function<void(const JsonMessage&)>;

// A thread-safe front for a ProgressFn: layer transfers report from several threads, and the
// receiver sees one message at a time. Download/extract updates are throttled per id.
class ProgressOutput {
 public:
  explicit ProgressOutput(ProgressFn fn) : fn_(std::move(fn)) {}

  // {"status": text, "id": id}  (no progressDetail)
  void message(std::string_view id, std::string_view text);
  // {"status": action, "progressDetail": {}, "id": id}
  void update(std::string_view id, std::string_view action);
  // {"status": action, "progressDetail": {current, total}, "progress": bar, "id": id}; at most
  // one per id every 100 ms unless `force` (the first and the last should be forced).
  void progress(std::string_view id, std::string_view action, int64_t current, int64_t total,
                bool force = false);
  void aux(OrderedJson aux);
  void stream(std::string_view text);
  void error(std::string_view text);
  void emit(const JsonMessage& m);

 private:
  ProgressFn fn_;
  std::mutex mutex_;
  std::map<std::string, int64_t, std::less<>> last_update_ns_;
};

}  // namespace berth::image
