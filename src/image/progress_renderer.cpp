#include "image/progress_renderer.h"

#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

namespace berth::image {

void ProgressRenderer::write(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed terminal is not worth failing an operation for
    done += static_cast<size_t>(n);
  }
}

Status ProgressRenderer::render(const JsonMessage& m) {
  if (m.error) return Error(ErrorCode::kUnknown, *m.error);
  bool progress = m.detail.has_value() || !m.progress.empty();
  size_t diff = 0;
  if (!m.id.empty() && progress) {
    auto it = lines_.find(m.id);
    size_t line;
    if (it == lines_.end()) {
      line = lines_.size();
      lines_[m.id] = line;
      if (terminal_) write("\n");
    } else {
      line = it->second;
    }
    diff = lines_.size() - line;
    if (terminal_ && diff > 0) write(fmt::format("\033[{}A", diff));
  } else {
    // Anything else starts a new block: earlier lines are not redrawn any more.
    lines_.clear();
  }
  std::string out;
  std::string end = "\n";
  if (terminal_ && m.stream.empty() && progress) {
    out += "\033[2K\r";  // clear the line
    end = "\r";
  } else if (!m.progress.empty()) {
    return {};  // bars only make sense on a terminal
  }
  if (!m.id.empty()) out += m.id + ": ";
  if (!m.progress.empty() && terminal_) {
    out += m.status + " " + m.progress + end;
  } else if (!m.stream.empty()) {
    out += m.stream + (terminal_ && progress ? end : "");
  } else if (!m.status.empty()) {
    out += m.status + end;
  } else {
    return {};  // aux and empty messages show nothing
  }
  write(out);
  if (!m.id.empty() && progress && terminal_ && diff > 0) write(fmt::format("\033[{}B", diff));
  return {};
}

}  // namespace berth::image
