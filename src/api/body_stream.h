// Adapters between HTTP bodies and the store's Reader/Writer streams: request bodies (image
// loads, imports, archives) are read incrementally, responses (saves, exports) are chunked.
#pragma once

#include "http/request.h"
#include "http/response_writer.h"
#include "store/stream.h"

namespace berth::api {

class BodyStream final : public store::Reader {
 public:
  explicit BodyStream(http::Request& request) : request_(request) {}
  Result<size_t> read(char* buf, size_t len) override { return request_.read_body_chunk(buf, len); }

 private:
  http::Request& request_;
};

class ChunkWriter final : public store::Writer {
 public:
  explicit ChunkWriter(http::ResponseWriter& writer) : writer_(writer) {}
  Status write(std::string_view data) override { return writer_.write_chunk(data); }

 private:
  http::ResponseWriter& writer_;
};

}  // namespace berth::api
