// Applying capability sets in the container's init, between clone and exec: raw system calls over
// data computed before the clone. Nothing here may allocate, lock or log.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "security/capabilities.h"

namespace berth::security {

int drop_bounding_raw(uint64_t bounding, int last_cap) noexcept {
  for (int cap = 0; cap <= last_cap && cap < 64; ++cap) {
    if (bounding & capability_bit(cap)) continue;
    // Dropping needs CAP_SETPCAP; skipping capabilities that are already gone lets a process that
    // has lost it (after the switch to the container user) call this again harmlessly.
    int present = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (present < 0) return -errno;
    if (present == 0) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) return -errno;
  }
  return 0;
}

int apply_capabilities_raw(const CapabilitySets& sets, int last_cap) noexcept {
  if (int rc = drop_bounding_raw(sets.bounding, last_cap); rc != 0) return rc;

  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  // Version 3 takes the 64-bit sets as two 32-bit words, low word first.
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  for (int word = 0; word < _LINUX_CAPABILITY_U32S_3; ++word) {
    int shift = 32 * word;
    data[word].effective = static_cast<uint32_t>(sets.effective >> shift);
    data[word].permitted = static_cast<uint32_t>(sets.permitted >> shift);
    data[word].inheritable = static_cast<uint32_t>(sets.inheritable >> shift);
  }
  if (syscall(SYS_capset, &header, data) != 0) return -errno;

  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    // Kernels before 4.3 have no ambient set; that only matters when one is asked for.
    if (errno != EINVAL || sets.ambient != 0) return -errno;
    return 0;
  }
  for (int cap = 0; cap <= last_cap && cap < 64; ++cap) {
    if (!(sets.ambient & capability_bit(cap))) continue;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0) return -errno;
  }
  return 0;
}

int set_keep_caps_raw(bool keep) noexcept {
  if (prctl(PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0) != 0) return -errno;
  return 0;
}

}  // namespace berth::security
