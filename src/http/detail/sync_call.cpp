#include "http/detail/sync_call.h"

namespace berth::http::detail {

namespace {
thread_local bool t_io_thread = false;
}  // namespace

void mark_io_thread() {
  t_io_thread = true;
}
bool on_io_thread() {
  return t_io_thread;
}

}  // namespace berth::http::detail
