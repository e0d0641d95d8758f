// save and load: docker-archive and OCI layout, both ways, and archives that lie or escape.
#include <gtest/gtest.h>

#include "image/import.h"
#include "image/load.h"
#include "image/save.h"
#include "image_test_util.h"
#include "store/archive/tar_reader.h"
#include "store/archive/tar_writer.h"

namespace berth::image {
namespace {

using test::counts;
using test::TempDir;

struct Entry {
  store::TarHeader header;
  std::string data;
};

std::vector<Entry> read_tar(const std::string& tar) {
  store::StringReader in(tar);
  store::TarReader r(in);
  std::vector<Entry> out;
  while (true) {
    auto h = r.next();
    EXPECT_TRUE(h.ok());
    if (!h.ok() || !*h) break;
    Entry e{**h, ""};
    char buf[65536];
    while (true) {
      auto n = r.read_data(buf, sizeof buf);
      if (!n.ok() || *n == 0) break;
      e.data.append(buf, *n);
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string write_tar(const std::vector<Entry>& entries) {
  std::string out;
  store::StringWriter sink(&out);
  store::TarWriter w(sink);
  for (const auto& e : entries) {
    store::TarHeader h = e.header;
    if (h.type == store::EntryType::kRegular) h.size = static_cast<int64_t>(e.data.size());
    EXPECT_TRUE(w.add(h).ok());
    if (!e.data.empty()) {
      EXPECT_TRUE(w.write_data(e.data).ok());
    }
  }
  EXPECT_TRUE(w.finish().ok());
  return out;
}

Entry file_entry(const std::string& path, const std::string& data) {
  store::TarHeader h;
  h.path = path;
  h.type = store::EntryType::kRegular;
  h.mode = 0644;
  return Entry{h, data};
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = test::open_store(src_dir_.path());
    dest_ = test::open_store(dest_dir_.path());
  }

  store::Digest import(const std::string& marker, const std::string& tag,
                       store::Compression c = store::Compression::kGzip) {
    std::string tar = test::rootfs_tar(marker);
    std::string data = c == store::Compression::kNone ? tar : test::compress(tar, c);
    store::StringReader in(data);
    ImportOptions options;
    if (!tag.empty()) options.tag = Reference::parse_normalized(tag).value();
    options.changes = {"CMD [\"/bin/tool\"]"};
    auto id = import_image(*source_, in, options);
    EXPECT_TRUE(id.ok()) << id.error().to_string();
    return id.value_or(store::Digest());
  }

  std::string save(const std::vector<std::string>& names) {
    std::string out;
    store::StringWriter sink(&out);
    auto st = save_images(*source_, names, sink);
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return out;
  }

  Result<LoadResult> load(const std::string& tar, std::vector<std::string>* lines = nullptr) {
    store::StringReader in(tar);
    ProgressOutput progress([&](const JsonMessage& m) {
      if (lines != nullptr && !m.stream.empty()) lines->push_back(m.stream);
    });
    return load_images(*dest_, in, {}, progress);
  }

  std::string marker_in(ImageStore& s, const std::string& name) {
    auto rec = s.resolve(name);
    if (!rec.ok()) return "<no image>";
    auto dirs = s.snapshots().layer_dirs(rec->top_layer);
    if (!dirs.ok() || dirs->empty()) return "<no layers>";
    return test::slurp_or(dirs->back() + "/etc/marker");
  }

  TempDir src_dir_;
  TempDir dest_dir_;
  std::unique_ptr<ImageStore> source_;
  std::unique_ptr<ImageStore> dest_;
};

TEST_F(ArchiveTest, SaveWritesBothLayouts) {
  auto id = import("one", "busybox:latest");
  auto entries = read_tar(save({"busybox"}));
  std::map<std::string, std::string> files;
  for (const auto& e : entries) files[e.header.path] = e.data;
  ASSERT_TRUE(files.contains("manifest.json"));
  ASSERT_TRUE(files.contains("index.json"));
  ASSERT_TRUE(files.contains("oci-layout"));
  ASSERT_TRUE(files.contains("repositories"));
  EXPECT_TRUE(files.contains("blobs/sha256/" + id.hex()));
  auto manifest = Json::parse(files["manifest.json"]);
  ASSERT_EQ(manifest.size(), 1u);
  EXPECT_EQ(manifest[0]["Config"], "blobs/sha256/" + id.hex());
  EXPECT_EQ(manifest[0]["RepoTags"], Json::array({"busybox:latest"}));
  ASSERT_EQ(manifest[0]["Layers"].size(), 1u);
  EXPECT_TRUE(files.contains(manifest[0]["Layers"][0].get<std::string>()));
  auto index = Json::parse(files["index.json"]);
  EXPECT_EQ(index["manifests"][0]["annotations"]["io.containerd.image.name"],
            "docker.io/library/busybox:latest");
  EXPECT_EQ(index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"], "latest");
  EXPECT_EQ(Json::parse(files["repositories"])["busybox"]["latest"], id.hex());
  // Every blob is what its name says.
  for (const auto& [path, data] : files) {
    if (path.starts_with("blobs/sha256/") && path.size() > 13) {
      EXPECT_EQ("blobs/sha256/" + store::Digest::of(data).hex(), path);
    }
  }
}

TEST_F(ArchiveTest, RoundTripSeveralImages) {
  auto a = import("alpha", "app:a");
  auto b = import("beta", "app:b", store::Compression::kZstd);
  auto c = import("gamma", "");  // untagged: saved by ID
  std::string tar = save({"app", c.hex().substr(0, 12)});
  std::vector<std::string> lines;
  auto r = load(tar, &lines);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->image_ids.size(), 3u);
  EXPECT_EQ(dest_->resolve("app:a")->id, a);
  EXPECT_EQ(dest_->resolve("app:b")->id, b);
  EXPECT_TRUE(dest_->exists(c));
  EXPECT_EQ(marker_in(*dest_, "app:a"), "alpha");
  EXPECT_EQ(marker_in(*dest_, "app:b"), "beta");
  EXPECT_EQ(marker_in(*dest_, c.to_string()), "gamma");
  std::vector<std::string> want = {"Loaded image: app:a\n", "Loaded image: app:b\n",
                                   "Loaded image ID: " + c.to_string() + "\n"};
  EXPECT_EQ(lines, want);
  // Loading again moves nothing and duplicates nothing.
  auto before = counts(*dest_);
  ASSERT_TRUE(load(tar).ok());
  EXPECT_EQ(counts(*dest_), before);
}

TEST_F(ArchiveTest, LoadRenamesAnExistingTag) {
  import("old", "app:1");
  ASSERT_TRUE(load(save({"app:1"})).ok());
  // The source gets a new app:1; loading it over the destination's renames the old one away.
  auto newer = import("new", "app:1");
  std::vector<std::string> lines;
  ASSERT_TRUE(load(save({"app:1"}), &lines).ok());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(
      lines[0].starts_with("The image app:1 already exists, renaming the old one with ID sha256:"));
  EXPECT_EQ(dest_->resolve("app:1")->id, newer);
}

TEST_F(ArchiveTest, LoadsOciLayoutAlone) {
  auto id = import("oci only", "example.com/team/app:2.0");
  auto entries = read_tar(save({"example.com/team/app:2.0"}));
  std::erase_if(entries, [](const Entry& e) {
    return e.header.path == "manifest.json" || e.header.path == "repositories";
  });
  auto r = load(write_tar(entries));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(dest_->resolve("example.com/team/app:2.0")->id, id);
  EXPECT_EQ(dest_->get(id)->format, ManifestFormat::kOci);
  EXPECT_EQ(dest_->get(id)->manifests.size(), 1u);
  EXPECT_EQ(marker_in(*dest_, "example.com/team/app:2.0"), "oci only");
}

TEST_F(ArchiveTest, LoadsDockerArchiveAlone) {
  auto id = import("docker only", "app:d");
  auto entries = read_tar(save({"app:d"}));
  std::erase_if(entries, [](const Entry& e) {
    return e.header.path == "index.json" || e.header.path == "oci-layout";
  });
  auto r = load(write_tar(entries));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(dest_->resolve("app:d")->id, id);
}

TEST_F(ArchiveTest, LoadsLegacyDockerArchive) {
  // As docker save wrote before 25: <id>.json configs and <layer>/layer.tar, uncompressed, with
  // a duplicate layer linked to the first.
  std::string tar = test::rootfs_tar("legacy");
  ImageConfig config;
  config.architecture = "amd64";
  config.os = "linux";
  config.diff_ids = {store::Digest::of(tar)};
  std::string config_bytes = serialize_image_config(config);
  auto id = store::Digest::of(config_bytes);
  ImageConfig config2 = config;
  config2.comment = "second";
  std::string config2_bytes = serialize_image_config(config2);
  auto id2 = store::Digest::of(config2_bytes);
  std::string manifest = Json::array({
                                         {{"Config", id.hex() + ".json"},
                                          {"RepoTags", {"legacy:1"}},
                                          {"Layers", {"aaaa/layer.tar"}}},
                                         {{"Config", id2.hex() + ".json"},
                                          {"RepoTags", {"legacy:2"}},
                                          {"Layers", {"bbbb/layer.tar"}}},
                                     })
                             .dump();
  Entry link = file_entry("bbbb/layer.tar", "");
  link.header.type = store::EntryType::kSymlink;
  link.header.link_target = "../aaaa/layer.tar";
  auto r = load(write_tar(
      {file_entry(id.hex() + ".json", config_bytes), file_entry(id2.hex() + ".json", config2_bytes),
       file_entry("aaaa/layer.tar", tar), link, file_entry("manifest.json", manifest)}));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(dest_->resolve("legacy:1")->id, id);
  EXPECT_EQ(dest_->resolve("legacy:2")->id, id2);
  EXPECT_EQ(marker_in(*dest_, "legacy:1"), "legacy");
  EXPECT_EQ(counts(*dest_).layers, 1u);
}

TEST_F(ArchiveTest, BadArchivesChangeNothing) {
  auto id = import("victim", "app:v");
  auto good = read_tar(save({"app:v"}));
  // A first image that loads, so a later failure must undo it too.
  ASSERT_TRUE(load(save({"app:v"})).ok());
  ASSERT_TRUE(dest_->remove_image(id).ok());
  ASSERT_TRUE(dest_->collect_garbage().ok());
  auto before = counts(*dest_);

  auto expect_fails = [&](const std::vector<Entry>& entries, const std::string& want) {
    auto r = load(write_tar(entries));
    ASSERT_FALSE(r.ok()) << want;
    EXPECT_NE(r.error().message().find(want), std::string::npos)
        << "got: " << r.error().message() << "; want: " << want;
    EXPECT_EQ(counts(*dest_), before) << want;
  };

  {
    auto e = good;
    e.push_back(file_entry("../escape", "x"));
    expect_fails(e, "path escapes the archive");
  }
  {
    auto e = good;
    e.push_back(file_entry("/etc/evil", "x"));
    expect_fails(e, "absolute path");
  }
  {
    auto e = good;
    Entry link = file_entry("blobs/evil", "");
    link.header.type = store::EntryType::kSymlink;
    link.header.link_target = "../../../etc/passwd";
    e.push_back(link);
    expect_fails(e, "symlink leaves the archive");
  }
  {
    auto e = good;
    Entry dev = file_entry("dev", "");
    dev.header.type = store::EntryType::kCharDevice;
    e.push_back(dev);
    expect_fails(e, "unsupported entry type");
  }
  {
    // A layer blob whose bytes are not what its name says.
    auto e = good;
    auto manifest = Json::parse(std::find_if(e.begin(), e.end(), [](const Entry& x) {
                                  return x.header.path == "manifest.json";
                                })->data);
    std::string layer_path = manifest[0]["Layers"][0];
    for (auto& x : e) {
      if (x.header.path == layer_path) {
        x.data = test::compress(test::rootfs_tar("tampered"), store::Compression::kGzip);
      }
    }
    expect_fails(e, "layer");
  }
  {
    // A config that lies about its digest.
    auto e = good;
    for (auto& x : e) {
      if (x.header.path == "blobs/sha256/" + id.hex()) x.data += " ";
    }
    expect_fails(e, "does not match its digest");
  }
  {
    // OCI layout only, with a manifest that lies about a layer's size.
    auto e = good;
    std::erase_if(e, [](const Entry& x) { return x.header.path == "manifest.json"; });
    auto index = Json::parse(std::find_if(e.begin(), e.end(), [](const Entry& x) {
                               return x.header.path == "index.json";
                             })->data);
    std::string manifest_digest = index["manifests"][0]["digest"];
    std::string manifest_path = "blobs/sha256/" + manifest_digest.substr(7);
    std::string manifest_bytes;
    for (const auto& x : e) {
      if (x.header.path == manifest_path) manifest_bytes = x.data;
    }
    auto m = Json::parse(manifest_bytes);
    m["layers"][0]["size"] = m["layers"][0]["size"].get<int64_t>() + 10;
    std::string lying = m.dump();
    auto lying_digest = store::Digest::of(lying);
    e.push_back(file_entry("blobs/sha256/" + lying_digest.hex(), lying));
    index["manifests"][0]["digest"] = lying_digest.to_string();
    index["manifests"][0]["size"] = lying.size();
    for (auto& x : e) {
      if (x.header.path == "index.json") x.data = index.dump();
    }
    expect_fails(e, "layer");
  }
  expect_fails({file_entry("hello.txt", "hi")}, "neither a docker-archive nor an OCI layout");
  {
    auto r = load("this is not a tar archive at all, not even close................");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(counts(*dest_), before);
  }
}

TEST_F(ArchiveTest, DiffIdMismatchIsRefused) {
  // A docker-archive whose layer does not match the config's DiffID.
  ImageConfig config;
  config.architecture = "amd64";
  config.os = "linux";
  config.diff_ids = {store::Digest::of(test::rootfs_tar("expected"))};
  std::string config_bytes = serialize_image_config(config);
  std::string manifest =
      Json::array({{{"Config", "config.json"}, {"RepoTags", {"x:1"}}, {"Layers", {"layer.tar"}}}})
          .dump();
  auto before = counts(*dest_);
  auto r = load(write_tar({file_entry("config.json", config_bytes),
                           file_entry("layer.tar", test::rootfs_tar("actual")),
                           file_entry("manifest.json", manifest)}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss) << r.error().to_string();
  EXPECT_EQ(counts(*dest_), before);
}

}  // namespace
}  // namespace berth::image
