#include "store/snapshot/chain_id.h"

#include <gtest/gtest.h>

namespace berth::store {
namespace {

Digest d(const char* s) {
  return Digest::parse(s).value();
}

// The rootfs.diff_ids of the example in the OCI image spec's config.md; chain IDs computed
// independently with `printf '%s %s' <chain> <diff> | sha256sum`.
TEST(ChainIdTest, KnownValues) {
  Digest l0 = d("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1");
  Digest l1 = d("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
  auto ids = chain_ids({l0, l1, l1});
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], l0);  // ChainID(L0) = DiffID(L0)
  EXPECT_EQ(ids[1].to_string(),
            "sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f");
  EXPECT_EQ(ids[2].to_string(),
            "sha256:b3f2677e2ce27278b9d7cab94db2e384b4bc04278000f97c62830f0707f3a865");
  EXPECT_EQ(chain_id(ids[1], l1), ids[2]);
  EXPECT_TRUE(chain_ids({}).empty());
}

}  // namespace
}  // namespace berth::store
