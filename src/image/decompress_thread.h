// A Reader that decompresses its source on a thread of its own, so decompression of a layer
// overlaps with writing its files (the unpack thread gets plain tar bytes, which the store's
// unpacker passes straight through). Ends the thread when destroyed, even mid-stream.
#pragma once

#include <memory>
#include <thread>

#include "base/result.h"
#include "image/layer_pipe.h"
#include "store/stream.h"

namespace berth::image {

class DecompressThread final : public store::Reader {
 public:
  // `source` (gzip, zstd or plain) must outlive this.
  explicit DecompressThread(store::Reader& source, size_t buffer = 8 << 20);
  ~DecompressThread() override;
  DecompressThread(const DecompressThread&) = delete;
  DecompressThread& operator=(const DecompressThread&) = delete;

  Result<size_t> read(char* buf, size_t len) override { return reader_.read(buf, len); }

 private:
  LayerPipe pipe_;
  LayerPipe::PipeReader reader_;
  std::thread thread_;
};

}  // namespace berth::image
