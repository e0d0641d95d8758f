// Renders Docker's JSON message stream for people, as the docker CLI does
// (jsonmessage.DisplayJSONMessagesStream): on a terminal one line per layer, redrawn in place
// with its progress bar; otherwise plain status lines, progress bars left out.
#pragma once

#include <map>
#include <string>

#include "base/result.h"
#include "image/progress.h"

namespace berth::image {

class ProgressRenderer {
 public:
  // `fd` is not owned. `terminal`: use cursor movement (isatty(fd), usually).
  ProgressRenderer(int fd, bool terminal) : fd_(fd), terminal_(terminal) {}

  // Draws one message; a message carrying an error returns it (kUnknown, its text).
  Status render(const JsonMessage& m);

 private:
  void write(const std::string& text);

  int fd_;
  bool terminal_;
  std::map<std::string, size_t> lines_;  // id -> its line, counted from the first
};

}  // namespace berth::image
