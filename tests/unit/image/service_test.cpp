// ImageService: rmi, prune, list, inspect, history and tag, with Docker's answers.
#include <gtest/gtest.h>

#include "image/image_service.h"
#include "image_test_util.h"

namespace berth::image {
namespace {

using test::counts;
using test::publish_image;
using test::TempDir;

const RemoteRepository kRepo{"127.0.0.1:5000", "team/app"};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImageServiceOptions options;
    options.root = dir_.path();
    options.snapshotter.rootless = ::geteuid() != 0;
    options.registry = &reg_;
    options.image_users = [this](const store::Digest& id) {
      std::vector<ContainerUser> out;
      for (const auto& [cid, use] : containers_) {
        if (use.first == id) out.push_back({cid, use.second});
      }
      return out;
    };
    svc_ = ImageService::open(options).take();
  }

  store::Digest import(const std::string& marker, const std::string& repo,
                       std::vector<std::string> changes = {}) {
    std::string tar = test::rootfs_tar(marker);
    store::StringReader in(tar);
    ImportRequest req;
    req.repository = repo;
    req.changes = std::move(changes);
    auto id = svc_->import(in, req, nullptr);
    EXPECT_TRUE(id.ok()) << id.error().to_string();
    return id.value_or(store::Digest());
  }

  std::vector<std::string> items(const std::vector<DeleteItem>& list) {
    std::vector<std::string> out;
    for (const auto& i : list) {
      out.push_back(i.untagged.empty() ? "Deleted: " + i.deleted : "Untagged: " + i.untagged);
    }
    return out;
  }

  TempDir dir_;
  test::FakeRegistry reg_;
  std::map<std::string, std::pair<store::Digest, bool>> containers_;  // id -> image, running
  std::unique_ptr<ImageService> svc_;
};

TEST_F(ServiceTest, RemoveByTagUntagsUntilTheLastName) {
  auto id = import("x", "app:1");
  ASSERT_TRUE(svc_->tag("app:1", "app:2").ok());
  ASSERT_TRUE(svc_->tag(id.hex().substr(0, 10), "other/app").ok());
  auto r = svc_->remove("app:1", {});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(items(*r), std::vector<std::string>{"Untagged: app:1"});
  r = svc_->remove("app:2", {});
  EXPECT_EQ(items(*r), std::vector<std::string>{"Untagged: app:2"});
  auto layers = svc_->store().get(id)->layers;
  r = svc_->remove("other/app", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(items(*r),
            (std::vector<std::string>{"Untagged: other/app:latest", "Deleted: " + id.to_string(),
                                      "Deleted: " + layers[0].chain_id.to_string()}));
  EXPECT_EQ(counts(svc_->store()), (test::StoreCounts{0, 0, 0, 0}));
  auto missing = svc_->remove("app:1", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "No such image: app:1");
}

TEST_F(ServiceTest, RemoveByIdConflicts) {
  auto id = import("y", "app:1");
  ASSERT_TRUE(svc_->tag("app:1", "else:1").ok());
  auto r = svc_->remove(id.hex().substr(0, 12), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kConflict);
  EXPECT_EQ(r.error().message(),
            "conflict: unable to delete " + id.hex().substr(0, 12) +
                " (must be forced) - image is referenced in multiple repositories");
  containers_["0123456789abcdef0123"] = {id, true};
  r = svc_->remove(id.to_string(), {true, true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "conflict: unable to delete " + id.hex().substr(0, 12) +
                " (cannot be forced) - image is being used by running container 0123456789ab");
  // Untagging the last name of an image a container uses needs -f.
  ASSERT_TRUE(svc_->remove("else:1", {}).ok());
  r = svc_->remove("app:1", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "conflict: unable to remove repository reference \"app:1\" (must force) - container "
            "0123456789ab is using its referenced image " +
                id.hex().substr(0, 12));
  // Stopped: -f deletes it; the container keeps its layers (it builds on them).
  containers_["0123456789abcdef0123"] = {id, false};
  r = svc_->remove(id.to_string(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "conflict: unable to delete " + id.hex().substr(0, 12) +
                " (must be forced) - image is being used by stopped container 0123456789ab");
  r = svc_->remove(id.to_string(), {true, true});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(items(*r)[0], "Untagged: app:1");
  EXPECT_EQ(items(*r)[1], "Deleted: " + id.to_string());
  EXPECT_FALSE(svc_->store().exists(id));
}

TEST_F(ServiceTest, RemoveByIdWithOneRepository) {
  publish_image(reg_, kRepo, "v1", {test::rootfs_tar("pulled")});
  auto pulled = svc_->pull("127.0.0.1:5000/team/app:v1", {}, nullptr);
  ASSERT_TRUE(pulled.ok()) << pulled.error().to_string();
  auto id = (*pulled)[0].image_id;
  // One tag and its repo digest, one repository: removing by ID untags both.
  auto r = svc_->remove(id.hex(), {});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  auto list = items(*r);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0], "Untagged: 127.0.0.1:5000/team/app:v1");
  EXPECT_EQ(list[1], "Untagged: 127.0.0.1:5000/team/app@" + (*pulled)[0].digest.to_string());
  EXPECT_EQ(list[2], "Deleted: " + id.to_string());
}

TEST_F(ServiceTest, ListWithFilters) {
  auto a = import("a", "alpha:1", {"LABEL tier=web"});
  auto b = import("bb", "beta:1", {"LABEL tier=db"});
  auto c = import("ccc", "");
  auto all = svc_->list({}).value();
  ASSERT_EQ(all.size(), 3u);
  auto ids = [&](const Filters& f) {
    ListOptions o;
    o.filters = f;
    std::set<std::string> out;
    auto r = svc_->list(o);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    for (const auto& s : r.value_or({})) out.insert(s.id);
    return out;
  };
  EXPECT_EQ(ids({{"dangling", {"true"}}}), std::set<std::string>{c.to_string()});
  EXPECT_EQ(ids({{"dangling", {"false"}}}), (std::set<std::string>{a.to_string(), b.to_string()}));
  EXPECT_EQ(ids({{"label", {"tier=web"}}}), std::set<std::string>{a.to_string()});
  EXPECT_EQ(ids({{"label", {"tier"}}}), (std::set<std::string>{a.to_string(), b.to_string()}));
  EXPECT_EQ(ids({{"reference", {"al*"}}}), std::set<std::string>{a.to_string()});
  EXPECT_EQ(ids({{"reference", {"beta:1"}}}), std::set<std::string>{b.to_string()});
  ListOptions bad;
  bad.filters = {{"color", {"red"}}};
  EXPECT_EQ(svc_->list(bad).error().message(), "invalid filter 'color'");
  auto summary = summary_json(all[0]);
  for (const char* key : {"Containers", "Created", "Id", "Labels", "ParentId", "RepoDigests",
                          "RepoTags", "SharedSize", "Size"}) {
    EXPECT_TRUE(summary.contains(key)) << key;
  }
}

TEST_F(ServiceTest, BeforeAndSinceUseCreationTimes) {
  // Imports made in the same second still differ in nanoseconds.
  auto first = import("1", "first");
  auto second = import("22", "second");
  ListOptions since;
  since.filters = {{"since", {"first"}}};
  auto r = svc_->list(since).value();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].id, second.to_string());
  ListOptions before;
  before.filters = {{"before", {"second"}}};
  r = svc_->list(before).value();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].id, first.to_string());
}

TEST_F(ServiceTest, InspectLooksLikeDockers) {
  auto id = import("inspect", "app:1", {"ENV A=1", "CMD [\"sh\"]"});
  auto j = svc_->inspect("app:1");
  ASSERT_TRUE(j.ok()) << j.error().to_string();
  std::vector<std::string> keys;
  for (const auto& [k, v] : j->items()) keys.push_back(k);
  std::vector<std::string> want = {
      "Id",      "RepoTags",      "RepoDigests", "Parent", "Comment",
      "Created", "DockerVersion", "Author",      "Config", "Architecture",
      "Os",      "Size",          "GraphDriver", "RootFS", "Metadata"};
  EXPECT_EQ(keys, want);
  EXPECT_EQ((*j)["Id"], id.to_string());
  EXPECT_EQ((*j)["RepoTags"], OrderedJson::array({"app:1"}));
  EXPECT_EQ((*j)["Comment"], "Imported from -");
  EXPECT_EQ((*j)["Config"]["Env"], OrderedJson::array({"A=1"}));
  EXPECT_EQ((*j)["Config"]["Cmd"], OrderedJson::array({"sh"}));
  EXPECT_EQ((*j)["GraphDriver"]["Name"], "overlay2");
  EXPECT_TRUE((*j)["GraphDriver"]["Data"]["UpperDir"].get<std::string>().ends_with("/fs"));
  EXPECT_FALSE((*j)["GraphDriver"]["Data"].contains("LowerDir"));
  EXPECT_EQ((*j)["RootFS"]["Type"], "layers");
  EXPECT_EQ((*j)["RootFS"]["Layers"].size(), 1u);
  EXPECT_EQ((*j)["Metadata"]["LastTagTime"], "0001-01-01T00:00:00Z");
  ASSERT_TRUE(svc_->tag("app:1", "app:2").ok());
  EXPECT_NE(svc_->inspect("app:2").value()["Metadata"]["LastTagTime"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(svc_->inspect("nope").error().message(), "No such image: nope:latest");
  EXPECT_EQ(svc_->tag("app:1", "bad@sha256:" + std::string(64, 'a')).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(ServiceTest, HistoryMarksUnknownLayersMissing) {
  auto pub = publish_image(reg_, kRepo, "h", {test::rootfs_tar("h1"), test::rootfs_tar("h2")});
  auto pulled = svc_->pull("127.0.0.1:5000/team/app:h", {}, nullptr);
  ASSERT_TRUE(pulled.ok());
  auto h = svc_->history("127.0.0.1:5000/team/app:h").value();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].id, pub.config_digest.to_string());
  EXPECT_EQ(h[0].tags, std::vector<std::string>{"127.0.0.1:5000/team/app:h"});
  EXPECT_EQ(h[1].id, "<missing>");
  EXPECT_FALSE(h[1].tags.has_value());
  EXPECT_EQ(h[0].created_by, "ADD layer");
  EXPECT_GT(h[0].size, 0);
  EXPECT_EQ(history_json(h[1])["Tags"], nullptr);
}

TEST_F(ServiceTest, PruneDanglingThenAll) {
  auto tagged = import("t", "keep:1", {"LABEL keep=yes"});
  auto dangling = import("dd", "");
  auto used = import("uuu", "");
  containers_["c1"] = {used, false};
  auto r = svc_->prune({});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(items(r->deleted)[0], "Deleted: " + dangling.to_string());
  EXPECT_GT(r->space_reclaimed, 0u);
  EXPECT_TRUE(svc_->store().exists(tagged));
  EXPECT_TRUE(svc_->store().exists(used));
  EXPECT_FALSE(svc_->store().exists(dangling));
  // -a with a label filter that excludes the tagged one: nothing.
  r = svc_->prune({{"dangling", {"false"}}, {"label!", {"keep=yes"}}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->deleted.empty());
  r = svc_->prune({{"dangling", {"false"}}});
  ASSERT_TRUE(r.ok());
  auto deleted = items(r->deleted);
  ASSERT_EQ(deleted.size(), 3u);  // its tag, itself, its layer
  EXPECT_EQ(deleted[0], "Untagged: keep:1");
  EXPECT_EQ(deleted[1], "Deleted: " + tagged.to_string());
  EXPECT_TRUE(deleted[2].starts_with("Deleted: sha256:"));
  EXPECT_FALSE(svc_->store().exists(tagged));
  EXPECT_TRUE(svc_->store().exists(used));  // a container uses it
  EXPECT_EQ(svc_->prune({{"until", {"soon"}}}).error().message(), "invalid filter 'until=soon'");
  EXPECT_EQ(svc_->prune({{"reference", {"x"}}}).error().message(), "invalid filter 'reference'");
}

TEST_F(ServiceTest, PullErrorsEndTheStreamWithErrorDetail) {
  std::vector<JsonMessage> messages;
  auto r = svc_->pull("127.0.0.1:5000/team/app:none", {},
                      [&](const JsonMessage& m) { messages.push_back(m); });
  ASSERT_FALSE(r.ok());
  ASSERT_FALSE(messages.empty());
  ASSERT_TRUE(messages.back().error);
  EXPECT_EQ(*messages.back().error, "manifest unknown: manifest unknown");
}

TEST_F(ServiceTest, PullAllTags) {
  publish_image(reg_, kRepo, "t1", {test::rootfs_tar("t1")});
  publish_image(reg_, kRepo, "t2", {test::rootfs_tar("t2")});
  PullRequest req;
  req.all_tags = true;
  auto r = svc_->pull("127.0.0.1:5000/team/app", req, nullptr);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->size(), 2u);
  EXPECT_TRUE(svc_->store().resolve("127.0.0.1:5000/team/app:t1").ok());
  EXPECT_TRUE(svc_->store().resolve("127.0.0.1:5000/team/app:t2").ok());
}

TEST_F(ServiceTest, SaveLoadThroughTheService) {
  auto id = import("svc", "svc:1");
  std::string tar;
  store::StringWriter out(&tar);
  ASSERT_TRUE(svc_->save({"svc:1"}, out).ok());
  ASSERT_TRUE(svc_->remove("svc:1", {}).ok());
  store::StringReader in(tar);
  std::vector<std::string> lines;
  auto r = svc_->load(in, {}, [&](const JsonMessage& m) {
    if (!m.stream.empty()) lines.push_back(m.stream);
  });
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(lines, std::vector<std::string>{"Loaded image: svc:1\n"});
  EXPECT_EQ(svc_->store().resolve("svc:1")->id, id);
}

}  // namespace
}  // namespace berth::image
