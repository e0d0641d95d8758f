// Times pulling a ~500 MB multi-layer image from a local CNCF registry into a fresh store,
// unpacked and ready to run: Berth's ImageService::pull against `skopeo copy docker://... oci:`
// followed by `umoci unpack`, in the same run, alternating, on the same registry. Prints each
// run, the medians and the ratios. Everything is generated locally (nothing is downloaded).
//
//   image_pull_bench [--size-mb 500] [--layers 5] [--runs 5] [--workdir /var/tmp/berth-bench]
//                    [--keep] [--no-sync]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/file_util.h"
#include "image/image_config.h"
#include "image/image_service.h"
#include "image/manifest.h"
#include "image/media_types.h"
#include "image/registry_client_api.h"
#include "registry/client.h"
#include "store/archive/compression.h"
#include "store/archive/tar_writer.h"
#include "store/content/content_store.h"

namespace {

using namespace berth;
using Clock = std::chrono::steady_clock;

struct Args {
  int size_mb = 500;
  int layers = 5;
  int runs = 5;
  std::string workdir = "/var/tmp/berth-bench";
  bool keep = false;
  bool sync = true;  // Berth's syncfs of the unpacked layers before recording the image
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "image_pull_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T check(Result<T> r, const std::string& what) {
  if (!r.ok()) die(what + ": " + r.error().to_string());
  return r.take();
}
void check(Status s, const std::string& what) {
  if (!s.ok()) die(what + ": " + s.error().to_string());
}

int run(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
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

pid_t start_registry(const std::string& dir, int port) {
  std::string config = fmt::format(
      "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}/data\n"
      "http:\n  addr: 127.0.0.1:{}\n",
      dir, port);
  check(write_file(dir + "/config.yml", config), "registry config");
  pid_t pid = ::fork();
  if (pid == 0) {
    int log = ::open((dir + "/registry.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::execlp("docker-registry", "docker-registry", "serve", (dir + "/config.yml").c_str(), nullptr);
    ::_exit(127);
  }
  for (int i = 0; i < 100 && !can_connect(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!can_connect(port)) die("docker-registry did not start");
  return pid;
}

// One layer: a tree of files, half random bytes (incompressible, like binaries and media) and
// half text-like (compressible, like sources and configs), ~`bytes` in all.
std::string make_layer_tar(int index, uint64_t bytes, std::mt19937_64& rng) {
  std::string tar;
  store::StringWriter sink(&tar);
  store::TarWriter w(sink);
  auto add_dir = [&](const std::string& path) {
    store::TarHeader h;
    h.path = path;
    h.type = store::EntryType::kDirectory;
    h.mode = 0755;
    h.mtime_sec = 1700000000;
    check(w.add(h), "tar dir");
  };
  std::string root = fmt::format("layer{}", index);
  add_dir(root);
  static const char* kWords[] = {"container", "layer",  "image",    "registry", "berth", "overlay",
                                 "digest",    "config", "manifest", "blob",     "pull",  "unpack"};
  uint64_t written = 0;
  int file = 0;
  while (written < bytes) {
    if (file % 64 == 0) add_dir(fmt::format("{}/d{}", root, file / 64));
    // Sizes from 1 KiB to 4 MiB, skewed small, as real images are.
    uint64_t size = std::min<uint64_t>(bytes - written, 1024ull << (rng() % 13));
    std::string data(size, '\0');
    if (file % 2 == 0) {
      for (size_t i = 0; i + 8 <= size; i += 8) {
        uint64_t v = rng();
        std::memcpy(&data[i], &v, 8);
      }
    } else {
      size_t pos = 0;
      while (pos < size) {
        std::string word = std::string(kWords[rng() % 12]) + ((rng() % 8) == 0 ? "\n" : " ");
        size_t n = std::min(word.size(), size - pos);
        std::memcpy(&data[pos], word.data(), n);
        pos += n;
      }
    }
    store::TarHeader h;
    h.path = fmt::format("{}/d{}/f{}", root, file / 64, file);
    h.type = store::EntryType::kRegular;
    h.mode = 0644;
    h.size = static_cast<int64_t>(size);
    h.mtime_sec = 1700000000;
    check(w.add(h), "tar file");
    check(w.write_data(data), "tar data");
    written += size;
    ++file;
  }
  check(w.finish(), "tar finish");
  return tar;
}

// Writes an OCI layout with the generated image, for skopeo to push.
void generate_image(const Args& args, const std::string& layout) {
  check(make_dirs(layout + "/blobs/sha256"), "layout");
  auto blob = [&](const std::string& bytes) {
    auto d = store::Digest::of(bytes);
    check(write_file(layout + "/blobs/sha256/" + d.hex(), bytes), "blob");
    return d;
  };
  std::mt19937_64 rng(42);
  image::ImageConfig config;
  config.architecture = image::host_platform().architecture;
  config.os = "linux";
  config.created_ns = 1'700'000'000'000'000'000;
  image::ImageManifest m;
  m.media_type = image::media::kOciManifest;
  uint64_t per_layer =
      static_cast<uint64_t>(args.size_mb) * 1000 * 1000 / static_cast<uint64_t>(args.layers);
  uint64_t total_compressed = 0;
  for (int i = 0; i < args.layers; ++i) {
    std::string tar = make_layer_tar(i, per_layer, rng);
    std::string gz;
    store::StringWriter sink(&gz);
    store::CompressingWriter c(sink, store::Compression::kGzip);
    check(c.write(tar), "gzip");
    check(c.finish(), "gzip");
    config.diff_ids.push_back(store::Digest::of(tar));
    m.layers.push_back(image::Descriptor{std::string(image::media::kOciLayerGzip), blob(gz),
                                         static_cast<int64_t>(gz.size())});
    total_compressed += gz.size();
    std::fprintf(stderr, "  layer %d: %.1f MB, %.1f MB gzip\n", i, tar.size() / 1e6,
                 gz.size() / 1e6);
  }
  std::string cfg = image::serialize_image_config(config);
  m.config = image::Descriptor{std::string(image::media::kOciConfig), blob(cfg),
                               static_cast<int64_t>(cfg.size())};
  std::string mb = image::serialize_manifest(m);
  auto md = blob(mb);
  check(
      write_file(
          layout + "/index.json",
          fmt::format(
              R"({{"schemaVersion":2,"manifests":[{{"mediaType":"{}","digest":"{}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"bench"}}}}]}})",
              image::media::kOciManifest, md.to_string(), mb.size())),
      "index.json");
  check(write_file(layout + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})"), "oci-layout");
  std::fprintf(stderr, "  image: %d layers, %d MB, %.1f MB compressed\n", args.layers, args.size_mb,
               total_compressed / 1e6);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds (user + system) of this process (all threads) or of its waited-for children.
double cpu_seconds(int who) {
  struct rusage u {};
  ::getrusage(who, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + arg);
      return argv[++i];
    };
    if (arg == "--size-mb")
      a.size_mb = std::stoi(value());
    else if (arg == "--layers")
      a.layers = std::stoi(value());
    else if (arg == "--runs")
      a.runs = std::stoi(value());
    else if (arg == "--workdir")
      a.workdir = value();
    else if (arg == "--keep")
      a.keep = true;
    else if (arg == "--no-sync")
      a.sync = false;
    else
      die("unknown argument " + arg);
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse_args(argc, argv);
  if (::geteuid() != 0) die("run as root (layers are unpacked with their owners, umoci too)");
  for (const char* p : {"docker-registry", "skopeo", "umoci"}) {
    if (run(fmt::format("command -v {} >/dev/null", p)) != 0) die(std::string(p) + " not found");
  }
  check(remove_all(args.workdir), "clean workdir");
  check(make_dirs(args.workdir + "/registry"), "workdir");
  int port = free_port();
  pid_t registry = start_registry(args.workdir + "/registry", port);
  std::string host = fmt::format("127.0.0.1:{}", port);
  std::string ref = host + "/bench/big:1";

  std::fprintf(stderr, "generating the image...\n");
  generate_image(args, args.workdir + "/layout");
  if (run(fmt::format("skopeo --insecure-policy copy -q --dest-tls-verify=false "
                      "oci:{}/layout:bench docker://{}",
                      args.workdir, ref)) != 0) {
    die("skopeo could not push the generated image");
  }

  registry::Client client(registry::RegistryOptions{}, nullptr);
  image::RegistryClientApi api(client);
  std::vector<double> berth_times;
  std::vector<double> skopeo_times;
  std::vector<double> skopeo_copy_times;
  std::vector<double> berth_cpu;
  std::vector<double> skopeo_cpu;
  std::printf("run  berth-pull (cpu)     skopeo-copy  umoci-unpack  skopeo+umoci (cpu)\n");
  for (int i = 0; i < args.runs; ++i) {
    // Berth: a fresh store each time, the whole pull (resolve, download, verify, unpack, record).
    std::string root = fmt::format("{}/berth-{}", args.workdir, i);
    image::ImageServiceOptions options;
    options.root = root;
    options.registry = &api;
    options.sync_layers = args.sync;
    auto service = check(image::ImageService::open(options), "open store");
    double cpu0 = cpu_seconds(RUSAGE_SELF);
    auto start = Clock::now();
    check(service->pull(ref, {}, nullptr), "berth pull");
    double berth_s = seconds_since(start);
    berth_cpu.push_back(cpu_seconds(RUSAGE_SELF) - cpu0);
    service.reset();
    // skopeo copy to an OCI layout, then umoci unpack into a bundle.
    std::string dir = fmt::format("{}/skopeo-{}", args.workdir, i);
    check(make_dirs(dir), "skopeo dir");
    double child0 = cpu_seconds(RUSAGE_CHILDREN);
    start = Clock::now();
    if (run(fmt::format(
            "skopeo --insecure-policy copy -q --src-tls-verify=false docker://{} oci:{}/oci:b", ref,
            dir)) != 0) {
      die("skopeo copy failed");
    }
    double copy_s = seconds_since(start);
    if (run(fmt::format("umoci unpack --image {}/oci:b {}/bundle >/dev/null", dir, dir)) != 0) {
      die("umoci unpack failed");
    }
    double both_s = seconds_since(start);
    skopeo_cpu.push_back(cpu_seconds(RUSAGE_CHILDREN) - child0);
    berth_times.push_back(berth_s);
    skopeo_times.push_back(both_s);
    skopeo_copy_times.push_back(copy_s);
    std::printf("%3d  %9.2fs (%5.2fs)  %10.2fs  %11.2fs  %11.2fs (%5.2fs)\n", i + 1, berth_s,
                berth_cpu.back(), copy_s, both_s - copy_s, both_s, skopeo_cpu.back());
    std::fflush(stdout);
    check(remove_all(root), "cleanup");
    check(remove_all(dir), "cleanup");
  }
  double b = median(berth_times);
  double s = median(skopeo_times);
  double c = median(skopeo_copy_times);
  std::printf("\nmedian of %d runs (%d MB, %d layers, gzip, registry on 127.0.0.1):\n", args.runs,
              args.size_mb, args.layers);
  std::printf("  berth pull (download+verify+unpack%s): %6.2fs\n", args.sync ? "+syncfs" : "", b);
  std::printf("  skopeo copy + umoci unpack:            %6.2fs   (skopeo copy alone %.2fs)\n", s,
              c);
  std::printf("  cpu time, berth / skopeo+umoci:        %6.2fs / %.2fs\n", median(berth_cpu),
              median(skopeo_cpu));
  std::printf("  ratio skopeo+umoci / berth:            %6.2fx\n", s / b);
  std::printf("  ratio skopeo copy alone / berth:       %6.2fx\n", c / b);

  ::kill(registry, SIGTERM);
  ::waitpid(registry, nullptr, 0);
  if (!args.keep) (void)remove_all(args.workdir);
  return 0;
}
