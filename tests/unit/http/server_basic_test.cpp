// Requests over a real unix socket: routing, versions, keep-alive, HEAD, concurrency, stop.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::http {
namespace {

using testing::RawConnection;
using testing::TestServer;

std::shared_ptr<Router> make_router() {
  auto router = std::make_shared<Router>();
  router->use([](Request& r, ResponseWriter& w, const RouteHandler& next) {
    w.headers().set("Api-Version", "1.47");
    w.headers().set("Ostype", "linux");
    next(r, w);
  });
  router->get("/_ping", [](Request&, ResponseWriter& w) {
    Response r = Response::text(200, "OK");
    r.headers.set("Cache-Control", "no-cache, no-store, must-revalidate");
    (void)w.send(std::move(r));
  });
  router->head("/_ping",
               [](Request&, ResponseWriter& w) { (void)w.send(Response::text(200, "OK")); });
  router->get("/containers/{id}/json", [](Request& r, ResponseWriter& w) {
    (void)w.send_json(200, {{"Id", r.param("id")},
                            {"version", r.api_version()},
                            {"all", r.query().get_bool("all")},
                            {"label", r.query().get_all("label")}});
  });
  router->get("/images/{name:.*}/json", [](Request& r, ResponseWriter& w) {
    (void)w.send_json(200, {{"name", r.param("name")}});
  });
  router->post("/echo", [](Request& r, ResponseWriter& w) {
    Response resp = Response::text(200, r.body());
    resp.headers.set("X-Peer-Uid", r.peer().uid ? std::to_string(*r.peer().uid) : "none");
    (void)w.send(std::move(resp));
  });
  router->del("/containers/{id}", [](Request&, ResponseWriter& w) { (void)w.send_status(204); });
  router->get("/silent", [](Request&, ResponseWriter&) {});  // forgets to answer
  router->get("/throws", [](Request&, ResponseWriter&) { throw std::runtime_error("boom"); });
  return router;
}

TEST(ServerBasicTest, RoutesParamsVersionsAndQueries) {
  TestServer ts(make_router());
  HttpClient client = ts.client();

  auto r =
      client.request(ClientRequest::get("/v1.45/containers/abc/json?all=1&label=a%3Db&label=c"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->status, 200);
  Json j = Json::parse(r->body);
  EXPECT_EQ(j["Id"], "abc");
  EXPECT_EQ(j["version"], "1.45");
  EXPECT_EQ(j["all"], true);
  EXPECT_EQ(j["label"], Json::array({"a=b", "c"}));
  EXPECT_EQ(r->headers.value("api-version"), "1.47");
  EXPECT_EQ(r->headers.value("Content-Type"), "application/json");
  EXPECT_FALSE(r->headers.value("Date").empty());

  r = client.request(ClientRequest::get("/images/registry:5000/team/app:v1/json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Json::parse(r->body)["name"], "registry:5000/team/app:v1");

  r = client.request(ClientRequest::get("/v1.48/containers/abc/json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json::parse(r->body)["message"],
            "client version 1.48 is too new. Maximum supported API version is 1.47");

  r = client.request(ClientRequest::get("/nothing/here"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "{\"message\":\"page not found\"}\n");
  EXPECT_EQ(r->headers.value("Ostype"), "linux");  // middleware runs for 404s too
}

TEST(ServerBasicTest, PostBodyHeadAndNoContent) {
  TestServer ts(make_router());
  HttpClient client = ts.client();
  auto r = client.request(ClientRequest::post("/echo", "payload", "text/plain"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "payload");
  EXPECT_EQ(r->headers.value("X-Peer-Uid"), std::to_string(::getuid()));  // SO_PEERCRED

  ClientRequest head;
  head.method = "HEAD";
  head.target = "/_ping";
  r = client.request(head);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.value("Content-Length"), "2");
  EXPECT_EQ(r->body, "");

  ClientRequest del;
  del.method = "DELETE";
  del.target = "/containers/x";
  r = client.request(del);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 204);
  EXPECT_FALSE(r->headers.has("Content-Length"));

  // The connection survived all of it.
  r = client.request(ClientRequest::get("/_ping"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "OK");
  EXPECT_EQ(ts.server->open_connections(), 1u);
}

TEST(ServerBasicTest, KeepAliveReusesOneConnection) {
  TestServer ts(make_router());
  HttpClient client = ts.client();
  for (int i = 0; i < 20; ++i) {
    auto r = client.request(ClientRequest::get("/_ping"));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->body, "OK");
  }
  EXPECT_EQ(ts.server->open_connections(), 1u);
}

TEST(ServerBasicTest, ClientRetriesWhenServerClosedIdleConnection) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(100);
  TestServer ts(make_router(), options);
  HttpClient client = ts.client();
  ASSERT_TRUE(client.request(ClientRequest::get("/_ping")).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the server drops it
  auto r = client.request(ClientRequest::get("/_ping"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->body, "OK");
}

TEST(ServerBasicTest, HandlerThatDoesNotAnswerOrThrowsGets500) {
  TestServer ts(make_router());
  HttpClient client = ts.client();
  auto r = client.request(ClientRequest::get("/silent"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  r = client.request(ClientRequest::get("/throws"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(client.request(ClientRequest::get("/_ping"))->status, 200);
}

TEST(ServerBasicTest, FiftyConcurrentClients) {
  auto router = make_router();
  std::atomic<int> in_handler{0};
  std::atomic<int> max_in_handler{0};
  router->get("/slow", [&](Request&, ResponseWriter& w) {
    int now = ++in_handler;
    int seen = max_in_handler.load();
    while (now > seen && !max_in_handler.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --in_handler;
    (void)w.send(Response::text(200, "slow"));
  });
  TestServer ts(router);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 50; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = ts.client();
      for (int i = 0; i < 10; ++i) {
        std::string body = "client " + std::to_string(t) + " request " + std::to_string(i);
        auto r = client.request(ClientRequest::post("/echo", body));
        if (r.ok() && r->body == body) ++ok;
      }
      if (client.request(ClientRequest::get("/slow")).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 50 * 11);
  // Handlers run on their own threads: the slow ones overlapped.
  EXPECT_GT(max_in_handler.load(), 2);
}

TEST(ServerBasicTest, Http10AndPipelining) {
  TestServer ts(make_router());
  RawConnection raw(ts.socket_path());
  // Two requests in one write: both are answered, in order, on one connection.
  raw.send(
      "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: 4\r\nConnection: close\r\n\r\nabcd");
  std::string out = raw.read_until_close();
  size_t first = out.find("HTTP/1.1 200 OK");
  ASSERT_NE(first, std::string::npos);
  size_t second = out.find("HTTP/1.1 200 OK", first + 1);
  ASSERT_NE(second, std::string::npos) << out;
  EXPECT_NE(out.find("abcd", second), std::string::npos);

  RawConnection old(ts.socket_path());
  old.send("GET /_ping HTTP/1.0\r\n\r\n");
  out = old.read_until_close();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\n")) << out;
  EXPECT_NE(out.find("Connection: close"), std::string::npos);
}

TEST(ServerBasicTest, UnixSocketModeAndStaleFile) {
  testing::TempDir dir;
  std::string path = dir.path() + "/stale.sock";
  {
    // A socket file nobody listens on any more.
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)), 0);
    ::close(fd);
  }
  ServerOptions options;
  options.unix_sockets.push_back({.path = path, .mode = 0640});
  auto server = HttpServer::start(options, Router::handler(make_router()));
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ((*server)->endpoints().at(0), "unix://" + path);

  // A second server on a socket in use is refused, not allowed to steal it.
  auto second = HttpServer::start(options, Router::handler(make_router()));
  EXPECT_FALSE(second.ok());

  (*server)->stop();
  EXPECT_NE(::access(path.c_str(), F_OK), 0);  // removed on stop
}

TEST(ServerBasicTest, StopClosesIdleConnectionsAndWaitsForHandlers) {
  auto router = make_router();
  std::atomic<bool> finished{false};
  router->get("/work", [&](Request&, ResponseWriter& w) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    (void)w.send(Response::text(200, "done"));
    finished = true;
  });
  TestServer ts(router);
  HttpClient idle_client = ts.client();
  ASSERT_TRUE(idle_client.request(ClientRequest::get("/_ping")).ok());
  std::thread worker([&] {
    HttpClient c = ts.client();
    auto r = c.request(ClientRequest::get("/work"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body, "done");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ts.server->stop(std::chrono::seconds(5));
  EXPECT_TRUE(finished);
  worker.join();
  EXPECT_EQ(ts.server->open_connections(), 0u);
  EXPECT_FALSE(idle_client.request(ClientRequest::get("/_ping")).ok());
}

}  // namespace
}  // namespace berth::http
