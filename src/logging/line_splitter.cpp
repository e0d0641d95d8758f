#include "logging/line_splitter.h"

#include <cstring>

namespace berth::logging {

LineSplitter::LineSplitter(Stream stream, size_t max_line) : max_line_(max_line ? max_line : 1) {
  msg_.stream = stream;
}

Status LineSplitter::emit(std::string_view tail, bool partial, int64_t now_ns, const Sink& sink) {
  msg_.line.assign(pending_);
  msg_.line.append(tail);
  if (!partial) msg_.line.push_back('\n');
  pending_.clear();
  msg_.partial = partial;
  if (!in_partial_) partial_time_ns_ = now_ns;
  msg_.time_ns = partial_time_ns_;
  in_partial_ = partial;
  return sink(msg_);
}

Status LineSplitter::feed(std::string_view data, int64_t now_ns, const Sink& sink) {
  Status first;
  auto keep = [&](Status s) {
    if (!s.ok() && first.ok()) first = std::move(s);
  };
  size_t i = 0;
  while (i < data.size()) {
    size_t room = max_line_ - pending_.size();
    size_t avail = data.size() - i;
    size_t scan = room < avail ? room : avail;
    const auto* nl = static_cast<const char*>(std::memchr(data.data() + i, '\n', scan));
    if (nl != nullptr) {
      size_t len = static_cast<size_t>(nl - (data.data() + i));
      keep(emit(data.substr(i, len), false, now_ns, sink));
      i += len + 1;
    } else if (avail >= room) {
      keep(emit(data.substr(i, room), true, now_ns, sink));
      i += room;
    } else {
      pending_.append(data.substr(i));
      i = data.size();
    }
  }
  return first;
}

Status LineSplitter::flush(int64_t now_ns, const Sink& sink) {
  Status s;
  if (!pending_.empty()) s = emit({}, true, now_ns, sink);
  in_partial_ = false;
  return s;
}

}  // namespace berth::logging
