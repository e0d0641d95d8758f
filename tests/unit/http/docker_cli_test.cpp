// The real docker CLI accepts our /_ping and /version answers: proof that heads, versions and
// JSON bodies look like dockerd's to it. Skipped where no docker binary is installed.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::http {
namespace {

constexpr const char* kDocker = "/usr/local/bin/docker";

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

TEST(DockerCliTest, VersionAgainstTestServer) {
  struct stat st {};
  if (::stat(kDocker, &st) != 0) GTEST_SKIP() << "no docker CLI at " << kDocker;

  auto router = std::make_shared<Router>();
  router->use([](Request& r, ResponseWriter& w, const RouteHandler& next) {
    w.headers().set("Api-Version", "1.47");
    w.headers().set("Docker-Experimental", "false");
    w.headers().set("Ostype", "linux");
    w.headers().set("Server", "Berth/test (linux)");
    next(r, w);
  });
  auto ping = [](Request&, ResponseWriter& w) {
    Response r = Response::text(200, "OK");
    r.headers.set("Builder-Version", "1");
    r.headers.set("Cache-Control", "no-cache, no-store, must-revalidate");
    r.headers.set("Pragma", "no-cache");
    (void)w.send(std::move(r));
  };
  router->get("/_ping", ping);
  router->head("/_ping", ping);
  router->get("/version", [](Request&, ResponseWriter& w) {
    (void)w.send_json(200, {{"Platform", {{"Name", "Berth"}}},
                            {"Components", Json::array({{{"Name", "Engine"},
                                                         {"Version", "0.1.0-test"},
                                                         {"Details", {{"ApiVersion", "1.47"}}}}})},
                            {"Version", "0.1.0-test"},
                            {"ApiVersion", "1.47"},
                            {"MinAPIVersion", "1.24"},
                            {"GitCommit", "test"},
                            {"GoVersion", "n/a"},
                            {"Os", "linux"},
                            {"Arch", "amd64"},
                            {"KernelVersion", "6.0"},
                            {"BuildTime", "2025-01-01T00:00:00.000000000+00:00"}});
  });
  testing::TestServer ts(router);
  std::string home = ts.dir.path();
  std::string out = run(
      "HOME=" + home + " DOCKER_CONFIG=" + home + " " + kDocker + " -H unix://" + ts.socket_path() +
      " version --format '{{.Server.Version}} {{.Server.APIVersion}}' </dev/null 2>&1");
  EXPECT_EQ(out, "0.1.0-test 1.47\n");
}

}  // namespace
}  // namespace berth::http
