#include "store/archive/compression.h"

#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <vector>

namespace berth::store {

namespace {

constexpr size_t kBufferSize = 128 * 1024;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

Error corrupt(Compression c, std::string_view why) {
  return make_error(ErrorCode::kDataLoss, "{} stream: {}", compression_name(c), why);
}

}  // namespace

std::string_view compression_name(Compression compression) {
  switch (compression) {
    case Compression::kNone: return "uncompressed";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "uncompressed";
}

Result<Compression> detect_compression(std::string_view head) {
  if (starts_with(head, "\x1f\x8b")) return Compression::kGzip;
  if (starts_with(head, "\x28\xb5\x2f\xfd")) return Compression::kZstd;
  if (starts_with(head, std::string_view("\xfd"
                                         "7zXZ\x00",
                                         6))) {
    return make_error(ErrorCode::kUnimplemented, "xz-compressed layers are not supported");
  }
  if (starts_with(head, "BZh")) {
    return make_error(ErrorCode::kUnimplemented, "bzip2-compressed layers are not supported");
  }
  return Compression::kNone;
}

struct DecompressingReader::Impl {
  std::vector<char> in = std::vector<char>(kBufferSize);
  size_t in_pos = 0;
  size_t in_len = 0;
  bool source_eof = false;
  // gzip
  z_stream zs{};
  bool zs_ready = false;
  bool member_done = false;
  // zstd
  ZSTD_DCtx* zd = nullptr;
  bool frame_done = false;

  bool input_empty() const { return in_pos == in_len; }

  ~Impl() {
    if (zs_ready) inflateEnd(&zs);
    ZSTD_freeDCtx(zd);
  }
};

DecompressingReader::DecompressingReader(Reader& source)
    : source_(source), impl_(std::make_unique<Impl>()) {}

DecompressingReader::~DecompressingReader() = default;

Result<size_t> DecompressingReader::fill_input() {
  auto& s = *impl_;
  if (s.in_pos == s.in_len) s.in_pos = s.in_len = 0;
  if (s.source_eof || s.in_len == s.in.size()) return size_t{0};
  size_t n = TRY(source_.read(s.in.data() + s.in_len, s.in.size() - s.in_len));
  if (n == 0) s.source_eof = true;
  s.in_len += n;
  return n;
}

Status DecompressingReader::start() {
  started_ = true;
  auto& s = *impl_;
  while (s.in_len < 6 && !s.source_eof) TRY(fill_input());
  compression_ = TRY(detect_compression(std::string_view(s.in.data(), s.in_len)));
  if (compression_ == Compression::kGzip) {
    // 16 + MAX_WBITS: gzip wrapper only.
    if (inflateInit2(&s.zs, 16 + MAX_WBITS) != Z_OK) {
      return make_error(ErrorCode::kInternal, "inflateInit2 failed");
    }
    s.zs_ready = true;
  } else if (compression_ == Compression::kZstd) {
    s.zd = ZSTD_createDCtx();
    if (s.zd == nullptr) return make_error(ErrorCode::kInternal, "ZSTD_createDCtx failed");
  }
  return {};
}

Result<size_t> DecompressingReader::read(char* buf, size_t len) {
  if (!started_) TRY(start());
  if (len == 0) return size_t{0};
  auto& s = *impl_;
  if (compression_ == Compression::kNone) {
    if (!s.input_empty()) {
      size_t n = std::min(len, s.in_len - s.in_pos);
      std::memcpy(buf, s.in.data() + s.in_pos, n);
      s.in_pos += n;
      return n;
    }
    if (s.source_eof) return size_t{0};
    return source_.read(buf, len);
  }
  while (true) {
    if (s.input_empty() && !s.source_eof) TRY(fill_input());
    bool no_more_input = s.input_empty() && s.source_eof;
    size_t produced = 0;
    if (compression_ == Compression::kGzip) {
      if (s.member_done) {
        if (no_more_input) return size_t{0};
        // Another gzip member follows (concatenated gzip is one stream).
        inflateReset(&s.zs);
        s.member_done = false;
      }
      s.zs.next_in = reinterpret_cast<Bytef*>(s.in.data() + s.in_pos);
      s.zs.avail_in = static_cast<uInt>(s.in_len - s.in_pos);
      s.zs.next_out = reinterpret_cast<Bytef*>(buf);
      s.zs.avail_out = static_cast<uInt>(std::min<size_t>(len, 1u << 30));
      uInt out_before = s.zs.avail_out;
      int ret = inflate(&s.zs, Z_NO_FLUSH);
      s.in_pos = s.in_len - s.zs.avail_in;
      produced = out_before - s.zs.avail_out;
      if (ret == Z_STREAM_END) {
        s.member_done = true;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        return corrupt(compression_, s.zs.msg ? s.zs.msg : "inflate failed");
      }
      if (produced > 0) return produced;
      if (s.member_done) continue;
    } else {
      if (s.frame_done && no_more_input) return size_t{0};
      ZSTD_inBuffer in{s.in.data() + s.in_pos, s.in_len - s.in_pos, 0};
      ZSTD_outBuffer out{buf, len, 0};
      size_t ret = ZSTD_decompressStream(s.zd, &out, &in);
      if (ZSTD_isError(ret)) return corrupt(compression_, ZSTD_getErrorName(ret));
      s.in_pos += in.pos;
      s.frame_done = ret == 0;
      produced = out.pos;
      if (produced > 0) return produced;
      if (s.frame_done) continue;
    }
    if (no_more_input) return corrupt(compression_, "unexpected end of data");
  }
}

struct CompressingWriter::Impl {
  std::vector<char> out = std::vector<char>(kBufferSize);
  z_stream zs{};
  bool zs_ready = false;
  ZSTD_CCtx* zc = nullptr;
  bool finished = false;
  Status init_error;

  ~Impl() {
    if (zs_ready) deflateEnd(&zs);
    ZSTD_freeCCtx(zc);
  }
};

CompressingWriter::CompressingWriter(Writer& next, Compression compression, int level)
    : next_(next), compression_(compression), impl_(std::make_unique<Impl>()) {
  auto& s = *impl_;
  if (compression == Compression::kGzip) {
    // 16 + MAX_WBITS: a gzip wrapper, whose header zlib writes with mtime 0 and no file name,
    // so equal input gives equal bytes.
    if (deflateInit2(&s.zs, level < 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 16 + MAX_WBITS,
                     8, Z_DEFAULT_STRATEGY) == Z_OK) {
      s.zs_ready = true;
    } else {
      s.init_error = make_error(ErrorCode::kInternal, "deflateInit2 failed");
    }
  } else if (compression == Compression::kZstd) {
    s.zc = ZSTD_createCCtx();
    if (s.zc == nullptr) {
      s.init_error = make_error(ErrorCode::kInternal, "ZSTD_createCCtx failed");
    } else {
      ZSTD_CCtx_setParameter(s.zc, ZSTD_c_compressionLevel, level < 0 ? 3 : level);
    }
  }
}

CompressingWriter::~CompressingWriter() = default;

Status CompressingWriter::write(std::string_view data) {
  auto& s = *impl_;
  if (!s.init_error.ok()) return s.init_error;
  if (s.finished) return make_error(ErrorCode::kFailedPrecondition, "compressor finished");
  if (compression_ == Compression::kNone) return next_.write(data);
  if (compression_ == Compression::kGzip) {
    while (!data.empty()) {
      size_t chunk = std::min<size_t>(data.size(), 1u << 30);
      s.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
      s.zs.avail_in = static_cast<uInt>(chunk);
      while (s.zs.avail_in > 0) {
        s.zs.next_out = reinterpret_cast<Bytef*>(s.out.data());
        s.zs.avail_out = static_cast<uInt>(s.out.size());
        if (deflate(&s.zs, Z_NO_FLUSH) == Z_STREAM_ERROR) {
          return make_error(ErrorCode::kInternal, "deflate failed");
        }
        size_t have = s.out.size() - s.zs.avail_out;
        if (have > 0) TRY(next_.write(std::string_view(s.out.data(), have)));
      }
      data.remove_prefix(chunk);
    }
    return {};
  }
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{s.out.data(), s.out.size(), 0};
    size_t ret = ZSTD_compressStream2(s.zc, &out, &in, ZSTD_e_continue);
    if (ZSTD_isError(ret)) {
      return make_error(ErrorCode::kInternal, "zstd compress: {}", ZSTD_getErrorName(ret));
    }
    if (out.pos > 0) TRY(next_.write(std::string_view(s.out.data(), out.pos)));
  }
  return {};
}

Status CompressingWriter::finish() {
  auto& s = *impl_;
  if (!s.init_error.ok()) return s.init_error;
  if (s.finished) return {};
  s.finished = true;
  if (compression_ == Compression::kGzip) {
    s.zs.next_in = nullptr;
    s.zs.avail_in = 0;
    int ret = Z_OK;
    while (ret != Z_STREAM_END) {
      s.zs.next_out = reinterpret_cast<Bytef*>(s.out.data());
      s.zs.avail_out = static_cast<uInt>(s.out.size());
      ret = deflate(&s.zs, Z_FINISH);
      if (ret == Z_STREAM_ERROR) return make_error(ErrorCode::kInternal, "deflate failed");
      size_t have = s.out.size() - s.zs.avail_out;
      if (have > 0) TRY(next_.write(std::string_view(s.out.data(), have)));
    }
  } else if (compression_ == Compression::kZstd) {
    ZSTD_inBuffer in{nullptr, 0, 0};
    size_t remaining = 1;
    while (remaining != 0) {
      ZSTD_outBuffer out{s.out.data(), s.out.size(), 0};
      remaining = ZSTD_compressStream2(s.zc, &out, &in, ZSTD_e_end);
      if (ZSTD_isError(remaining)) {
        return make_error(ErrorCode::kInternal, "zstd compress: {}", ZSTD_getErrorName(remaining));
      }
      if (out.pos > 0) TRY(next_.write(std::string_view(s.out.data(), out.pos)));
    }
  }
  return {};
}

}  // namespace berth::store
