// Streaming both ways: large uploads pulled in pieces, chunked responses written from other
// threads, and a client going away in the middle of a stream.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::http {
namespace {

using testing::RawConnection;
using testing::TestServer;

// Generates `total` bytes of a position-dependent pattern, on the fly.
class PatternReader final : public BodyReader {
 public:
  explicit PatternReader(uint64_t total) : total_(total) {}
  Result<size_t> read(char* buf, size_t len) override {
    size_t n = static_cast<size_t>(std::min<uint64_t>(len, total_ - pos_));
    for (size_t i = 0; i < n; ++i) buf[i] = static_cast<char>((pos_ + i) * 31 % 251);
    pos_ += n;
    return n;
  }

 private:
  uint64_t total_;
  uint64_t pos_ = 0;
};

struct UploadStats {
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> chunks{0};
  std::atomic<size_t> largest{0};
  std::atomic<bool> pattern_ok{true};
  std::atomic<bool> buffered{false};
  std::atomic<size_t> heap_growth{0};
};

std::shared_ptr<Router> upload_router(UploadStats* stats) {
  auto router = std::make_shared<Router>();
  router->post(
      "/images/load",
      [stats](Request& r, ResponseWriter& w) {
        size_t heap_before = testing::heap_in_use_bytes();
        size_t heap_peak = heap_before;
        std::vector<char> buf(256 * 1024);
        uint64_t pos = 0;
        while (true) {
          auto n = r.read_body_chunk(buf.data(), buf.size());
          if (!n.ok()) {
            (void)w.send_error(400, n.error().message());
            return;
          }
          if (*n == 0) break;
          for (size_t i = 0; i < *n; i += 4099) {
            if (buf[i] != static_cast<char>((pos + i) * 31 % 251)) stats->pattern_ok = false;
          }
          pos += *n;
          if (++stats->chunks % 64 == 0) {
            heap_peak = std::max(heap_peak, testing::heap_in_use_bytes());
          }
          if (*n > stats->largest) stats->largest = *n;
        }
        stats->bytes = pos;
        stats->buffered = r.body_buffered();
        stats->heap_growth = heap_peak - heap_before;
        (void)w.send_json(200, {{"bytes", pos}});
      },
      RouteOptions{.stream_body = true});
  return router;
}

void upload(bool chunked) {
  constexpr uint64_t kTotal = 200ull << 20;
  UploadStats stats;
  TestServer ts(upload_router(&stats));
  HttpClient client = ts.client();
  PatternReader body(kTotal);
  ClientRequest req;
  req.method = "POST";
  req.target = "/images/load?quiet=1";
  req.headers.set("Content-Type", "application/x-tar");
  req.body_reader = &body;
  if (!chunked) req.body_length = kTotal;
  auto r = client.request(req);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Json::parse(r->body)["bytes"], kTotal);
  EXPECT_EQ(stats.bytes.load(), kTotal);
  EXPECT_TRUE(stats.pattern_ok);
  EXPECT_FALSE(stats.buffered);
  // Pulled in many pieces no larger than the handler's buffer, never as one body.
  EXPECT_GE(stats.chunks.load(), kTotal / (256 * 1024));
  EXPECT_LE(stats.largest.load(), 256u * 1024);
  // 200 MB went through; the heap (client and server together) never held more than a few MB.
  EXPECT_LT(stats.heap_growth.load(), 16u << 20);
}

TEST(ServerStreamTest, LargeUploadWithContentLengthIsStreamed) {
  upload(false);
}
TEST(ServerStreamTest, LargeChunkedUploadIsStreamed) {
  upload(true);
}

TEST(ServerStreamTest, ChunkedResponseFromAnotherThread) {
  auto router = std::make_shared<Router>();
  router->get("/events", [](Request&, ResponseWriter& w) {
    ASSERT_TRUE(w.begin_stream(200, {{"Content-Type", "application/json"}}).ok());
    std::thread producer([&w] {
      for (int i = 0; i < 100; ++i) {
        Json event = {{"status", "start"}, {"id", std::to_string(i)}};
        if (!w.write_chunk(event.dump() + "\n").ok()) return;
        if (i % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
    producer.join();
    (void)w.end_stream();
  });
  TestServer ts(router);
  HttpClient client = ts.client();
  auto stream = client.stream(ClientRequest::get("/v1.47/events"));
  ASSERT_TRUE(stream.ok()) << stream.error().to_string();
  EXPECT_EQ((*stream)->status(), 200);
  EXPECT_EQ((*stream)->headers().value("Transfer-Encoding"), "chunked");
  int count = 0;
  while (true) {
    auto line = (*stream)->read_line();
    ASSERT_TRUE(line.ok()) << line.error().to_string();
    if (!*line) break;
    EXPECT_EQ(Json::parse(**line)["id"], std::to_string(count));
    ++count;
  }
  EXPECT_EQ(count, 100);
  stream->reset();
  // The connection went back to the pool and is reused.
  auto again = client.stream(ClientRequest::get("/events"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ts.server->open_connections(), 1u);
}

TEST(ServerStreamTest, StreamEndsWhenHandlerReturnsWithoutEnd) {
  auto router = std::make_shared<Router>();
  router->get("/logs", [](Request&, ResponseWriter& w) {
    (void)w.begin_stream(200, {{"Content-Type", "text/plain"}});
    (void)w.write_chunk("line\n");
  });
  TestServer ts(router);
  auto r = ts.client().request(ClientRequest::get("/logs"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "line\n");
}

TEST(ServerStreamTest, ClientDisconnectEndsStream) {
  std::mutex mu;
  std::condition_variable cv;
  bool gone = false;
  std::atomic<bool> handler_done{false};
  std::atomic<bool> write_failed{false};
  auto router = std::make_shared<Router>();
  router->get("/events", [&](Request&, ResponseWriter& w) {
    ASSERT_TRUE(w.begin_stream(200, {{"Content-Type", "application/json"}}).ok());
    ASSERT_TRUE(w.write_chunk("{\"status\":\"first\"}\n").ok());
    w.on_client_gone([&] {
      std::lock_guard lock(mu);
      gone = true;
      cv.notify_all();
    });
    // Like /events with nothing happening: wait for an event or for the client to leave.
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return gone; });
    lock.unlock();
    write_failed = !w.write_chunk("{\"status\":\"late\"}\n").ok();
    handler_done = true;
  });
  TestServer ts(router);
  {
    HttpClient client = ts.client();
    auto stream = client.stream(ClientRequest::get("/events"));
    ASSERT_TRUE(stream.ok());
    auto line = (*stream)->read_line();
    ASSERT_TRUE(line.ok() && *line);
    EXPECT_EQ(**line, "{\"status\":\"first\"}");
  }  // client and stream gone: the socket closes
  for (int i = 0; i < 500 && !handler_done; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(handler_done);
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(gone);
  }
  EXPECT_TRUE(write_failed);
}

TEST(ServerStreamTest, ClientCanCancelABlockedRead) {
  auto router = std::make_shared<Router>();
  router->get("/follow", [](Request&, ResponseWriter& w) {
    (void)w.begin_stream(200, {});
    (void)w.write_chunk("x");
    for (int i = 0; i < 500 && !w.client_gone(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  TestServer ts(router);
  HttpClient client = ts.client();
  auto stream = client.stream(ClientRequest::get("/follow"));
  ASSERT_TRUE(stream.ok());
  char c;
  ASSERT_EQ(*(*stream)->read(&c, 1), 1u);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    (*stream)->cancel();
  });
  auto start = std::chrono::steady_clock::now();
  auto n = (*stream)->read(&c, 1);  // blocks until cancelled
  canceller.join();
  EXPECT_TRUE(!n.ok() || *n == 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(ServerStreamTest, ExpectContinueIsAnswered) {
  auto router = std::make_shared<Router>();
  router->post("/build", [](Request& r, ResponseWriter& w) {
    (void)w.send(Response::text(200, std::to_string(r.body().size())));
  });
  TestServer ts(router);
  RawConnection raw(ts.socket_path());
  raw.send("POST /build HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = raw.read_until("\r\n\r\n");
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  raw.send("hello");
  std::string out = raw.read_until("\r\n\r\n5");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK")) << out;
}

}  // namespace
}  // namespace berth::http
