#include "http/router.h"

#include <gtest/gtest.h>

#include "http/response_recorder.h"

namespace berth::http {
namespace {

Json body_json(const ResponseRecorder& w) {
  return Json::parse(w.body());
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.get("/containers/{id}/json", [](Request& r, ResponseWriter& w) {
      (void)w.send_json(200, {{"id", r.param("id")}, {"version", r.api_version()}});
    });
    router_.get("/images/json", [](Request&, ResponseWriter& w) {
      (void)w.send_json(200, {{"route", "list"}});
    });
    router_.get("/images/{name:.*}/json", [](Request& r, ResponseWriter& w) {
      (void)w.send_json(200, {{"name", r.param("name")}});
    });
    router_.del("/images/{name:.*}", [](Request& r, ResponseWriter& w) {
      (void)w.send_json(200, {{"deleted", r.param("name")}});
    });
    router_.post("/echo", [](Request& r, ResponseWriter& w) {
      (void)w.send(Response::text(200, r.body()));
    });
    router_.post(
        "/upload",
        [](Request& r, ResponseWriter& w) {
          (void)w.send_json(200, {{"buffered", r.body_buffered()}});
        },
        RouteOptions{.stream_body = true});
  }

  std::unique_ptr<ResponseRecorder> run(std::string method, std::string target,
                                        std::string body = {}) {
    Request request(std::move(method), std::move(target), {}, std::move(body));
    auto w = std::make_unique<ResponseRecorder>();
    router_.handle(request, *w);
    return w;
  }

  Router router_{
      RouterOptions{.max_api_version = "1.47", .min_api_version = "1.24", .max_body_bytes = 16}};
};

TEST_F(RouterTest, PathParameter) {
  auto w = run("GET", "/containers/abc123/json");
  EXPECT_EQ(w->status(), 200);
  EXPECT_EQ(body_json(*w)["id"], "abc123");
  EXPECT_EQ(body_json(*w)["version"], "1.47");  // no prefix: the newest version
}

TEST_F(RouterTest, GreedyParameterTakesSlashes) {
  auto w = run("GET", "/images/docker.io/library/alpine:3.20/json");
  EXPECT_EQ(body_json(*w)["name"], "docker.io/library/alpine:3.20");
  w = run("GET", "/images/json");
  EXPECT_EQ(body_json(*w)["route"], "list");
  w = run("DELETE", "/v1.45/images/localhost:5000/a/b");
  EXPECT_EQ(body_json(*w)["deleted"], "localhost:5000/a/b");
  w = run("GET", "/images/my%2Fimage/json");  // decoded before matching
  EXPECT_EQ(body_json(*w)["name"], "my/image");
}

TEST_F(RouterTest, VersionPrefix) {
  auto w = run("GET", "/v1.41/containers/x/json");
  EXPECT_EQ(w->status(), 200);
  EXPECT_EQ(body_json(*w)["version"], "1.41");
}

TEST_F(RouterTest, VersionTooNewOrTooOld) {
  auto w = run("GET", "/v1.48/containers/x/json");
  EXPECT_EQ(w->status(), 400);
  EXPECT_EQ(body_json(*w)["message"],
            "client version 1.48 is too new. Maximum supported API version is 1.47");
  w = run("GET", "/v1.12/containers/x/json");
  EXPECT_EQ(w->status(), 400);
  EXPECT_EQ(body_json(*w)["message"],
            "client version 1.12 is too old. Minimum supported API version is 1.24, please "
            "upgrade your client to a newer version");
}

TEST_F(RouterTest, UnknownPathAndWrongMethodAre404) {
  for (auto [method, target] : {std::pair{"GET", "/nope"}, std::pair{"POST", "/images/json"},
                                std::pair{"GET", "/containers//json"}}) {
    auto w = run(method, target);
    EXPECT_EQ(w->status(), 404) << method << " " << target;
    EXPECT_EQ(body_json(*w)["message"], "page not found");
    EXPECT_EQ(w->response_headers().value("Content-Type"), "application/json");
  }
}

TEST_F(RouterTest, BadQueryIs400) {
  auto w = run("GET", "/images/json?filters=%zz");
  EXPECT_EQ(w->status(), 400);
  EXPECT_EQ(body_json(*w)["message"], "invalid URL escape \"%zz\"");
}

TEST_F(RouterTest, BodyBufferedUpToLimit) {
  auto w = run("POST", "/echo", "small");
  EXPECT_EQ(w->status(), 200);
  EXPECT_EQ(w->body(), "small");
  w = run("POST", "/echo", std::string(17, 'x'));
  EXPECT_EQ(w->status(), 413);
  // Streaming routes are not buffered (and have no limit).
  w = run("POST", "/upload", std::string(17, 'x'));
  EXPECT_EQ(w->status(), 200);
}

TEST_F(RouterTest, MiddlewareWrapsEverythingInOrder) {
  std::vector<std::string> seen;
  router_.use([&](Request& r, ResponseWriter& w, const RouteHandler& next) {
    seen.push_back("outer " + r.path());
    w.headers().set("Api-Version", "1.47");
    w.headers().set("Server", "Berth");
    next(r, w);
    seen.push_back("outer done " + std::to_string(w.status()));
  });
  router_.use([&](Request& r, ResponseWriter& w, const RouteHandler& next) {
    seen.push_back("inner " + r.api_version());
    next(r, w);
  });
  auto w = run("GET", "/v1.44/containers/c/json");
  EXPECT_EQ(w->response_headers().value("Api-Version"), "1.47");
  w = run("GET", "/missing");
  EXPECT_EQ(w->status(), 404);
  EXPECT_EQ(w->response_headers().value("Server"), "Berth");
  std::vector<std::string> want = {"outer /containers/c/json", "inner 1.44", "outer done 200",
                                   "outer /missing",           "inner 1.47", "outer done 404"};
  EXPECT_EQ(seen, want);
}

TEST(RoutePatternTest, Matching) {
  auto p = RoutePattern::compile("/exec/{id}/start").take();
  PathParams params;
  EXPECT_TRUE(p.match("/exec/abc/start", &params));
  EXPECT_EQ(params.at(0).second, "abc");
  EXPECT_FALSE(p.match("/exec/a/b/start", &params));
  EXPECT_FALSE(p.match("/exec//start", &params));
  auto g = RoutePattern::compile("/plugins/{name:.*}/set").take();
  EXPECT_TRUE(g.match("/plugins/vieux/sshfs:latest/set", &params));
  EXPECT_EQ(params.at(0).second, "vieux/sshfs:latest");
  // Greedy as a regex: the longest name that still leaves "/set" for the rest.
  EXPECT_TRUE(g.match("/plugins/a/set/set", &params));
  EXPECT_EQ(params.at(0).second, "a/set");
  EXPECT_FALSE(RoutePattern::compile("/x/{id").ok());
  EXPECT_FALSE(RoutePattern::compile("/x/{id:[0-9]+}").ok());
}

TEST(ResponseRecorderTest, StreamsAndDisconnect) {
  ResponseRecorder w;
  ASSERT_TRUE(w.begin_stream(200, {{"Content-Type", "application/json"}}).ok());
  ASSERT_TRUE(w.write_chunk("{}\n").ok());
  bool told = false;
  w.on_client_gone([&] { told = true; });
  w.disconnect();
  EXPECT_TRUE(told);
  EXPECT_FALSE(w.write_chunk("more").ok());
  EXPECT_FALSE(w.send_status(200).ok());
  EXPECT_EQ(w.chunks().size(), 1u);
}

}  // namespace
}  // namespace berth::http
