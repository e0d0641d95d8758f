#include "logging/gzip_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>

#include "base/strings.h"
#include "base/time_format.h"
#include "base/unique_fd.h"

namespace berth::logging {
namespace {

constexpr size_t kChunk = size_t{64} * 1024;

// zlib's state lives in mmap'd blocks (each prefixed by its length) rather than on the heap, so
// the ~300 KiB deflate needs is returned to the kernel as soon as the file is done.
voidpf mmap_alloc(voidpf, uInt items, uInt size) {
  size_t len = size_t{items} * size + 16;
  void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return Z_NULL;
  std::memcpy(p, &len, sizeof(len));
  return static_cast<char*>(p) + 16;
}

void mmap_free(voidpf, voidpf addr) {
  char* base = static_cast<char*>(addr) - 16;
  size_t len = 0;
  std::memcpy(&len, base, sizeof(len));
  ::munmap(base, len);
}

class MappedBuffer {
 public:
  explicit MappedBuffer(size_t len)
      : len_(len),
        p_(::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) {}
  ~MappedBuffer() {
    if (p_ != MAP_FAILED) ::munmap(p_, len_);
  }
  MappedBuffer(const MappedBuffer&) = delete;
  MappedBuffer& operator=(const MappedBuffer&) = delete;
  bool ok() const { return p_ != MAP_FAILED; }
  unsigned char* data() const { return static_cast<unsigned char*>(p_); }
  size_t size() const { return len_; }

 private:
  size_t len_;
  void* p_;
};

Status write_all(int fd, const unsigned char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno_error("write");
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return ok_status();
}

Status deflate_fd(int in, int out, gz_header* header) {
  MappedBuffer buf(2 * kChunk);
  if (!buf.ok()) return errno_error("mmap");
  unsigned char* ibuf = buf.data();
  unsigned char* obuf = buf.data() + kChunk;
  z_stream zs{};
  zs.zalloc = mmap_alloc;
  zs.zfree = mmap_free;
  // Level 1: the shim compresses synchronously between two writes; speed matters more than
  // the last few percent of size.
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return Error(ErrorCode::kInternal, "deflateInit2 failed");
  Status status;
  if (deflateSetHeader(&zs, header) != Z_OK)
    status = Error(ErrorCode::kInternal, "deflateSetHeader");
  int flush = Z_NO_FLUSH;
  while (status.ok() && flush != Z_FINISH) {
    ssize_t n = ::read(in, ibuf, kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = errno_error("read");
      break;
    }
    flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
    zs.next_in = ibuf;
    zs.avail_in = static_cast<uInt>(n);
    do {
      zs.next_out = obuf;
      zs.avail_out = kChunk;
      deflate(&zs, flush);
      status = write_all(out, obuf, kChunk - zs.avail_out);
    } while (status.ok() && zs.avail_out == 0);
  }
  deflateEnd(&zs);
  return status;
}

// Finds "key": in a flat JSON object and returns what follows it.
std::string_view json_value_after(std::string_view json, std::string_view key) {
  std::string quoted = "\"" + std::string(key) + "\":";
  size_t at = json.find(quoted);
  if (at == std::string_view::npos) return {};
  return json.substr(at + quoted.size());
}

}  // namespace

Status compress_log_file(const std::string& src, int64_t last_time_ns, mode_t mode) {
  UniqueFd in(::open(src.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return errno_error("open " + src);
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) return errno_error("stat " + src);

  std::string extra = "{";
  if (last_time_ns != 0) extra += "\"lastTime\":\"" + format_rfc3339_nano_ns(last_time_ns) + "\",";
  extra += "\"berthIno\":" + std::to_string(st.st_ino) + "}";
  gz_header header{};
  header.extra = reinterpret_cast<Bytef*>(extra.data());
  header.extra_len = static_cast<uInt>(extra.size());
  header.os = 255;  // "unknown", as Go's gzip writer says

  std::string gz = src + ".gz";
  std::string tmp = gz + ".tmp";
  UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!out) return errno_error("create " + tmp);
  Status s = deflate_fd(in.get(), out.get(), &header);
  if (s.ok() && ::fsync(out.get()) != 0) s = errno_error("fsync " + tmp);
  if (s.ok() && ::rename(tmp.c_str(), gz.c_str()) != 0) s = errno_error("rename " + tmp);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return std::move(s).error().context("compress " + src);
  }
  if (::unlink(src.c_str()) != 0 && errno != ENOENT) return errno_error("remove " + src);
  return ok_status();
}

GzipMeta read_gzip_meta(int fd) {
  GzipMeta meta;
  unsigned char head[1024];
  ssize_t n = ::pread(fd, head, sizeof(head), 0);
  if (n < 12 || head[0] != 0x1f || head[1] != 0x8b || head[2] != 8 || (head[3] & 4) == 0)
    return meta;
  size_t xlen = head[10] | size_t{head[11]} << 8;
  if (12 + xlen > static_cast<size_t>(n)) return meta;
  std::string_view extra(reinterpret_cast<const char*>(head + 12), xlen);
  if (std::string_view t = json_value_after(extra, "lastTime"); t.starts_with('"')) {
    size_t end = t.find('"', 1);
    if (end != std::string_view::npos) {
      auto ns = parse_rfc3339_ns(t.substr(1, end - 1));
      if (ns.ok() && *ns > 0) meta.last_time_ns = *ns;  // Go's zero time means unknown
    }
  }
  if (std::string_view v = json_value_after(extra, "berthIno"); !v.empty()) {
    size_t digits = 0;
    while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9') ++digits;
    auto ino = parse_uint64(v.substr(0, digits));
    if (ino.ok()) meta.origin_ino = *ino;
  }
  return meta;
}

}  // namespace berth::logging
