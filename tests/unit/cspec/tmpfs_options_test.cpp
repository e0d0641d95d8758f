#include "cspec/tmpfs_options.h"

#include <gtest/gtest.h>

namespace berth::cspec {
namespace {

using Options = std::vector<std::string>;

TEST(TmpfsOptionsTest, DefaultsMergedWithTheRequest) {
  auto options = tmpfs_mount_options("rw,noexec,size=65536k");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(*options, (Options{"nosuid", "nodev", "rprivate", "rw", "noexec", "size=65536k"}));
  auto plain = tmpfs_mount_options("");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, (Options{"noexec", "nosuid", "nodev", "rprivate"}));
}

TEST(TmpfsOptionsTest, LastOfEachConflictWins) {
  auto options = tmpfs_mount_options("exec,size=1m,size=2m,ro,shared,mode=700");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(*options, (Options{"nosuid", "nodev", "exec", "size=2m", "ro", "shared", "mode=700"}));
}

TEST(TmpfsOptionsTest, UnknownOptionsAreDockersError) {
  auto bad = tmpfs_mount_options("foo");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "invalid tmpfs option [\"foo\"]");
  auto bad_key = tmpfs_mount_options("bar=1");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.error().message(), "invalid tmpfs option [\"bar\" \"1\"]");
}

TEST(TmpfsOptionsTest, ConvertMountTmpfsOptions) {
  auto data = convert_tmpfs_options(
      {{"SizeBytes", 1536}, {"Mode", 0700}, {"Options", {{"noexec"}, {"exec", "x"}}}}, false);
  ASSERT_TRUE(data.ok()) << data.error().to_string();
  EXPECT_EQ(*data, "mode=700,size=1536,noexec,exec=x");
  auto gigs = convert_tmpfs_options({{"SizeBytes", int64_t{2} << 30}}, true);
  ASSERT_TRUE(gigs.ok());
  EXPECT_EQ(*gigs, "ro,size=2g");
  EXPECT_EQ(convert_tmpfs_options({{"SizeBytes", 3072}}, false).value(), "size=3k");
  auto bad = convert_tmpfs_options({{"Options", {{"a", "b", "c"}}}}, false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "invalid option array length");
}

}  // namespace
}  // namespace berth::cspec
