#include "store/snapshot/chain_id.h"

namespace berth::store {

Digest chain_id(const Digest& parent, const Digest& diff_id) {
  return Digest::of(parent.to_string() + " " + diff_id.to_string());
}

std::vector<Digest> chain_ids(const std::vector<Digest>& diff_ids) {
  std::vector<Digest> out;
  out.reserve(diff_ids.size());
  for (const auto& diff_id : diff_ids) {
    out.push_back(out.empty() ? diff_id : chain_id(out.back(), diff_id));
  }
  return out;
}

}  // namespace berth::store
