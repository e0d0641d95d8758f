// Integration: Berth's image service against the real CNCF registry (Debian's docker-registry,
// started here on 127.0.0.1) and skopeo. Needs root (layers are unpacked with their owners)
// and the two programs; skipped otherwise.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "image/image_service.h"
#include "image/registry_client_api.h"
#include "image_test_util.h"
#include "registry/client.h"
#include "store/archive/layer_diff.h"

namespace berth::image {
namespace {

using test::counts;
using test::TempDir;

bool have(const char* program) {
  std::string cmd = std::string("command -v ") + program + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Runs argv, returns its exit status; stdout and stderr go to *out.
int run(const std::vector<std::string>& argv, std::string* out = nullptr) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  std::string output;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) output.append(buf, static_cast<size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out != nullptr) *out = output;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool can_connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// docker-registry serving a temp dir, for the whole suite.
class RegistryProcess {
 public:
  RegistryProcess() {
    port_ = free_port();
    std::string config =
        "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: " +
        dir_.path() +
        "/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" + std::to_string(port_) +
        "\n";
    EXPECT_TRUE(write_file(dir_ / "config.yml", config).ok());
    pid_ = ::fork();
    if (pid_ == 0) {
      int log = ::open((dir_.path() + "/registry.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(log, 1);
      ::dup2(log, 2);
      ::execlp("docker-registry", "docker-registry", "serve", (dir_.path() + "/config.yml").c_str(),
               nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 100 && !can_connect(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ~RegistryProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  // Where the registry keeps a blob's bytes.
  std::string blob_path(const store::Digest& d) const {
    return dir_.path() + "/data/docker/registry/v2/blobs/sha256/" + d.hex().substr(0, 2) + "/" +
           d.hex() + "/data";
  }
  bool up() const { return can_connect(port_); }

 private:
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

class ImageIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() != 0 || !have("docker-registry") || !have("skopeo")) return;
    registry_ = new RegistryProcess();
  }
  static void TearDownTestSuite() {
    delete registry_;
    registry_ = nullptr;
  }

  void SetUp() override {
    if (registry_ == nullptr) GTEST_SKIP() << "needs root, docker-registry and skopeo";
    ASSERT_TRUE(registry_->up()) << "docker-registry did not start";
    client_ = std::make_unique<registry::Client>(registry::RegistryOptions{}, nullptr);
    api_ = std::make_unique<RegistryClientApi>(*client_);
    service_ = open_service(dir_.path());
  }

  std::unique_ptr<ImageService> open_service(const std::string& root) {
    ImageServiceOptions options;
    options.root = root;
    options.registry = api_.get();
    auto s = ImageService::open(options);
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    return s.take();
  }

  std::string ref(const std::string& path) { return registry_->host() + "/" + path; }

  // The busybox rootfs (scripts/make-busybox-rootfs.sh), as a tar.
  static std::string busybox_tar() {
    std::string out;
    int rc = run({"/bin/sh", "-c",
                  "cd \"$(git -C " BERTH_TEST_DATA_DIR " rev-parse --show-toplevel)\" && "
                  "scripts/make-busybox-rootfs.sh"},
                 &out);
    EXPECT_EQ(rc, 0) << out;
    std::string dir(trim(out));
    std::string tar;
    store::StringWriter sink(&tar);
    auto r = store::write_tar(dir, sink);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return tar;
  }

  store::Digest import_busybox(const std::string& name) {
    std::string tar = busybox_tar();
    store::StringReader in(tar);
    ImportRequest req;
    req.repository = name;
    req.changes = {"CMD [\"sh\"]"};
    auto id = service_->import(in, req, nullptr);
    EXPECT_TRUE(id.ok()) << id.error().to_string();
    return id.value_or(store::Digest());
  }

  std::string file_in(ImageService& s, const std::string& name, const std::string& path) {
    auto rec = s.store().resolve(name);
    if (!rec.ok()) return "<no image>";
    auto dirs = s.store().snapshots().layer_dirs(rec->top_layer).value();
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
      struct stat st {};
      if (::lstat((*it + "/" + path).c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) return "<symlink>";
        return test::slurp_or(*it + "/" + path);
      }
    }
    return "<missing>";
  }

  std::vector<std::string> skopeo(std::vector<std::string> args) {
    args.insert(args.begin(), {"skopeo", "--insecure-policy"});
    return args;
  }

  static RegistryProcess* registry_;
  TempDir dir_;
  std::unique_ptr<registry::Client> client_;
  std::unique_ptr<RegistryClientApi> api_;
  std::unique_ptr<ImageService> service_;
};

RegistryProcess* ImageIntegrationTest::registry_ = nullptr;

TEST_F(ImageIntegrationTest, PushedImagesAreReadBySkopeo) {
  auto id = import_busybox(ref("berth/busybox:latest"));
  std::vector<JsonMessage> messages;
  auto pushed = service_->push(ref("berth/busybox:latest"), {},
                               [&](const JsonMessage& m) { messages.push_back(m); });
  ASSERT_TRUE(pushed.ok()) << pushed.error().to_string();
  ASSERT_EQ(pushed->size(), 1u);
  EXPECT_EQ(messages.front().status,
            "The push refers to repository [" + ref("berth/busybox") + "]");

  std::string out;
  ASSERT_EQ(
      run(skopeo({"inspect", "--tls-verify=false", "docker://" + ref("berth/busybox:latest")}),
          &out),
      0)
      << out;
  auto j = Json::parse(out);
  EXPECT_EQ(j["Digest"], (*pushed)[0].digest.to_string());
  EXPECT_EQ(j["Layers"].size(), 1u);
  EXPECT_EQ(j["Architecture"], host_platform().architecture);
  // skopeo shows the config as its OCI reading of it.
  ASSERT_EQ(run(skopeo({"inspect", "--tls-verify=false", "--config",
                        "docker://" + ref("berth/busybox:latest")}),
                &out),
            0);
  auto config = Json::parse(out);
  auto ours = service_->store().config(id).value();
  EXPECT_EQ(config["rootfs"]["diff_ids"][0], ours.diff_ids[0].to_string());
  EXPECT_EQ(config["config"]["Cmd"], Json::array({"sh"}));
  EXPECT_EQ(config["os"], "linux");

  ASSERT_EQ(run(skopeo({"copy", "--src-tls-verify=false", "docker://" + ref("berth/busybox:latest"),
                        "oci:" + dir_.path() + "/oci:latest"}),
                &out),
            0)
      << out;
  EXPECT_TRUE(path_exists(dir_.path() + "/oci/index.json"));
  ASSERT_EQ(run(skopeo({"copy", "--src-tls-verify=false", "docker://" + ref("berth/busybox:latest"),
                        "docker-archive:" + dir_.path() + "/busybox.tar:berth/busybox:latest"}),
                &out),
            0)
      << out;
  // That archive loads back into a fresh store as the same image.
  auto fresh = open_service(dir_.path() + "/fresh");
  UniqueFd fd(::open((dir_.path() + "/busybox.tar").c_str(), O_RDONLY | O_CLOEXEC));
  store::FdReader in(fd.get());
  auto loaded = fresh->load(in, {}, nullptr);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->image_ids, std::vector<store::Digest>{id});
  EXPECT_EQ(file_in(*fresh, "berth/busybox:latest", "etc/passwd").substr(0, 5), "root:");
}

TEST_F(ImageIntegrationTest, ImagesSkopeoPushesArePulled) {
  auto id = import_busybox("source:1");
  std::string saved = dir_.path() + "/saved.tar";
  {
    UniqueFd fd(::open(saved.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    store::FdWriter out(fd.get());
    ASSERT_TRUE(service_->save({"source:1"}, out).ok());
  }
  struct Case {
    std::string name;
    std::vector<std::string> flags;
    ManifestFormat format;
  };
  std::vector<Case> cases = {
      {"skopeo/v2s2-gzip:1", {"--format", "v2s2"}, ManifestFormat::kDocker},
      {"skopeo/oci-gzip:1",
       {"--format", "oci", "--dest-compress-format", "gzip"},
       ManifestFormat::kOci},
      {"skopeo/oci-zstd:1",
       {"--format", "oci", "--dest-compress-format", "zstd"},
       ManifestFormat::kOci},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"copy", "--dest-tls-verify=false"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    args.push_back("docker-archive:" + saved);
    args.push_back("docker://" + ref(c.name));
    std::string out;
    ASSERT_EQ(run(skopeo(args), &out), 0) << c.name << ": " << out;

    auto pulled = service_->pull(ref(c.name), {}, nullptr);
    ASSERT_TRUE(pulled.ok()) << c.name << ": " << pulled.error().to_string();
    auto rec = service_->store().get((*pulled)[0].image_id).value();
    EXPECT_EQ(rec.format, c.format) << c.name;
    // The same root filesystem, whatever the transport did to the compression.
    EXPECT_EQ(service_->store().config(rec.id)->diff_ids, service_->store().config(id)->diff_ids);
    EXPECT_EQ(file_in(*service_, ref(c.name), "bin/sh"), "<symlink>") << c.name;
    EXPECT_EQ(file_in(*service_, ref(c.name), "etc/group").substr(0, 5), "root:") << c.name;
  }
  // From an OCI layout skopeo writes itself.
  std::string out;
  ASSERT_EQ(
      run(skopeo({"copy", "docker-archive:" + saved, "oci:" + dir_.path() + "/layout:v1"}), &out),
      0)
      << out;
  ASSERT_EQ(run(skopeo({"copy", "--dest-tls-verify=false", "oci:" + dir_.path() + "/layout:v1",
                        "docker://" + ref("skopeo/from-oci:v1")}),
                &out),
            0)
      << out;
  ASSERT_TRUE(service_->pull(ref("skopeo/from-oci:v1"), {}, nullptr).ok());
}

TEST_F(ImageIntegrationTest, ArchivesRoundTripThroughSkopeo) {
  auto id = import_busybox("roundtrip:1");
  std::string saved = dir_.path() + "/saved.tar";
  {
    UniqueFd fd(::open(saved.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    store::FdWriter out(fd.get());
    ASSERT_TRUE(service_->save({"roundtrip:1"}, out).ok());
  }
  std::string out;
  // docker-archive -> OCI layout -> docker-archive, then load.
  ASSERT_EQ(
      run(skopeo({"copy", "docker-archive:" + saved, "oci:" + dir_.path() + "/oci:rt"}), &out), 0)
      << out;
  ASSERT_EQ(run(skopeo({"copy", "oci:" + dir_.path() + "/oci:rt",
                        "docker-archive:" + dir_.path() + "/back.tar:roundtrip:2"}),
                &out),
            0)
      << out;
  // Our tar is an OCI layout too: skopeo reads it as one.
  ASSERT_EQ(run(skopeo({"copy", "oci-archive:" + saved + ":1",
                        "oci-archive:" + dir_.path() + "/oci-archive.tar:rt"}),
                &out),
            0)
      << out;

  auto fresh = open_service(dir_.path() + "/fresh");
  auto load = [&](const std::string& file) -> store::Digest {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    store::FdReader in(fd.get());
    auto loaded = fresh->load(in, {}, nullptr);
    EXPECT_TRUE(loaded.ok()) << file << ": " << loaded.error().to_string();
    if (!loaded.ok() || loaded->image_ids.size() != 1) return {};
    return loaded->image_ids[0];
  };
  // OCI layout to OCI layout keeps the config byte for byte: the same image.
  EXPECT_EQ(load(dir_.path() + "/oci-archive.tar"), id);
  // Through skopeo's Docker -> OCI conversion the config is rewritten (Docker-only fields go),
  // so the ID changes; the layers do not.
  auto back = load(dir_.path() + "/back.tar");
  EXPECT_EQ(fresh->store().config(back)->diff_ids, service_->store().config(id)->diff_ids);
  EXPECT_EQ(fresh->store().config(back)->config->cmd, std::vector<std::string>{"sh"});
  EXPECT_TRUE(fresh->store().resolve("roundtrip:2").ok());
  EXPECT_EQ(file_in(*fresh, "roundtrip:2", "etc/passwd").substr(0, 5), "root:");
}

TEST_F(ImageIntegrationTest, BadRegistryContentLeavesTheStoreUnchanged) {
  RemoteRepository repo{registry_->host(), "bad/app"};
  // Build and push images through the client directly, so they can be broken afterwards.
  auto push_image_of =
      [&](const std::string& tag, const std::vector<std::string>& tars,
          std::function<void(ImageManifest&)> edit = {}) -> std::vector<store::Digest> {
    test::FakeRegistry scratch;
    auto pub = test::publish_image(scratch, repo, tag, tars);
    std::vector<store::Digest> digests = pub.layer_digests;
    digests.push_back(pub.config_digest);
    for (const auto& d : digests) {
      std::string bytes = scratch.blob(d);
      auto st = api_->push_blob(
          repo, d, static_cast<int64_t>(bytes.size()),
          [bytes]() -> Result<std::unique_ptr<store::Reader>> {
            auto owned = std::make_shared<std::string>(bytes);
            struct Owning : store::Reader {
              std::shared_ptr<std::string> data;
              store::StringReader r;
              explicit Owning(std::shared_ptr<std::string> d) : data(d), r(*d) {}
              Result<size_t> read(char* b, size_t n) override { return r.read(b, n); }
            };
            return std::unique_ptr<store::Reader>(std::make_unique<Owning>(owned));
          },
          std::nullopt, nullptr);
      EXPECT_TRUE(st.ok()) << st.error().to_string();
    }
    auto m = parse_image_manifest(pub.manifest_bytes).value();
    if (edit) edit(m);
    auto put = api_->put_manifest(repo, tag, m.media_type, serialize_manifest(m));
    EXPECT_TRUE(put.ok()) << put.error().to_string();
    return pub.layer_digests;
  };
  auto expect_fails = [&](const std::string& tag, const std::string& want) {
    auto before = counts(service_->store());
    auto r = service_->pull(ref("bad/app:" + tag), {}, nullptr);
    ASSERT_FALSE(r.ok()) << tag;
    EXPECT_NE(r.error().message().find(want), std::string::npos)
        << tag << ": " << r.error().to_string();
    EXPECT_EQ(counts(service_->store()), before) << tag;
    EXPECT_FALSE(service_->store().resolve(ref("bad/app:" + tag)).ok());
  };

  auto tampered = push_image_of("tampered", {test::rootfs_tar("t1"), test::rootfs_tar("t2")});
  {
    std::string path = registry_->blob_path(tampered[1]);
    std::string bytes = test::slurp_or(path);
    bytes[bytes.size() / 2] ^= 0x20;
    ASSERT_TRUE(write_file(path, bytes).ok());
  }
  expect_fails("tampered", tampered[1].hex().substr(0, 12));

  auto truncated = push_image_of("truncated", {test::rootfs_tar("u1")});
  {
    std::string path = registry_->blob_path(truncated[0]);
    ASSERT_EQ(::truncate(path.c_str(), 40), 0);
  }
  expect_fails("truncated", truncated[0].hex().substr(0, 12));

  push_image_of("lies", {test::rootfs_tar("l1")},
                [](ImageManifest& m) { m.layers[0].size += 100; });
  expect_fails("lies", "size");

  push_image_of("escape",
                {test::rootfs_tar("e1"), test::TarBuilder().file("../../../tmp/evil", "x").tar()});
  expect_fails("escape", "escapes");
  EXPECT_FALSE(path_exists("/tmp/evil"));
}

TEST_F(ImageIntegrationTest, MultiPlatformIndexFromSkopeo) {
  // An OCI layout with two platforms, written by hand, pushed with skopeo copy --all.
  std::string layout = dir_.path() + "/multi";
  ASSERT_TRUE(make_dirs(layout + "/blobs/sha256").ok());
  auto blob = [&](const std::string& bytes) {
    auto d = store::Digest::of(bytes);
    EXPECT_TRUE(write_file(layout + "/blobs/sha256/" + d.hex(), bytes).ok());
    return d;
  };
  ImageIndex index;
  index.media_type = media::kOciIndex;
  for (const auto& [arch, variant] :
       std::vector<std::pair<std::string, std::string>>{{"amd64", ""}, {"arm64", "v8"}}) {
    std::string tar = test::rootfs_tar("built for " + arch);
    std::string gz = test::compress(tar, store::Compression::kGzip);
    ImageConfig config;
    config.architecture = arch;
    config.variant = variant;
    config.os = "linux";
    config.diff_ids = {store::Digest::of(tar)};
    std::string cfg = serialize_image_config(config);
    ImageManifest m;
    m.media_type = media::kOciManifest;
    m.config =
        Descriptor{std::string(media::kOciConfig), blob(cfg), static_cast<int64_t>(cfg.size())};
    m.layers = {
        Descriptor{std::string(media::kOciLayerGzip), blob(gz), static_cast<int64_t>(gz.size())}};
    std::string mb = serialize_manifest(m);
    Descriptor d{std::string(media::kOciManifest), blob(mb), static_cast<int64_t>(mb.size())};
    d.platform = Platform{"linux", arch, variant, "", {}};
    index.manifests.push_back(d);
  }
  // index.json names the platform index (itself a blob) as "multi", as skopeo expects.
  std::string index_bytes = serialize_index(index);
  auto index_digest = blob(index_bytes);
  Json top = {{"schemaVersion", 2},
              {"mediaType", media::kOciIndex},
              {"manifests",
               Json::array({{{"mediaType", media::kOciIndex},
                             {"digest", index_digest.to_string()},
                             {"size", index_bytes.size()},
                             {"annotations", {{"org.opencontainers.image.ref.name", "multi"}}}}})}};
  ASSERT_TRUE(write_file(layout + "/index.json", top.dump()).ok());
  ASSERT_TRUE(write_file(layout + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})").ok());
  std::string out;
  ASSERT_EQ(run(skopeo({"copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":multi",
                        "docker://" + ref("multi/app:1")}),
                &out),
            0)
      << out;

  PullRequest arm;
  arm.platform = parse_platform("linux/arm64/v8").value();
  auto pulled = service_->pull(ref("multi/app:1"), arm, nullptr);
  ASSERT_TRUE(pulled.ok()) << pulled.error().to_string();
  EXPECT_EQ(service_->store().config((*pulled)[0].image_id)->architecture, "arm64");
  EXPECT_EQ(file_in(*service_, ref("multi/app:1"), "etc/marker"), "built for arm64");
  EXPECT_EQ((*pulled)[0].digest, index_digest);
  if (host_platform().architecture == "amd64") {
    auto host = service_->pull(ref("multi/app:1"), {}, nullptr);
    ASSERT_TRUE(host.ok());
    EXPECT_EQ(file_in(*service_, ref("multi/app:1"), "etc/marker"), "built for amd64");
  }
}

}  // namespace
}  // namespace berth::image
