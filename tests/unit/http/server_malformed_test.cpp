// Garbage on the wire gets 400 (or 431/413) and a closed connection, and the server goes on.
#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::http {
namespace {

using testing::RawConnection;
using testing::TestServer;

std::shared_ptr<Router> small_router() {
  auto router = std::make_shared<Router>(RouterOptions{.max_body_bytes = 1024});
  router->get("/_ping",
              [](Request&, ResponseWriter& w) { (void)w.send(Response::text(200, "OK")); });
  router->post("/echo",
               [](Request& r, ResponseWriter& w) { (void)w.send(Response::text(200, r.body())); });
  router->post(
      "/stream",
      [](Request& r, ResponseWriter& w) {
        char buf[64];
        while (true) {
          auto n = r.read_body_chunk(buf, sizeof(buf));
          if (!n.ok()) return;  // the server answers for the broken body
          if (*n == 0) break;
        }
        (void)w.send_status(204);
      },
      RouteOptions{.stream_body = true});
  return router;
}

ServerOptions small_limits() {
  ServerOptions options;
  options.max_header_bytes = 8192;
  return options;
}

void expect_still_serving(TestServer& ts) {
  auto r = ts.client().request(ClientRequest::get("/_ping"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->body, "OK");
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

TEST(ServerMalformedTest, GarbageGets400AndClose) {
  TestServer ts(small_router(), small_limits());
  for (std::string garbage :
       {std::string("GARBAGE\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),
        std::string("GET /x HTTP/1.1\r\nBad Header\r\n\r\n"),
        std::string("POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
        std::string("POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")}) {
    RawConnection raw(ts.socket_path());
    raw.send(garbage);
    std::string out = raw.read_until_close();
    EXPECT_EQ(status_line(out), "HTTP/1.1 400 Bad Request") << garbage;
    EXPECT_NE(out.find("\"message\""), std::string::npos);
  }
  expect_still_serving(ts);
}

TEST(ServerMalformedTest, UnknownHttpVersionGets505) {
  TestServer ts(small_router(), small_limits());
  RawConnection raw(ts.socket_path());
  raw.send("GET /_ping HTTP/2.0\r\nHost: x\r\n\r\n");
  EXPECT_EQ(status_line(raw.read_until_close()), "HTTP/1.1 505 HTTP Version Not Supported");
  expect_still_serving(ts);
}

TEST(ServerMalformedTest, BadChunkSizeGets400) {
  TestServer ts(small_router(), small_limits());
  for (std::string path : {"/echo", "/stream"}) {
    RawConnection raw(ts.socket_path());
    raw.send("POST " + path +
             " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\nZZZ\r\n");
    std::string out = raw.read_until_close();
    EXPECT_EQ(status_line(out), "HTTP/1.1 400 Bad Request") << path << ": " << out;
  }
  expect_still_serving(ts);
}

TEST(ServerMalformedTest, OverlongHeadersGet431) {
  TestServer ts(small_router(), small_limits());
  RawConnection raw(ts.socket_path());
  raw.send("GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(16384, 'a') + "\r\n\r\n");
  std::string out = raw.read_until_close();
  EXPECT_EQ(status_line(out), "HTTP/1.1 431 Request Header Fields Too Large");
  expect_still_serving(ts);
}

TEST(ServerMalformedTest, BodyOverLimitGets413) {
  TestServer ts(small_router(), small_limits());
  HttpClient client = ts.client();
  auto r = client.request(ClientRequest::post("/echo", std::string(2048, 'x')));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(Json::parse(r->body)["message"].get<std::string>().find("limit"), std::string::npos);

  // Chunked, so the size is only known while reading.
  RawConnection raw(ts.socket_path());
  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
           std::string(2048, 'y') + "\r\n0\r\n\r\n");
  std::string out = raw.read_until("}\n");
  EXPECT_EQ(status_line(out), "HTTP/1.1 413 Request Entity Too Large");
  expect_still_serving(ts);
}

TEST(ServerMalformedTest, ClientVanishingMidBodyDoesNotHurt) {
  TestServer ts(small_router(), small_limits());
  {
    RawConnection raw(ts.socket_path());
    raw.send("POST /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial");
  }
  {
    RawConnection raw(ts.socket_path());
    raw.send("GET /_ping HTTP/1.1\r\nHo");  // half a head, then gone
  }
  expect_still_serving(ts);
}

TEST(ServerMalformedTest, HeaderInjectionIsNotWritten) {
  auto router = small_router();
  router->get("/inject", [](Request&, ResponseWriter& w) {
    Response r = Response::text(200, "x");
    r.headers.set("X-Evil", "a\r\nSet-Cookie: pwned");
    (void)w.send(std::move(r));
  });
  TestServer ts(router);
  auto r = ts.client().request(ClientRequest::get("/inject"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->headers.has("Set-Cookie"));
  EXPECT_FALSE(r->headers.has("X-Evil"));
}

}  // namespace
}  // namespace berth::http
