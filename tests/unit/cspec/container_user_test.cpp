#include "cspec/container_user.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "cspec_test_util.h"

namespace berth::cspec {
namespace {

using test::TempDir;
using Gids = std::vector<uint32_t>;

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
    "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
    "bob:x:1001:100::/home/bob:/bin/sh\n";
constexpr const char* kGroup =
    "root:x:0:\n"
    "# a comment line\n"
    "wheel:x:10:root,alice\n"
    "users:x:100:\n"
    "alice:x:1000:\n"
    "docker:x:999:alice,bob\n";

class ContainerUserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("rootfs/etc/passwd", kPasswd);
    dir_.write("rootfs/etc/group", kGroup);
  }
  Result<oci::User> resolve(const std::string& spec, const std::vector<std::string>& add = {}) {
    auto files = read_account_files(dir_ / "rootfs");
    if (!files.ok()) return files.error();
    return resolve_user(spec, add, *files);
  }
  TempDir dir_;
};

TEST_F(ContainerUserTest, EmptyIsRootWithRootsGroups) {
  auto user = resolve("");
  ASSERT_TRUE(user.ok()) << user.error().to_string();
  EXPECT_EQ(user->uid, 0u);
  EXPECT_EQ(user->gid, 0u);
  EXPECT_EQ(user->additional_gids, (Gids{0, 10}));
}

TEST_F(ContainerUserTest, NameTakesPrimaryAndSupplementaryGroups) {
  auto user = resolve("alice");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->uid, 1000u);
  EXPECT_EQ(user->gid, 1000u);
  EXPECT_EQ(user->additional_gids, (Gids{1000, 10, 999}));
}

TEST_F(ContainerUserTest, UidMatchesAPasswdEntry) {
  auto user = resolve("1001");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->uid, 1001u);
  EXPECT_EQ(user->gid, 100u);
  EXPECT_EQ(user->additional_gids, (Gids{100, 999}));
}

TEST_F(ContainerUserTest, UnknownUidIsUsedAsIsWithGidZero) {
  auto user = resolve("4242");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->uid, 4242u);
  EXPECT_EQ(user->gid, 0u);
  EXPECT_EQ(user->additional_gids, (Gids{0}));
}

TEST_F(ContainerUserTest, ExplicitGroupByNameOrNumberDropsSupplementaryGroups) {
  auto by_name = resolve("alice:users");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->gid, 100u);
  EXPECT_EQ(by_name->additional_gids, (Gids{100}));
  auto numbers = resolve("1000:1000");
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(numbers->uid, 1000u);
  EXPECT_EQ(numbers->gid, 1000u);
  EXPECT_EQ(numbers->additional_gids, (Gids{1000}));
  auto unknown_gid = resolve("alice:5555");
  ASSERT_TRUE(unknown_gid.ok());
  EXPECT_EQ(unknown_gid->gid, 5555u);
}

TEST_F(ContainerUserTest, GroupAddByNameOrNumber) {
  auto user = resolve("bob", {"wheel", "999", "12345"});
  ASSERT_TRUE(user.ok()) << user.error().to_string();
  EXPECT_EQ(user->additional_gids, (Gids{100, 999, 10, 999, 12345}));
}

TEST_F(ContainerUserTest, DockerErrors) {
  auto user = resolve("foo");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(user.error().message(), "unable to find user foo: no matching entries in passwd file");
  auto group = resolve("alice:nogroup");
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().message(),
            "unable to find group nogroup: no matching entries in group file");
  auto add = resolve("alice", {"nosuch"});
  ASSERT_FALSE(add.ok());
  EXPECT_EQ(add.error().message(),
            "Unable to find group nosuch: no matching entries in group file");
  auto range = resolve("4294967296");
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.error().message(), "uids and gids must be in range 0-2147483647");
}

TEST(ContainerUserFilesTest, MissingFilesAllowNumbersOnly) {
  TempDir dir;
  dir.mkdir("rootfs");
  auto files = read_account_files(dir / "rootfs");
  ASSERT_TRUE(files.ok());
  EXPECT_FALSE(files->has_passwd);
  auto root = resolve_user("", {}, *files);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->additional_gids, (Gids{0}));
  auto numeric = resolve_user("1000:1000", {"50"}, *files);
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->additional_gids, (Gids{1000, 50}));
  auto named = resolve_user("www", {}, *files);
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().message(), "unable to find user www: no matching entries in passwd file");
}

// An image whose /etc/passwd points at the host's account database must not make the engine read
// the host's file: the link resolves inside the rootfs.
TEST(ContainerUserFilesTest, SymlinkToHostPasswdIsNotFollowedOutOfTheRoot) {
  TempDir dir;
  dir.write("host/etc/passwd", "hostonly:x:777:777::/:/bin/sh\n");
  dir.symlink("rootfs/etc/passwd", dir / "host/etc/passwd");    // absolute, to the "host" file
  dir.symlink("rootfs/etc/group", "../../../host/etc/passwd");  // relative, climbing out
  auto files = read_account_files(dir / "rootfs");
  ASSERT_TRUE(files.ok()) << files.error().to_string();
  EXPECT_FALSE(files->has_passwd);
  EXPECT_FALSE(files->has_group);
  auto user = resolve_user("hostonly", {}, *files);
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().message(),
            "unable to find user hostonly: no matching entries in passwd file");
}

TEST(ContainerUserFilesTest, SymlinkInsideTheRootIsFollowedWithinIt) {
  TempDir dir;
  dir.write("rootfs/usr/lib/passwd", "carol:x:1234:1234::/:/bin/sh\n");
  dir.symlink("rootfs/etc/passwd", "/usr/lib/passwd");
  auto files = read_account_files(dir / "rootfs");
  ASSERT_TRUE(files.ok());
  auto user = resolve_user("carol", {}, *files);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->uid, 1234u);
}

TEST(ContainerUserFilesTest, NonRegularFilesAreIgnored) {
  TempDir dir;
  dir.mkdir("rootfs/etc/passwd");                                    // a directory
  ASSERT_EQ(::mkfifo((dir / "rootfs/etc/group").c_str(), 0644), 0);  // would block a reader
  auto files = read_account_files(dir / "rootfs");
  ASSERT_TRUE(files.ok()) << files.error().to_string();
  EXPECT_FALSE(files->has_passwd);
  EXPECT_FALSE(files->has_group);
}

}  // namespace
}  // namespace berth::cspec
