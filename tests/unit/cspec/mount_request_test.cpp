#include "cspec/mount_request.h"

#include <gtest/gtest.h>

#include "cspec_test_util.h"

namespace berth::cspec {
namespace {

using test::TempDir;

DaemonDefaults daemon() {
  return DaemonDefaults{};
}

TEST(MountRequestTest, BindFromV) {
  auto m = parse_bind("/srv/data/:/data:ro,z", "", daemon());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->type, "bind");
  EXPECT_EQ(m->source, "/srv/data");
  EXPECT_EQ(m->destination, "/data");
  EXPECT_TRUE(m->read_only);
  EXPECT_EQ(m->propagation, "rprivate");
  EXPECT_EQ(m->mode, "ro,z");
  EXPECT_TRUE(m->create_mountpoint);  // -v creates a missing host directory
}

TEST(MountRequestTest, NamedAndAnonymousVolumes) {
  auto named = parse_bind("cache:/var/cache:nocopy", "local", daemon());
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->type, "volume");
  EXPECT_EQ(named->source, "cache");
  EXPECT_FALSE(named->copy_data);
  EXPECT_EQ(named->volume_driver, "local");
  EXPECT_EQ(named->propagation, "");
  auto anonymous = parse_bind("/scratch", "", daemon());
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->type, "volume");
  EXPECT_EQ(anonymous->source, "");
  EXPECT_EQ(anonymous->destination, "/scratch");
}

TEST(MountRequestTest, PropagationFromMode) {
  auto m = parse_bind("/mnt:/mnt:rshared", "", daemon());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->propagation, "rshared");
  EXPECT_FALSE(m->read_only);
}

TEST(MountRequestTest, BindErrorsAreDockers) {
  struct Case {
    const char* raw;
    const char* error;
  };
  const Case cases[] = {
      {":/x", "invalid volume specification: ':/x'"},
      {"/a:/b:/c:/d", "invalid volume specification: '/a:/b:/c:/d'"},
      {"/a:ro", "invalid volume specification: '/a:ro'"},
      {"/a:/b:rw,ro", "invalid mode: rw,ro"},
      {"/a:/b:bogus", "invalid mode: bogus"},
      {"/a:/",
       "invalid volume specification: '/a:/': invalid mount config for type \"bind\": "
       "invalid specification: destination can't be '/'"},
      {"/a:rel",
       "invalid volume specification: '/a:rel': invalid mount config for type \"bind\": "
       "invalid mount path: 'rel' mount path must be absolute"},
      {"vol:/b:ro,rshared",
       "invalid volume specification: 'vol:/b:ro,rshared': invalid mount config for type "
       "\"volume\": field BindOptions must not be specified"},
  };
  for (const Case& c : cases) {
    auto m = parse_bind(c.raw, "", daemon());
    ASSERT_FALSE(m.ok()) << c.raw;
    EXPECT_EQ(m.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(m.error().message(), c.error) << c.raw;
  }
}

TEST(MountRequestTest, MountBindSourceMustExist) {
  TempDir dir;
  Json mount = {{"Type", "bind"}, {"Source", dir / "missing"}, {"Target", "/x"}};
  auto m = parse_mount(mount, daemon());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message(),
            "invalid mount config for type \"bind\": bind source path does "
            "not exist: " +
                (dir / "missing"));
  mount["BindOptions"] = {{"CreateMountpoint", true}};
  EXPECT_TRUE(parse_mount(mount, daemon()).ok());
  dir.mkdir("present");
  Json present = {{"Type", "bind"},
                  {"Source", dir / "present"},
                  {"Target", "/x/"},
                  {"ReadOnly", true},
                  {"BindOptions", {{"Propagation", "rslave"}, {"NonRecursive", true}}}};
  auto ok = parse_mount(present, daemon());
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->destination, "/x");
  EXPECT_EQ(ok->propagation, "rslave");
  EXPECT_TRUE(ok->non_recursive);
  EXPECT_TRUE(ok->read_only);
  EXPECT_FALSE(ok->from_binds);
}

TEST(MountRequestTest, MountConfigErrors) {
  struct Case {
    Json mount;
    const char* error;
  };
  const Case cases[] = {
      {{{"Type", "bind"}, {"Source", "/"}},
       "invalid mount config for type \"bind\": field Target must not be empty"},
      {{{"Type", "bind"}, {"Target", "/x"}},
       "invalid mount config for type \"bind\": field Source must not be empty"},
      {{{"Type", "bind"}, {"Source", "rel"}, {"Target", "/x"}},
       "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be "
       "absolute"},
      {{{"Type", "bind"},
        {"Source", "/"},
        {"Target", "/x"},
        {"BindOptions", {{"Propagation", "weird"}}}},
       "invalid mount config for type \"bind\": invalid propagation mode: weird"},
      {{{"Type", "volume"}, {"Target", "/x"}, {"ReadOnly", true}},
       "invalid mount config for type \"volume\": must not set ReadOnly mode when using "
       "anonymous volumes"},
      {{{"Type", "volume"},
        {"Source", "v"},
        {"Target", "/x"},
        {"VolumeOptions", {{"Subpath", "../up"}}}},
       "invalid mount config for type \"volume\": subpath must be a relative path within the "
       "volume"},
      {{{"Type", "tmpfs"}, {"Source", "x"}, {"Target", "/x"}},
       "invalid mount config for type \"tmpfs\": field Source must not be specified"},
      {{{"Type", "tmpfs"}, {"Target", "/x"}, {"TmpfsOptions", {{"Options", {{"suid"}}}}}},
       "invalid mount config for type \"tmpfs\": invalid option: suid"},
      {{{"Type", "npipe"}, {"Source", "x"}, {"Target", "/x"}},
       "invalid mount config for type \"npipe\": mount type unknown"},
  };
  for (const Case& c : cases) {
    auto m = parse_mount(c.mount, daemon());
    ASSERT_FALSE(m.ok()) << c.mount.dump();
    EXPECT_EQ(m.error().message(), c.error) << c.mount.dump();
  }
}

TEST(MountRequestTest, TmpfsMountCarriesItsData) {
  Json mount = {{"Type", "tmpfs"},
                {"Target", "/cache"},
                {"ReadOnly", true},
                {"TmpfsOptions", {{"SizeBytes", 67108864}, {"Mode", 01777}}}};
  auto m = parse_mount(mount, daemon());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->tmpfs_data, "ro,mode=1777,size=64m");
}

TEST(MountRequestTest, DataRootBindsGetSlavePropagation) {
  DaemonDefaults d;
  d.data_root = "/var/lib/berth";
  auto inside = parse_bind("/var/lib/berth/volumes:/v", "", d);
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(inside->propagation, "rslave");
  auto parent = parse_bind("/var/lib:/v", "", d);
  ASSERT_TRUE(parent.ok());
  EXPECT_EQ(parent->propagation, "rslave");
  auto explicit_private = parse_bind("/var/lib/berth:/v:rprivate", "", d);
  ASSERT_FALSE(explicit_private.ok());
  EXPECT_EQ(explicit_private.error().message(),
            "invalid volume specification: '/var/lib/berth:/v:rprivate': invalid mount config: "
            "must use either propagation mode \"rslave\" or \"rshared\" when mount source is "
            "within the daemon root, daemon root: \"/var/lib/berth\", bind mount source: "
            "\"/var/lib/berth\", propagation: \"rprivate\"");
}

TEST(MountRequestTest, DuplicatesAcrossBindsMountsAndTmpfs) {
  TempDir dir;
  Json hc = {{"Binds", {"/a:/data", "/b:/data/"}}};
  auto dup = read_mount_requests(hc, daemon());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message(), "Duplicate mount point: /data");
  Json with_tmpfs = {{"Binds", {"/a:/run"}}, {"Tmpfs", {{"/run", ""}}}};
  EXPECT_EQ(read_mount_requests(with_tmpfs, daemon()).error().message(),
            "Duplicate mount point: /run");
  Json with_mount = {{"Binds", {"/a:/x"}},
                     {"Mounts", {{{"Type", "bind"}, {"Source", dir.path()}, {"Target", "/x/"}}}}};
  EXPECT_EQ(read_mount_requests(with_mount, daemon()).error().message(),
            "Duplicate mount point: /x/");
}

}  // namespace
}  // namespace berth::cspec

namespace berth::cspec {
namespace {

TEST(MountRequestTest, AnonymousVolumesForTheImagesVolumes) {
  Json config = {{"Volumes",
                  {{"/data", Json::object()},
                   {"/var/log/", Json::object()},
                   {"/run", Json::object()},
                   {"/cache", Json::object()}}}};
  Json hc = {{"Binds", {"/srv:/data"}}, {"Tmpfs", {{"/run", ""}}}};
  auto requests = read_mount_requests(hc, DaemonDefaults{});
  ASSERT_TRUE(requests.ok());
  auto targets = anonymous_volume_targets(config, hc, *requests);
  ASSERT_TRUE(targets.ok());
  EXPECT_EQ(*targets, (std::vector<std::string>{"/cache", "/var/log"}));
  EXPECT_TRUE(anonymous_volume_targets({{"Volumes", nullptr}}, hc, *requests)->empty());
}

}  // namespace
}  // namespace berth::cspec
