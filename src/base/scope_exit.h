// ScopeExit: runs a callable when the scope ends, unless dismissed. Used for rollback:
//   auto undo = ScopeExit([&] { remove_cgroup(); });  ...  undo.dismiss();
#pragma once

#include <utility>

namespace berth {

template <typename F>
class [[nodiscard]] ScopeExit {
 public:
  explicit ScopeExit(F fn) : fn_(std::move(fn)) {}
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;
  ~ScopeExit() {
    if (active_) fn_();
  }
  void dismiss() { active_ = false; }

 private:
  F fn_;
  bool active_ = true;
};

}  // namespace berth
