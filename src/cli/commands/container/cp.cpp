// cp (cli/command/container/cp.go): both directions, "-" for tar streams on stdin/stdout.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include <fmt/format.h>

#include "cli/archive/copy_paths.h"
#include "cli/archive/local_tar.h"
#include "cli/archive/tar.h"
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/units.h"
#include "client/containers.h"

namespace berth::cli {
namespace {

struct CpOptions {
  bool follow_link = false;
  bool archive = false;
  bool quiet = false;
};

// splitCpArg: "ctr:path", unless the argument is an absolute or "."-relative local path.
std::pair<std::string, std::string> split_cp_arg(const std::string& arg) {
  if (!arg.empty() && arg[0] == '/') return {"", arg};
  size_t colon = arg.find(':');
  if (colon == std::string::npos || arg.starts_with(".")) return {"", arg};
  return {arg.substr(0, colon), arg.substr(colon + 1)};
}

std::string resolve_local_path(const std::string& local) {
  return preserve_trailing_dot_or_separator(go_abs(local), local);
}

// A BodyReader over a pipe whose other end a thread fills.
class PipeReader final : public http::BodyReader {
 public:
  explicit PipeReader(int fd) : fd_(fd) {}
  ~PipeReader() override { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  Result<size_t> read(char* buf, size_t len) override {
    while (true) {
      ssize_t n = ::read(fd_, buf, len);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_error("read pipe");
      total += static_cast<int64_t>(n);
      return static_cast<size_t>(n);
    }
  }
  int64_t total = 0;

 private:
  int fd_;
};

class FdReader final : public http::BodyReader {
 public:
  explicit FdReader(int fd) : fd_(fd) {}
  Result<size_t> read(char* buf, size_t len) override {
    while (true) {
      ssize_t n = ::read(fd_, buf, len);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_error("read");
      return static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
};

// Counts the bytes read through it.
class CountingReader final : public http::BodyReader {
 public:
  explicit CountingReader(http::BodyReader& in) : in_(in) {}
  Result<size_t> read(char* buf, size_t len) override {
    size_t n = TRY(in_.read(buf, len));
    total += static_cast<int64_t>(n);
    return n;
  }
  int64_t total = 0;

 private:
  http::BodyReader& in_;
};

Result<int> copy_from_container(Cli& cli, client::Client& c, const std::string& container,
                                std::string src_path, std::string dst_path, const CpOptions& o) {
  if (dst_path != "-") {
    dst_path = resolve_local_path(dst_path);
    // ValidateOutputPath: the parent must exist and be a directory.
    std::string dir = go_dir(go_clean(dst_path));
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
      return make_error(ErrorCode::kNotFound, "invalid output path: directory \"{}\" does not exist",
                        dir);
    }
    if (::stat(dst_path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
      return make_error(ErrorCode::kInvalidArgument,
                        "invalid output path: \"{}\" must be a directory or a regular file",
                        dst_path);
    }
  }
  std::string rebase_name;
  if (o.follow_link) {
    auto stat = client::container_stat_path(c, container, src_path);
    if (stat.ok() && (stat->value("mode", uint64_t{0}) & (1ULL << 27)) != 0) {
      std::string target = stat->value("linkTarget", "");
      if (target.empty() || target[0] != '/') {
        target = go_join(split_path_dir_entry(src_path).first, target);
      }
      std::tie(src_path, rebase_name) = get_rebase_name(src_path, target);
    }
  }
  auto download = TRY(client::copy_from_container(c, container, src_path));
  if (dst_path == "-") {
    char buf[65536];
    while (true) {
      size_t n = TRY(download.body->read(buf, sizeof(buf)));
      if (n == 0) break;
      TRY(write_all(cli.out_fd(), std::string_view(buf, n)));
    }
    return 0;
  }
  // Go's FileMode: directories have bit 31 set.
  bool is_dir = (download.stat.value("mode", uint64_t{0}) & (1ULL << 31)) != 0;
  CopyInfo src{src_path, true, is_dir, rebase_name};
  CountingReader counted(*download.body);
  TarReader tar(counted);
  CopyInfo dst = TRY(copy_info_destination_path(dst_path));
  ArchiveCopyPlan plan = TRY(prepare_archive_copy(src, dst));
  // A rebase of the source itself (following a link) comes first; prepare_archive_copy already
  // renames from the rebased name, so apply the source rename by composing names.
  if (!rebase_name.empty()) {
    std::string src_base = split_path_dir_entry(src_path).second;
    ArchiveCopyPlan first{plan.dst_dir, src_base, rebase_name, true};
    if (plan.rebase) {
      // Both renames: src base → link name → destination name.
      first.rebase_to = plan.rebase_to;
    }
    plan = first;
  }
  Status st = untar_into(tar, plan.dst_dir, plan);
  if (!o.quiet) {
    cli.err(fmt::format("Successfully copied {} to {}\n", human_size(static_cast<double>(counted.total), 3),
                        dst_path));
  }
  TRY(st);
  return 0;
}

Result<int> copy_to_container(Cli& cli, client::Client& c, const std::string& container,
                              std::string src_path, const std::string& dst_path,
                              const CpOptions& o) {
  if (src_path != "-") src_path = resolve_local_path(src_path);
  CopyInfo dst{dst_path, false, false, ""};
  auto stat = client::container_stat_path(c, container, dst_path);
  if (stat.ok() && (stat->value("mode", uint64_t{0}) & (1ULL << 27)) != 0) {
    std::string target = stat->value("linkTarget", "");
    if (target.empty() || target[0] != '/') {
      target = go_join(split_path_dir_entry(dst_path).first, target);
    }
    dst.path = target;
    stat = client::container_stat_path(c, container, target);
  }
  if (stat.ok()) {
    uint64_t mode = stat->value("mode", uint64_t{0});
    bool dir = (mode & (1ULL << 31)) != 0;
    // Anything but a directory or regular file (devices, pipes, sockets...) is refused.
    uint64_t irregular = (1ULL << 26) | (1ULL << 25) | (1ULL << 24) | (1ULL << 21) | (1ULL << 19);
    if (!dir && (mode & irregular) != 0) {
      return make_error(ErrorCode::kInvalidArgument,
                        "destination \"{}:{}\" must be a directory or a regular file", container,
                        dst_path);
    }
    dst.exists = true;
    dst.is_dir = dir;
  }
  if (src_path == "-") {
    if (!dst.is_dir) {
      return make_error(ErrorCode::kInvalidArgument, "destination \"{}:{}\" must be a directory",
                        container, dst_path);
    }
    FdReader in(cli.in_fd());
    TRY(client::copy_to_container(c, container, dst.path, in, true, o.archive));
    return 0;
  }
  CopyInfo src = TRY(copy_info_source_path(src_path, o.follow_link));
  ArchiveCopyPlan plan = TRY(prepare_archive_copy(src, dst));
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return errno_error("pipe");
  // The tar is produced by a thread into a pipe, so the upload streams without staging it.
  // The tar is produced by a thread into a pipe, so the upload streams without staging it.
  // PrepareArchiveCopy's rename of the top entry to the destination's name is applied while
  // packing: the top name is every entry's first path element, so renaming it there is the
  // same as docker's rewrite of the finished stream.
  CopyInfo packed = src;
  if (plan.rebase) packed.rebase_name = plan.rebase_to;
  std::thread producer([out = fds[1], packed]() {
    TarWriter writer([out](std::string_view data) { return write_all(out, data); });
    (void)tar_resource(packed, writer);
    ::close(out);
  });
  PipeReader reader(fds[0]);
  Status uploaded = client::copy_to_container(c, container, plan.dst_dir, reader, true, o.archive);
  // If the upload failed early the producer may block writing: closing our end releases it
  // (its write fails with EPIPE; SIGPIPE is ignored process-wide).
  reader.close();
  producer.join();
  TRY(uploaded);
  if (!o.quiet) {
    cli.err(fmt::format("Successfully copied {} to {}:{}\n",
                        human_size(static_cast<double>(reader.total), 3), container, dst.path));
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> new_cp_command() {
  auto cmd = new_command(
      "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- "
      "CONTAINER:DEST_PATH",
      "Copy files/folders between a container and the local filesystem",
      "berth container cp, berth cp");
  cmd->long_help =
      "Copy files/folders between a container and the local filesystem\n\n"
      "Use '-' as the source to read a tar archive from stdin\n"
      "and extract it to a directory destination in a container.\n"
      "Use '-' as the destination to stream a tar archive of a\n"
      "container source to stdout.";
  cmd->set_args(ArgRule::kExact, 2);
  auto o = std::make_shared<CpOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("follow-link", "L", &o->follow_link, false, "Always follow symbol link in SRC_PATH");
  f.add_bool("archive", "a", &o->archive, false, "Archive mode (copy all uid/gid information)");
  f.add_bool("quiet", "q", &o->quiet, false,
             "Suppress progress output during copy. Progress output is automatically suppressed "
             "if no terminal is attached");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    if (inv.args[0].empty()) return Error(ErrorCode::kInvalidArgument, "source can not be empty");
    if (inv.args[1].empty()) {
      return Error(ErrorCode::kInvalidArgument, "destination can not be empty");
    }
    CpOptions opts = *o;
    if (!inv.command.flags().changed("quiet")) opts.quiet = !cli.out_is_terminal();
    auto [src_ctr, src_path] = split_cp_arg(inv.args[0]);
    auto [dst_ctr, dst_path] = split_cp_arg(inv.args[1]);
    if (!src_ctr.empty() && !dst_ctr.empty()) {
      return Error(ErrorCode::kInvalidArgument, "copying between containers is not supported");
    }
    if (src_ctr.empty() && dst_ctr.empty()) {
      return Error(ErrorCode::kInvalidArgument, "must specify at least one container source");
    }
    client::Client& c = *TRY(cli.client());
    if (!src_ctr.empty()) return copy_from_container(cli, c, src_ctr, src_path, dst_path, opts);
    return copy_to_container(cli, c, dst_ctr, src_path, dst_path, opts);
  });
  return cmd;
}

}  // namespace berth::cli
