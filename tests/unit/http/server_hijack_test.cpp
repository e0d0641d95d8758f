// attach/exec-style hijacking: 101 UPGRADED with Upgrade headers, the older 200 OK without,
// half-close in both directions, early bytes, the callback API.
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "http/stdcopy.h"
#include "test_util.h"

namespace berth::http {
namespace {

using testing::RawConnection;
using testing::TestServer;

constexpr std::string_view kRaw = "application/vnd.docker.raw-stream";
constexpr std::string_view kMux = "application/vnd.docker.multiplexed-stream";

// Upper-cases stdin until EOF (the client's CloseWrite), then says "bye" and closes, like a
// container's process that exits when its input ends.
void upper_until_eof(HijackedConnection& conn) {
  char buf[4096];
  while (true) {
    auto n = conn.read(buf, sizeof(buf));
    ASSERT_TRUE(n.ok()) << n.error().to_string();
    if (*n == 0) break;
    std::string out(buf, *n);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ASSERT_TRUE(conn.write(out).ok());
  }
  ASSERT_TRUE(conn.write("bye").ok());
}

std::shared_ptr<Router> hijack_router() {
  auto router = std::make_shared<Router>();
  router->post("/containers/{id}/attach", [](Request&, ResponseWriter& w) {
    auto conn = w.hijack(kRaw);
    ASSERT_TRUE(conn.ok()) << conn.error().to_string();
    upper_until_eof(**conn);
  });
  router->post("/exec/{id}/start", [](Request& r, ResponseWriter& w) {
    // exec start carries a JSON body before the stream.
    Json config = Json::parse(r.body());
    auto conn = w.hijack(config.value("Tty", false) ? kRaw : kMux);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->write(stdcopy_encode(StdStream::kStdout, "out")).ok());
    ASSERT_TRUE((*conn)->write(stdcopy_encode(StdStream::kStderr, "err")).ok());
    // Output ends before input: half-close our side, then keep reading stdin.
    ASSERT_TRUE((*conn)->close_write().ok());
    std::string in;
    char buf[256];
    while (auto n = (*conn)->read(buf, sizeof(buf))) {
      if (!n.ok() || *n == 0) break;
      in.append(buf, *n);
    }
    EXPECT_EQ(in, "stdin data");
  });
  router->post("/callback/attach", [](Request&, ResponseWriter& w) {
    auto conn = w.hijack(kRaw);
    ASSERT_TRUE(conn.ok());
    std::shared_ptr<HijackedConnection> shared(std::move(*conn));
    std::promise<void> done;
    shared->start_reading(
        [shared](std::string_view data) {
          shared->async_write("echo:" + std::string(data), nullptr);
        },
        [&done](Status) { done.set_value(); });
    done.get_future().wait();
    std::promise<void> written;
    shared->async_write("end", [&written](Status) { written.set_value(); });
    written.get_future().wait();
  });
  return router;
}

std::string read_to_end(HijackedConnection& conn) {
  std::string out;
  char buf[4096];
  while (true) {
    auto n = conn.read(buf, sizeof(buf));
    if (!n.ok() || *n == 0) return out;
    out.append(buf, *n);
  }
}

TEST(ServerHijackTest, UpgradeGets101AndHalfCloseWorks) {
  TestServer ts(hijack_router());
  HttpClient client = ts.client();
  auto h = client.hijack(ClientRequest::post("/v1.47/containers/c1/attach?stream=1&stdin=1"));
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  EXPECT_EQ(h->status, 101);
  EXPECT_EQ(h->headers.value("Content-Type"), kRaw);
  EXPECT_EQ(h->headers.value("Upgrade"), "tcp");
  EXPECT_EQ(h->headers.value("Connection"), "Upgrade");
  ASSERT_TRUE(h->connection);
  ASSERT_TRUE(h->connection->write("hello ").ok());
  ASSERT_TRUE(h->connection->write("world").ok());
  ASSERT_TRUE(h->connection->close_write().ok());  // stdin EOF
  EXPECT_EQ(read_to_end(*h->connection), "HELLO WORLDbye");
}

TEST(ServerHijackTest, WithoutUpgradeGets200) {
  TestServer ts(hijack_router());
  HttpClient client = ts.client();
  auto h = client.hijack(ClientRequest::post("/containers/c1/attach?stream=1"), false);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->headers.value("Content-Type"), kRaw);
  EXPECT_FALSE(h->headers.has("Upgrade"));
  ASSERT_TRUE(h->connection->write("abc").ok());
  ASSERT_TRUE(h->connection->close_write().ok());
  EXPECT_EQ(read_to_end(*h->connection), "ABCbye");
}

TEST(ServerHijackTest, ExactHeadsOnTheWire) {
  auto router = std::make_shared<Router>();
  router->post("/containers/{id}/attach", [](Request&, ResponseWriter& w) {
    auto conn = w.hijack(kRaw);
    EXPECT_TRUE(conn.ok());
  });
  TestServer ts(router);
  RawConnection up(ts.socket_path());
  up.send(
      "POST /containers/c/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
      "Upgrade: tcp\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(up.read_until("\r\n\r\n"),
            "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
            "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
  RawConnection old(ts.socket_path());
  old.send("POST /containers/c/attach HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(old.read_until("\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n");
}

TEST(ServerHijackTest, BytesSentRightAfterTheRequestArriveFirst) {
  TestServer ts(hijack_router());
  RawConnection raw(ts.socket_path());
  // Request and the first stdin bytes in one write, then half-close.
  raw.send(
      "POST /containers/c/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
      "Upgrade: tcp\r\n\r\nearly bytes");
  ::shutdown(raw.fd(), SHUT_WR);
  std::string out = raw.read_until_close();
  EXPECT_NE(out.find("\r\n\r\nEARLY BYTESbye"), std::string::npos) << out;
}

TEST(ServerHijackTest, ExecWithBodyMultiplexedAndServerHalfClose) {
  TestServer ts(hijack_router());
  HttpClient client = ts.client();
  ClientRequest req =
      ClientRequest::post_json("/exec/e1/start", {{"Detach", false}, {"Tty", false}});
  auto h = client.hijack(req);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->headers.value("Content-Type"), kMux);
  // The server's output ends (its half-close) while our input still flows.
  std::string wire = read_to_end(*h->connection);
  std::string out, err;
  StdcopyDecoder decoder;
  ASSERT_TRUE(decoder
                  .feed(wire,
                        [&](StdStream s, std::string_view d) -> Status {
                          (s == StdStream::kStdout ? out : err).append(d);
                          return {};
                        })
                  .ok());
  EXPECT_EQ(out, "out");
  EXPECT_EQ(err, "err");
  ASSERT_TRUE(h->connection->write("stdin data").ok());
  ASSERT_TRUE(h->connection->close_write().ok());
}

TEST(ServerHijackTest, CallbackStyle) {
  TestServer ts(hijack_router());
  HttpClient client = ts.client();
  auto h = client.hijack(ClientRequest::post("/callback/attach"));
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(h->connection->write("one").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(h->connection->close_write().ok());
  std::string out = read_to_end(*h->connection);
  EXPECT_EQ(out, "echo:oneend");
}

TEST(ServerHijackTest, ErrorBeforeHijackIsAnOrdinaryResponse) {
  auto router = hijack_router();
  router->post("/containers/{id}/missing", [](Request&, ResponseWriter& w) {
    (void)w.send_error(404, "No such container: x");
  });
  TestServer ts(router);
  auto h = ts.client().hijack(ClientRequest::post("/containers/x/missing"));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->status, 404);
  EXPECT_FALSE(h->connection);
  EXPECT_EQ(Json::parse(h->body)["message"], "No such container: x");
}

TEST(ServerHijackTest, ServerStopClosesHijackedConnections) {
  auto router = std::make_shared<Router>();
  std::atomic<bool> read_ended{false};
  router->post("/attach", [&](Request&, ResponseWriter& w) {
    auto conn = w.hijack(kRaw);
    ASSERT_TRUE(conn.ok());
    char buf[16];
    while (true) {
      auto n = (*conn)->read(buf, sizeof(buf));
      if (!n.ok() || *n == 0) break;
    }
    read_ended = true;
  });
  TestServer ts(router);
  auto h = ts.client().hijack(ClientRequest::post("/attach"));
  ASSERT_TRUE(h.ok());
  ts.server->stop(std::chrono::milliseconds(50));
  EXPECT_TRUE(read_ended);
  EXPECT_EQ(read_to_end(*h->connection), "");
}

}  // namespace
}  // namespace berth::http
