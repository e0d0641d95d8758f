// docker's jsonmessage display: the progress streams of pull, push, load and import, drawn as
// per-layer lines updated in place on a terminal and as plain lines otherwise.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "http/body_reader.h"

namespace berth::cli {

struct MessageDisplay {
  bool is_terminal = false;
  int terminal_width = 200;
  std::function<void(std::string_view)> out;
  // Messages with "aux" (push digests, load's image ids) go here instead of being printed.
  std::function<void(const Json& aux)> on_aux;
  // Current Unix time, for the "time left" estimate.
  std::function<int64_t()> now_unix;
};

// JSONProgress.String().
std::string progress_string(const Json& progress, int width, int64_t now_unix);

// Reads messages until the end of `in`; a message carrying an error ends the display with that
// error (the daemon's text, e.g. "manifest unknown").
Status display_json_messages(http::BodyReader& in, const MessageDisplay& display);

}  // namespace berth::cli
