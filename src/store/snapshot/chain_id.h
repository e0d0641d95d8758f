// ChainIDs (OCI config.md, "Layer ChainID"): the identity of a stack of applied layers.
//   ChainID(L0) = DiffID(L0)
//   ChainID(L0|...|Ln) = sha256(ChainID(L0|...|Ln-1) + " " + DiffID(Ln))
#pragma once

#include <vector>

#include "store/digest.h"

namespace berth::store {

// The ChainID of `diff_id` applied on top of the stack `parent` (a ChainID).
Digest chain_id(const Digest& parent, const Digest& diff_id);
// The ChainID of every prefix of `diff_ids` (bottom..top): result[i] identifies layers 0..i.
std::vector<Digest> chain_ids(const std::vector<Digest>& diff_ids);

}  // namespace berth::store
