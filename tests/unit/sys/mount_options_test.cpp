// A golden table: config.json mount options -> mount(2) flags, propagation, mount_setattr
// attributes and the filesystem data string.
#include "sys/mount_options.h"

#include <sys/mount.h>

#include <gtest/gtest.h>

#include "sys/syscalls.h"

namespace berth::sys {
namespace {

struct Golden {
  std::vector<std::string> options;
  unsigned long flags;
  unsigned long propagation;
  uint64_t attr_set;
  uint64_t attr_clr;
  std::string data;
  bool bind;
};

const Golden kTable[] = {
    {{}, 0, 0, 0, 0, "", false},
    {{"defaults"}, 0, 0, 0, 0, "", false},
    {{"ro"}, MS_RDONLY, 0, 0, 0, "", false},
    {{"ro", "rw"}, 0, 0, 0, 0, "", false},
    {{"rw", "ro"}, MS_RDONLY, 0, 0, 0, "", false},
    {{"nosuid", "nodev", "noexec"}, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, 0, 0, "", false},
    {{"nosuid", "suid", "dev", "exec"}, 0, 0, 0, 0, "", false},
    {{"noatime", "atime"}, 0, 0, 0, 0, "", false},
    {{"relatime", "strictatime", "nodiratime"},
     MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME,
     0,
     0,
     0,
     "",
     false},
    {{"sync", "dirsync"}, MS_SYNCHRONOUS | MS_DIRSYNC, 0, 0, 0, "", false},
    {{"sync", "async"}, 0, 0, 0, 0, "", false},
    {{"mand", "nomand"}, 0, 0, 0, 0, "", false},
    {{"silent", "loud"}, 0, 0, 0, 0, "", false},
    {{"iversion", "lazytime"}, MS_I_VERSION | MS_LAZYTIME, 0, 0, 0, "", false},
    {{"remount"}, MS_REMOUNT, 0, 0, 0, "", false},
    {{"bind"}, MS_BIND, 0, 0, 0, "", true},
    {{"rbind"}, MS_BIND | MS_REC, 0, 0, 0, "", true},
    {{"rbind", "ro", "nosuid"}, MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID, 0, 0, 0, "", true},
    {{"private"}, 0, MS_PRIVATE, 0, 0, "", false},
    {{"rprivate"}, 0, MS_PRIVATE | MS_REC, 0, 0, "", false},
    {{"shared"}, 0, MS_SHARED, 0, 0, "", false},
    {{"rshared"}, 0, MS_SHARED | MS_REC, 0, 0, "", false},
    {{"slave"}, 0, MS_SLAVE, 0, 0, "", false},
    {{"rslave"}, 0, MS_SLAVE | MS_REC, 0, 0, "", false},
    {{"unbindable"}, 0, MS_UNBINDABLE, 0, 0, "", false},
    {{"runbindable"}, 0, MS_UNBINDABLE | MS_REC, 0, 0, "", false},
    {{"rshared", "rslave"}, 0, MS_SLAVE | MS_REC, 0, 0, "", false},  // the last one wins
    {{"rro"}, 0, 0, kMountAttrRdonly, 0, "", false},
    {{"rro", "rrw"}, 0, 0, 0, kMountAttrRdonly, "", false},
    {{"rnosuid", "rnodev", "rnoexec"},
     0,
     0,
     kMountAttrNosuid | kMountAttrNodev | kMountAttrNoexec,
     0,
     "",
     false},
    {{"rsuid", "rdev", "rexec"},
     0,
     0,
     0,
     kMountAttrNosuid | kMountAttrNodev | kMountAttrNoexec,
     "",
     false},
    {{"rnodiratime"}, 0, 0, kMountAttrNodiratime, 0, "", false},
    {{"rdiratime"}, 0, 0, 0, kMountAttrNodiratime, "", false},
    // The atime family is one field: setting one replaces the other.
    {{"rnoatime"}, 0, 0, kMountAttrNoatime, kMountAttrAtimeMask, "", false},
    {{"rstrictatime"}, 0, 0, kMountAttrStrictatime, kMountAttrAtimeMask, "", false},
    {{"rnoatime", "rrelatime"}, 0, 0, kMountAttrRelatime, kMountAttrAtimeMask, "", false},
    {{"mode=755"}, 0, 0, 0, 0, "mode=755", false},
    {{"nosuid", "strictatime", "mode=755", "size=65536k"},
     MS_NOSUID | MS_STRICTATIME,
     0,
     0,
     0,
     "mode=755,size=65536k",
     false},
    {{"newinstance", "ptmxmode=0666", "gid=5"},
     0,
     0,
     0,
     0,
     "newinstance,ptmxmode=0666,gid=5",
     false},
    {{"", "ro", ""}, MS_RDONLY, 0, 0, 0, "", false},  // empty options are ignored
};

TEST(MountOptionsTest, GoldenTable) {
  for (const auto& g : kTable) {
    std::string name;
    for (const auto& o : g.options) name += o + " ";
    SCOPED_TRACE(name);
    auto parsed = parse_mount_options(g.options);
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(parsed->flags, g.flags);
    EXPECT_EQ(parsed->propagation, g.propagation);
    EXPECT_EQ(parsed->recursive_attr_set, g.attr_set);
    EXPECT_EQ(parsed->recursive_attr_clr, g.attr_clr);
    EXPECT_EQ(parsed->data, g.data);
    EXPECT_EQ(parsed->bind, g.bind);
    EXPECT_FALSE(parsed->tmpcopyup);
    EXPECT_FALSE(parsed->idmap);
  }
}

TEST(MountOptionsTest, Extensions) {
  auto copyup = parse_mount_options({"tmpcopyup", "mode=700"});
  ASSERT_TRUE(copyup.ok());
  EXPECT_TRUE(copyup->tmpcopyup);
  EXPECT_EQ(copyup->data, "mode=700");
  for (const char* option : {"idmap", "ridmap"}) {
    auto idmap = parse_mount_options({"rbind", option});
    ASSERT_TRUE(idmap.ok());
    EXPECT_TRUE(idmap->idmap);
    EXPECT_EQ(idmap->data, "");
  }
}

TEST(MountOptionsTest, OptionWithCommaIsRejected) {
  auto bad = parse_mount_options({"ro", "size=1m,mode=700"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().to_string().find("size=1m,mode=700"), std::string::npos);
}

TEST(MountOptionsTest, BindRemountFlagsKeepOnlyRemountableOnes) {
  auto opts = parse_mount_options(
      {"rbind", "ro", "nosuid", "nodev", "noexec", "noatime", "sync", "mode=1"});
  ASSERT_TRUE(opts.ok());
  EXPECT_EQ(bind_remount_flags(*opts),
            static_cast<unsigned long>(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME));
  auto plain = parse_mount_options({"bind"});
  EXPECT_EQ(bind_remount_flags(*plain), 0UL);
}

TEST(MountOptionsTest, PropagationFromName) {
  EXPECT_EQ(propagation_from_name("rslave"), static_cast<unsigned long>(MS_SLAVE | MS_REC));
  EXPECT_EQ(propagation_from_name("shared"), static_cast<unsigned long>(MS_SHARED));
  EXPECT_EQ(propagation_from_name("private"), static_cast<unsigned long>(MS_PRIVATE));
  EXPECT_EQ(propagation_from_name("sideways"), 0UL);
  EXPECT_EQ(propagation_from_name(""), 0UL);
}

}  // namespace
}  // namespace berth::sys
