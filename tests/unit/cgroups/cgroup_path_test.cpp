#include "cgroups/cgroup_path.h"

#include <gtest/gtest.h>

namespace berth::cgroups {
namespace {

std::string resolve(std::string_view path, std::string_view id = "abc") {
  auto result = resolve_cgroup_path(path, id);
  return result.ok() ? *result : "error: " + result.error().to_string();
}

TEST(CgroupPathTest, AbsoluteIsTakenAsIs) {
  EXPECT_EQ(resolve("/berth/abc"), "/berth/abc");
  EXPECT_EQ(resolve("/a//b/./c/"), "/a/b/c");
}

TEST(CgroupPathTest, RelativeIsAnchoredAtTheHierarchyRoot) {
  EXPECT_EQ(resolve("berth/abc"), "/berth/abc");
  EXPECT_EQ(resolve("abc"), "/abc");
}

TEST(CgroupPathTest, DotDotNeverClimbsOut) {
  EXPECT_EQ(resolve("/../../etc"), "/etc");
  EXPECT_EQ(resolve("../x"), "/x");
  EXPECT_EQ(resolve("/a/../b"), "/b");
}

TEST(CgroupPathTest, EmptyUsesTheContainerId) {
  EXPECT_EQ(resolve("", "mycontainer"), "/mycontainer");
  EXPECT_EQ(resolve("", "a/b").substr(0, 6), "error:");
  EXPECT_EQ(resolve("", "..").substr(0, 6), "error:");
}

TEST(CgroupPathTest, TheRootItselfIsRefused) {
  EXPECT_EQ(resolve("/").substr(0, 6), "error:");
  EXPECT_EQ(resolve("/a/..").substr(0, 6), "error:");
}

TEST(CgroupPathTest, SystemdSliceFormIsRefused) {
  auto result = resolve_cgroup_path("system.slice:docker:abc", "abc");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kUnimplemented);
  EXPECT_NE(result.error().message().find("systemd cgroup driver not supported"),
            std::string::npos);
  EXPECT_FALSE(resolve_cgroup_path(":runc:abc", "abc").ok());
  // A colon in an ordinary absolute path is just a name.
  EXPECT_EQ(resolve("/a:b:c"), "/a:b:c");
}

}  // namespace
}  // namespace berth::cgroups
