// Messages between the runtime (parent) and the container's init (child) on the sync socketpair.
// Fixed-size headers so the child can read and write them without allocating.
#pragma once

#include <cstddef>
#include <cstdint>

namespace berth::runtime {

enum class SyncType : uint32_t {
  kGo = 1,           // parent -> child: continue (maps written, cgroup joined, hooks ran)
  kHooks = 2,        // child -> parent: rootfs ready; run createRuntime/createContainer hooks
  kReady = 3,        // child -> parent: set up; about to wait for `start` on exec.fifo
  kError = 4,        // child -> parent: failed; payload is the message, errnum the errno
  kStateJson = 5,    // parent -> child: the state JSON for startContainer hooks (payload)
  kPid = 6,          // child -> parent: the pid of the real init (after an extra fork)
  kUserNsReady = 7,  // child -> parent: unshared a user namespace; write its id maps
};

struct SyncHeader {
  SyncType type;
  int32_t errnum;   // kError: errno; kPid: the pid
  uint32_t length;  // payload bytes that follow
};

inline constexpr size_t kMaxSyncPayload = 64 * 1024;

// Child side (no allocation). Return 0 or -errno.
int sync_send(int fd, SyncType type, int32_t errnum = 0, const char* payload = nullptr,
              uint32_t length = 0) noexcept;
// Receives a header and up to `capacity` payload bytes into `payload` (excess is discarded).
int sync_recv(int fd, SyncHeader* header, char* payload, size_t capacity) noexcept;

// Sends kError with "what: detail" built in a stack buffer, then _exit(1). For the child only.
[[noreturn]] void child_fail(int sync_fd, int err, const char* what,
                             const char* detail = nullptr) noexcept;

}  // namespace berth::runtime
