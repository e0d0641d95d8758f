// A bounded in-memory pipe from a layer's download to its unpack, so the bytes are hashed into
// the content store and unpacked in one pass, with nothing staged.
//
// Layers must be unpacked in order (each on top of its parent), while downloads run in
// parallel. A download whose unpack has not started yet fills the pipe up to its capacity; if
// it would have to wait beyond that, the pipe "detaches" instead: it drops what it holds and
// the download carries on at full speed into the content store, and the unpack later reads the
// committed blob. Once the reader has attached, a full pipe makes the writer wait (back
// pressure), since the unpack is then the bottleneck anyway.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.h"
#include "store/stream.h"

namespace berth::image {

class LayerPipe {
 public:
  explicit LayerPipe(size_t capacity) : capacity_(capacity) {}

  // --- writer side (the download) ---
  // Offers the next bytes. Returns an error only if the reader gave up (the download should
  // stop: the pull failed).
  Status offer(std::string_view data);
  // No bytes will come through the pipe (the blob is being fetched by someone else, or is
  // already there): an attached reader's read() fails and skipped() tells it to use the blob.
  void skip();
  bool skipped();
  // All bytes are in (and the registry client verified them): the reader may see the end of
  // the stream now, while the blob is still being committed (fsync, rename).
  void end_data();
  // The download ended: ok (the blob is committed and verified) or an error for the reader.
  void close(Status status);

  // --- reader side (the unpack) ---
  // Starts reading from the pipe. False when the pipe detached: read the blob instead once the
  // download has finished (wait_closed()).
  bool attach();
  // The download's final status (waits for it).
  Status wait_closed();
  // The reader is done (the layer is unpacked, or was already there): further bytes are only
  // written to the content store.
  void release();
  // Makes offer() fail from now on, and wakes a waiting writer (the pull was cancelled).
  void abandon();

  // A Reader over the attached pipe: end of stream only after close(ok); the close error
  // otherwise.
  class PipeReader final : public store::Reader {
   public:
    explicit PipeReader(LayerPipe& pipe) : pipe_(pipe) {}
    Result<size_t> read(char* buf, size_t len) override { return pipe_.read(buf, len); }

   private:
    LayerPipe& pipe_;
  };

 private:
  Result<size_t> read(char* buf, size_t len);

  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  size_t front_offset_ = 0;
  size_t buffered_ = 0;
  bool attached_ = false;
  bool detached_ = false;
  bool abandoned_ = false;
  bool skipped_ = false;
  bool end_of_data_ = false;
  std::optional<Status> closed_;
};

}  // namespace berth::image
