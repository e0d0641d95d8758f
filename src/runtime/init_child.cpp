// The container's init between clone and exec. Everything here runs on data the parent prepared
// (InitPlan): system calls only — no allocation, no locks, no logging. A failure is reported to
// the parent as (errno, message) on the sync socket, then the child exits.
#include <fcntl.h>
#include <limits.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/copy_tree.h"
#include "runtime/init_plan.h"
#include "runtime/sync_protocol.h"
#include "sys/fd_passing.h"
#include "sys/path_in_root.h"
#include "sys/syscalls.h"

namespace berth::runtime {
namespace {

constexpr unsigned kAtEmptyPath = 0x1000;

// After `start` nobody listens on the sync socket: report on the container's stderr and exit.
[[noreturn]] void die_after_start(const char* what, int err, int code) noexcept {
  char message[512] = "berth-runtime init: ";
  size_t len = std::strlen(message);
  for (const char* p = what; *p && len < 400; ++p) message[len++] = *p;
  message[len++] = ':';
  message[len++] = ' ';
  const char* reason = ::strerrordesc_np(err);
  for (const char* p = reason ? reason : "error"; *p && len < 500; ++p) message[len++] = *p;
  message[len++] = '\n';
  sys::write_all_raw(2, message, len);
  ::_exit(code);
}

class InitChild {
 public:
  explicit InitChild(InitPlan& plan) : plan_(plan) {}

  [[noreturn]] void run() noexcept;

 private:
  [[noreturn]] void fail(int err, const char* what, const char* detail = nullptr) noexcept {
    child_fail(plan_.sync_fd, err, what, detail);
  }
  void check(int rc, const char* what, const char* detail = nullptr) noexcept {
    if (rc < 0) fail(errno, what, detail);
  }
  void wait_for_go() noexcept;
  void enter_namespaces() noexcept;
  void prepare_root() noexcept;
  void do_mount(const MountStep& step) noexcept;
  void do_bind(const MountStep& step) noexcept;
  void do_idmapped_bind(const MountStep& step) noexcept;
  void remount_bind(const MountStep& step) noexcept;
  void do_symlink(const MountStep& step) noexcept;
  void do_remount(const MountStep& step) noexcept;
  void apply_mount_attributes(const MountStep& step) noexcept;
  void make_devices() noexcept;
  void make_dev_symlinks() noexcept;
  void setup_console() noexcept;
  void switch_root() noexcept;
  void apply_sysctls() noexcept;
  void remount_readonly_paths() noexcept;
  void mask_paths() noexcept;
  void finish_rootfs() noexcept;
  [[noreturn]] void wait_for_start_and_exec() noexcept;

  // Resolves `path` inside the current root (the rootfs before pivot, "/" after) and returns a
  // fresh O_PATH fd. Reopened after every mount so that it names the new top mount.
  int open_target(const char* path) noexcept;
  int ensure_target(const char* path, bool is_file) noexcept;
  // The mount flags the kernel refuses to drop on a bind remount in a user namespace.
  unsigned long locked_flags(int fd) noexcept;

  InitPlan& plan_;
  int root_fd_ = -1;
  int proc_fd_dir_ = -1;  // the host's /proc/self/fd: reopens exec.fifo after pivot_root
  int console_slave_ = -1;
  size_t state_length_ = 0;
  char resolved_[PATH_MAX];  // argv[0] as found in the container, looked up before `start`
  char fd_path_[32];
  char fd_path2_[32];
};

void InitChild::wait_for_go() noexcept {
  SyncHeader header{};
  char* buffer = plan_.state_buffer.empty() ? nullptr : plan_.state_buffer.data();
  size_t capacity = plan_.state_buffer.size();
  while (true) {
    int rc = sync_recv(plan_.sync_fd, &header, buffer, capacity);
    if (rc < 0) ::_exit(1);  // the parent is gone: nobody to report to
    if (header.type == SyncType::kGo) return;
    if (header.type == SyncType::kStateJson && buffer != nullptr) {
      size_t len = header.length < capacity ? header.length : capacity - 1;
      buffer[len] = '\0';
      state_length_ = len;
    }
  }
}

void InitChild::enter_namespaces() noexcept {
  for (const auto& join : plan_.joins) {
    if (sys::raw_setns(join.fd.get(), join.type) != 0) fail(errno, "setns into a namespace");
  }
  if (plan_.unshare_flags != 0) {
    if (::unshare(plan_.unshare_flags) != 0) fail(errno, "unshare namespaces");
    if (plan_.unshare_flags & CLONE_NEWUSER) {
      check(sync_send(plan_.sync_fd, SyncType::kUserNsReady), "sync with parent");
      wait_for_go();
    }
  }
  if (plan_.fork_for_pid_ns) {
    // setns/unshare of a pid namespace applies to children only: fork once more, as a sibling
    // (CLONE_PARENT), so that the runtime remains the parent of the container's pid 1.
    long pid = ::syscall(SYS_clone, CLONE_PARENT, 0, nullptr, nullptr, 0);
    if (pid < 0) fail(errno, "fork into the pid namespace");
    if (pid > 0) {
      sync_send(plan_.sync_fd, SyncType::kPid, static_cast<int32_t>(pid));
      ::_exit(0);
    }
    // The pdeath signal is per process: arm it again in the new one.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  }
  wait_for_go();
  if (plan_.new_user_ns || plan_.join_user_ns) {
    // Become root of the user namespace (uid 0 is mapped by then): the host's root is not
    // mapped in it, and files it created would have no owner (EOVERFLOW).
    ::syscall(SYS_setresgid, 0, 0, 0);
    ::syscall(SYS_setresuid, 0, 0, 0);
  }
  if (plan_.new_cgroup_ns && ::unshare(CLONE_NEWCGROUP) != 0)
    fail(errno, "unshare the cgroup namespace");
}

int InitChild::open_target(const char* path) noexcept {
  int fd = sys::open_in_root(root_fd_, path, O_PATH);
  if (fd < 0) {
    errno = -fd;
    return -1;
  }
  return fd;
}

int InitChild::ensure_target(const char* path, bool is_file) noexcept {
  int fd = sys::ensure_in_root(root_fd_, path, is_file, 0755);
  if (fd < 0) {
    errno = -fd;
    return -1;
  }
  return fd;
}

unsigned long InitChild::locked_flags(int fd) noexcept {
  struct statvfs sv {};
  if (::fstatvfs(fd, &sv) != 0) return 0;
  unsigned long flags = 0;
  if (sv.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  if (sv.f_flag & ST_RDONLY) flags |= MS_RDONLY;
  return flags;
}

void InitChild::prepare_root() noexcept {
  check(::mount(nullptr, "/", nullptr, plan_.root_propagation, nullptr), "set propagation of /");
  if (!plan_.private_mount.empty()) {
    check(::mount(nullptr, plan_.private_mount.c_str(), nullptr, MS_PRIVATE, nullptr),
          "make private the mount holding the rootfs", plan_.private_mount.c_str());
  }
  // pivot_root needs the rootfs to be a mount point: bind it onto itself.
  check(::mount(plan_.rootfs.c_str(), plan_.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr),
        "bind mount rootfs", plan_.rootfs.c_str());
  root_fd_ = ::open(plan_.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) fail(errno, "open rootfs", plan_.rootfs.c_str());
  proc_fd_dir_ = ::open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (proc_fd_dir_ < 0) fail(errno, "open /proc/self/fd");
}

void InitChild::apply_mount_attributes(const MountStep& step) noexcept {
  if (step.propagation == 0 && step.recursive_attr_set == 0 && step.recursive_attr_clr == 0) return;
  int fd = open_target(step.destination.c_str());
  if (fd < 0) fail(errno, "reopen mount", step.destination.c_str());
  if (step.propagation != 0) {
    check(::mount(nullptr, sys::fd_proc_path(fd, fd_path_), nullptr, step.propagation, nullptr),
          "set mount propagation of", step.destination.c_str());
  }
  if (step.recursive_attr_set != 0 || step.recursive_attr_clr != 0) {
    sys::MountAttr attr{};
    attr.attr_set = step.recursive_attr_set;
    attr.attr_clr = step.recursive_attr_clr;
    check(sys::raw_mount_setattr(fd, "", kAtEmptyPath | sys::kAtRecursive, &attr),
          "set recursive mount attributes of", step.destination.c_str());
  }
  ::close(fd);
}

void InitChild::do_mount(const MountStep& step) noexcept {
  int target = ensure_target(step.destination.c_str(), false);
  if (target < 0) fail(errno, "create mount point", step.destination.c_str());
  int saved_contents = -1;
  if (step.tmpcopyup) {
    saved_contents = ::openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (saved_contents < 0) fail(errno, "open tmpcopyup source", step.destination.c_str());
  }
  const char* data = step.data.empty() ? nullptr : step.data.c_str();
  int rc = ::mount(step.source.c_str(), sys::fd_proc_path(target, fd_path_), step.fstype.c_str(),
                   step.flags, data);
  if (rc != 0 && errno == EPERM && step.fstype == "sysfs") {
    // A user namespace without its own network namespace may not mount sysfs: bind the host's.
    rc = ::mount("/sys", fd_path_, nullptr, MS_BIND | MS_REC, nullptr);
  }
  if (rc != 0) fail(errno, "mount", step.destination.c_str());
  ::close(target);
  if (saved_contents >= 0) {
    int fresh = open_target(step.destination.c_str());
    if (fresh < 0) fail(errno, "reopen tmpcopyup mount", step.destination.c_str());
    int dst = ::openat(fresh, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dst < 0) fail(errno, "open tmpcopyup mount", step.destination.c_str());
    int copy_rc = copy_tree_raw(saved_contents, dst, 64);
    if (copy_rc < 0) fail(-copy_rc, "copy up into tmpfs", step.destination.c_str());
    ::close(dst);
    ::close(fresh);
    ::close(saved_contents);
  }
  apply_mount_attributes(step);
}

void InitChild::do_bind(const MountStep& step) noexcept {
  if (step.skip_if_missing_source && ::access(step.source.c_str(), F_OK) != 0) return;
  int target = ensure_target(step.destination.c_str(), step.dest_is_file);
  if (target < 0) fail(errno, "create mount point", step.destination.c_str());
  check(::mount(step.source.c_str(), sys::fd_proc_path(target, fd_path_), nullptr, step.flags,
                nullptr),
        "bind mount", step.destination.c_str());
  ::close(target);
  remount_bind(step);
  apply_mount_attributes(step);
}

// ro, nosuid, ... of a bind mount take a second, remounting call.
void InitChild::remount_bind(const MountStep& step) noexcept {
  if (step.remount_flags == 0) return;
  int fresh = open_target(step.destination.c_str());
  if (fresh < 0) fail(errno, "reopen bind mount", step.destination.c_str());
  unsigned long flags =
      MS_BIND | MS_REMOUNT | step.remount_flags | (locked_flags(fresh) & ~MS_RDONLY);
  check(::mount(nullptr, sys::fd_proc_path(fresh, fd_path_), nullptr, flags, nullptr),
        "remount bind mount", step.destination.c_str());
  ::close(fresh);
}

void InitChild::do_idmapped_bind(const MountStep& step) noexcept {
  int target = ensure_target(step.destination.c_str(), step.dest_is_file);
  if (target < 0) fail(errno, "create mount point", step.destination.c_str());
  check(sys::raw_move_mount(step.tree_fd, "", target, "",
                            sys::kMoveMountFEmptyPath | sys::kMoveMountTEmptyPath),
        "attach idmapped mount", step.destination.c_str());
  ::close(target);
  ::close(step.tree_fd);
  remount_bind(step);
  apply_mount_attributes(step);
}

void InitChild::do_symlink(const MountStep& step) noexcept {
  // Split the destination into its parent directory and name in a stack buffer.
  char parent[PATH_MAX];
  size_t len = step.destination.size();
  if (len >= sizeof parent) fail(ENAMETOOLONG, "symlink", step.destination.c_str());
  std::memcpy(parent, step.destination.c_str(), len + 1);
  char* slash = std::strrchr(parent, '/');
  const char* name = step.destination.c_str() + (slash ? slash - parent + 1 : 0);
  if (slash) *slash = '\0';
  int dir = ensure_target(slash && parent[0] ? parent : "/", false);
  if (dir < 0) fail(errno, "create symlink parent", step.destination.c_str());
  if (::symlinkat(step.source.c_str(), dir, name) != 0 && errno != EEXIST)
    fail(errno, "symlink", step.destination.c_str());
  ::close(dir);
}

void InitChild::do_remount(const MountStep& step) noexcept {
  int target = open_target(step.destination.c_str());
  if (target < 0) fail(errno, "open remount target", step.destination.c_str());
  check(::mount(nullptr, sys::fd_proc_path(target, fd_path_), nullptr, MS_REMOUNT | step.flags,
                nullptr),
        "remount", step.destination.c_str());
  ::close(target);
}

void InitChild::make_devices() noexcept {
  for (const auto& dev : plan_.devices) {
    char parent[PATH_MAX];
    size_t len = dev.path.size();
    if (len >= sizeof parent) fail(ENAMETOOLONG, "device path", dev.path.c_str());
    std::memcpy(parent, dev.path.c_str(), len + 1);
    char* slash = std::strrchr(parent, '/');
    const char* name = dev.path.c_str() + (slash ? slash - parent + 1 : 0);
    if (slash) *slash = '\0';
    int dir = ensure_target(slash && parent[0] ? parent : "/", false);
    if (dir < 0) fail(errno, "create device directory", dev.path.c_str());
    if (plan_.bind_devices) {
      // mknod is not permitted in a user namespace: bind-mount the host's node instead.
      int target = ensure_target(dev.path.c_str(), true);
      if (target < 0) fail(errno, "create device mount point", dev.path.c_str());
      check(
          ::mount(dev.path.c_str(), sys::fd_proc_path(target, fd_path_), nullptr, MS_BIND, nullptr),
          "bind mount device", dev.path.c_str());
      ::close(target);
    } else {
      ::unlinkat(dir, name, 0);
      if (::mknodat(dir, name, dev.mode, dev.rdev) != 0) fail(errno, "mknod", dev.path.c_str());
      if (::fchownat(dir, name, dev.uid, dev.gid, AT_SYMLINK_NOFOLLOW) != 0)
        fail(errno, "chown device", dev.path.c_str());
    }
    ::close(dir);
  }
}

void InitChild::make_dev_symlinks() noexcept {
  struct Link {
    const char* target;
    const char* name;
  };
  static constexpr Link kLinks[] = {
      {"/proc/self/fd", "fd"},
      {"/proc/self/fd/0", "stdin"},
      {"/proc/self/fd/1", "stdout"},
      {"/proc/self/fd/2", "stderr"},
  };
  int dev = ensure_target("/dev", false);
  if (dev < 0) fail(errno, "open /dev");
  for (const auto& link : kLinks) {
    if (::symlinkat(link.target, dev, link.name) != 0 && errno != EEXIST)
      fail(errno, "symlink /dev/", link.name);
  }
  if (plan_.has_kcore && ::symlinkat("/proc/kcore", dev, "core") != 0 && errno != EEXIST)
    fail(errno, "symlink /dev/core");
  // /dev/ptmx must be the container's devpts instance, not a host node.
  struct stat st {};
  if (::fstatat(dev, "pts", &st, 0) == 0 && S_ISDIR(st.st_mode)) {
    ::unlinkat(dev, "ptmx", 0);
    if (::symlinkat("pts/ptmx", dev, "ptmx") != 0 && errno != EEXIST)
      fail(errno, "symlink /dev/ptmx");
  }
  ::close(dev);
}

void InitChild::setup_console() noexcept {
  int ptmx = sys::open_in_root(root_fd_, "/dev/pts/ptmx", O_RDWR | O_NOCTTY);
  if (ptmx < 0) ptmx = sys::open_in_root(root_fd_, "/dev/ptmx", O_RDWR | O_NOCTTY);
  if (ptmx < 0) fail(-ptmx, "open the container's /dev/pts/ptmx (process.terminal needs devpts)");
  int unlock = 0;
  check(::ioctl(ptmx, TIOCSPTLCK, &unlock), "unlock pty");
  unsigned int number = 0;
  check(::ioctl(ptmx, TIOCGPTN, &number), "get pty number");
  console_slave_ = ::ioctl(ptmx, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (console_slave_ < 0) fail(errno, "open pty peer");
  if (plan_.process.console_size) {
    struct winsize ws {};
    ws.ws_row = static_cast<unsigned short>(plan_.process.console_size->height);
    ws.ws_col = static_cast<unsigned short>(plan_.process.console_size->width);
    check(::ioctl(console_slave_, TIOCSWINSZ, &ws), "set console size");
  }
  int target = ensure_target("/dev/console", true);
  if (target < 0) fail(errno, "create /dev/console");
  check(::mount(sys::fd_proc_path(console_slave_, fd_path2_), sys::fd_proc_path(target, fd_path_),
                nullptr, MS_BIND, nullptr),
        "bind mount /dev/console");
  ::close(target);
  char name[32] = "/dev/pts/";
  sys::format_uint(number, name + 9);
  int rc = sys::send_fd_raw(plan_.console_socket_fd, ptmx, name);
  if (rc < 0) fail(-rc, "send pty master to the console socket");
  ::close(ptmx);
  ::close(plan_.console_socket_fd);
}

void InitChild::switch_root() noexcept {
  check(::fchdir(root_fd_), "chdir to rootfs");
  if (plan_.no_pivot) {
    check(::mount(".", "/", nullptr, MS_MOVE, nullptr), "move rootfs to /");
    check(::chroot("."), "chroot");
  } else {
    // pivot_root(".", ".") stacks the old root on top of the new one; detach it, after making
    // it a slave so the unmount does not propagate to the host. mount(2) resolves "." to the
    // cwd's own mount (the new root), not the one stacked on it: step onto the old root by fd,
    // or the rslave would apply to the container's mounts and undo their propagation.
    int old_root = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (old_root < 0) fail(errno, "open old root");
    check(sys::raw_pivot_root(".", "."), "pivot_root");
    check(::fchdir(old_root), "chdir to old root");
    ::close(old_root);
    check(::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr), "make old root rslave");
    check(::umount2(".", MNT_DETACH), "unmount old root");
  }
  check(::chdir("/"), "chdir /");
  ::close(root_fd_);
  root_fd_ = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) fail(errno, "open new root");
  if (plan_.final_propagation != 0) {
    check(::mount(nullptr, "/", nullptr, plan_.final_propagation, nullptr),
          "set rootfsPropagation");
  }
}

void InitChild::apply_sysctls() noexcept {
  for (const auto& sysctl : plan_.sysctls) {
    int fd = ::open(sysctl.path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) fail(errno, "open sysctl", sysctl.path.c_str());
    int rc = sys::write_all_raw(fd, sysctl.value.data(), sysctl.value.size());
    ::close(fd);
    if (rc < 0) fail(-rc, "write sysctl", sysctl.path.c_str());
  }
}

void InitChild::remount_readonly_paths() noexcept {
  for (const auto& path : plan_.readonly_paths) {
    int fd = open_target(path.c_str());
    if (fd < 0) {
      if (errno == ENOENT) continue;
      fail(errno, "open readonly path", path.c_str());
    }
    check(::mount(sys::fd_proc_path(fd, fd_path_), fd_path_, nullptr, MS_BIND | MS_REC, nullptr),
          "bind readonly path", path.c_str());
    ::close(fd);
    int fresh = open_target(path.c_str());
    if (fresh < 0) fail(errno, "reopen readonly path", path.c_str());
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | locked_flags(fresh);
    check(::mount(nullptr, sys::fd_proc_path(fresh, fd_path_), nullptr, flags, nullptr),
          "remount readonly path", path.c_str());
    ::close(fresh);
  }
}

void InitChild::mask_paths() noexcept {
  for (const auto& path : plan_.masked_paths) {
    int fd = open_target(path.c_str());
    if (fd < 0) {
      if (errno == ENOENT) continue;
      fail(errno, "open masked path", path.c_str());
    }
    struct stat st {};
    check(::fstat(fd, &st), "stat masked path", path.c_str());
    int rc;
    if (S_ISDIR(st.st_mode)) {
      rc = ::mount("tmpfs", sys::fd_proc_path(fd, fd_path_), "tmpfs", MS_RDONLY, nullptr);
    } else {
      rc = ::mount("/dev/null", sys::fd_proc_path(fd, fd_path_), nullptr, MS_BIND, nullptr);
    }
    if (rc != 0) fail(errno, "mask path", path.c_str());
    ::close(fd);
  }
}

void InitChild::finish_rootfs() noexcept {
  apply_sysctls();
  remount_readonly_paths();
  mask_paths();
  if (plan_.readonly_root) {
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags(root_fd_);
    check(::mount(nullptr, "/", nullptr, flags, nullptr), "remount / read-only");
  }
}

void InitChild::run() noexcept {
  // The parent may block signals; the container process must start with none blocked.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // If the runtime dies before the container is fully created, so does the container.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  mode_t original_umask = ::umask(0);

  enter_namespaces();

  if (plan_.set_hostname && ::sethostname(plan_.hostname.c_str(), plan_.hostname.size()) != 0)
    fail(errno, "sethostname");
  if (plan_.set_domainname &&
      ::setdomainname(plan_.domainname.c_str(), plan_.domainname.size()) != 0)
    fail(errno, "setdomainname");

  prepare_root();
  for (const auto& step : plan_.mounts) {
    switch (step.kind) {
      case MountStep::Kind::kMount: do_mount(step); break;
      case MountStep::Kind::kBind: do_bind(step); break;
      case MountStep::Kind::kSymlink: do_symlink(step); break;
      case MountStep::Kind::kRemount: do_remount(step); break;
      case MountStep::Kind::kIdmappedBind: do_idmapped_bind(step); break;
    }
  }
  if (plan_.create_devices) make_devices();
  if (plan_.dev_symlinks) make_dev_symlinks();
  if (plan_.process.terminal) setup_console();

  if (plan_.wait_for_hooks) {
    check(sync_send(plan_.sync_fd, SyncType::kHooks), "sync with parent");
    wait_for_go();
  }

  switch_root();
  finish_rootfs();

  if (plan_.new_session_keyring) {
    // Containers must not share the host's session keyring; failures (no keyring support,
    // keyctl denied by a seccomp profile of an outer container) are not fatal, as with runc.
    ::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, plan_.keyring_name.c_str());
  }

  if (plan_.process.terminal) {
    if (::setsid() < 0) fail(errno, "setsid");
    check(::ioctl(console_slave_, TIOCSCTTY, 0), "set controlling terminal");
    for (int i = 0; i < 3; ++i) check(::dup2(console_slave_, i), "dup2 console");
    ::close(console_slave_);
  } else {
    ::setsid();
  }
  if (!plan_.process.umask) ::umask(original_umask);

  const char* what = nullptr;
  int rc = apply_credentials_and_security(plan_.process, &what);
  if (rc < 0) fail(-rc, what);

  rc = lookup_executable(plan_.process, resolved_, sizeof resolved_);
  if (rc == kNotFoundInPath) {
    char message[600] = "exec: \"";
    size_t len = std::strlen(message);
    const char* name = plan_.process.argv.data()[0];
    while (*name && len < 500) message[len++] = *name++;
    const char kTail[] = "\": executable file not found in $PATH";
    std::memcpy(message + len, kTail, sizeof kTail);
    fail(ENOENT, message);
  }
  if (rc < 0) fail(-rc, "exec: cannot run", plan_.process.argv.data()[0]);

  wait_for_start_and_exec();
}

void InitChild::wait_for_start_and_exec() noexcept {
  // From here on the parent may be gone (`create` returns): no more pdeath signal, and failures
  // go to the container's stderr.
  ::prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
  check(sync_send(plan_.sync_fd, SyncType::kReady), "sync with parent");
  ::close(plan_.sync_fd);

  int fifo = -1;
  if (plan_.fifo_fd >= 0) {
    char name[24];
    sys::format_uint(static_cast<uint64_t>(plan_.fifo_fd), name);
    // Blocks until `start` opens the fifo for reading.
    fifo = ::openat(proc_fd_dir_, name, O_WRONLY | O_CLOEXEC);
    if (fifo < 0) die_after_start("open exec fifo", errno, 1);
    // Above the fds handed to the process: the exec must close it.
    int high = ::fcntl(fifo, F_DUPFD_CLOEXEC, 3 + plan_.process.preserve_fds);
    if (high < 0) die_after_start("dup exec fifo", errno, 1);
    ::close(fifo);
    fifo = high;
  }
  ::close(proc_fd_dir_);

  for (const auto& hook : plan_.start_container_hooks) {
    const char* state = plan_.state_buffer.empty() ? "" : plan_.state_buffer.data();
    int status = 0;
    int rc = run_hook_raw(hook, state, state_length_, -1, 0, &status);
    if (rc < 0)
      die_after_start("startContainer hook failed", rc == kHookTimedOut ? ETIMEDOUT : EINVAL, 1);
  }

  // The byte tells `start` the startContainer hooks ran; the fifo closing at exec tells it the
  // process runs, so that poststart hooks come after it (runtime.md, lifecycle steps 7-9).
  if (fifo >= 0 && sys::write_all_raw(fifo, "0", 1) < 0)
    die_after_start("write exec fifo", errno, 1);

  const char* what = "exec";
  int rc = exec_process(plan_.process, resolved_, &what);
  die_after_start(what, -rc, -rc == ENOENT ? 127 : 126);
}

}  // namespace

void run_init(InitPlan& plan) noexcept {
  InitChild child(plan);
  child.run();
}

}  // namespace berth::runtime
