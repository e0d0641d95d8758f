#include "image/decompress_thread.h"

#include <string>

#include "store/archive/compression.h"

namespace berth::image {

DecompressThread::DecompressThread(store::Reader& source, size_t buffer)
    : pipe_(buffer), reader_(pipe_) {
  pipe_.attach();
  thread_ = std::thread([this, &source] {
    store::DecompressingReader plain(source);
    std::string chunk(256 << 10, '\0');
    while (true) {
      auto n = plain.read(chunk.data(), chunk.size());
      if (!n.ok()) {
        pipe_.close(std::move(n).error());
        return;
      }
      if (*n == 0) {
        pipe_.close({});
        return;
      }
      // Fails only when the reader gave up (see the destructor).
      if (!pipe_.offer(std::string_view(chunk.data(), *n)).ok()) return;
    }
  });
}

DecompressThread::~DecompressThread() {
  pipe_.abandon();
  thread_.join();
}

}  // namespace berth::image
