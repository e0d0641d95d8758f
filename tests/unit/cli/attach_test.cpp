// `run` and `exec` end to end against a fake daemon that speaks attach/exec the way dockerd
// does: hijacked connections carrying stdcopy frames, stdin forwarded and half-closed, the exit
// status from /wait (or exec inspect) becoming berth's exit code.
#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "base/json.h"
#include "fake_daemon.h"
#include "http/stdcopy.h"
#include "run_cli.h"

namespace berth::cli::testing {
namespace {

const std::string kId(64, 'c');

// A container that echoes stdin back on stdout, says something on stderr, and exits 3.
struct EchoContainer {
  std::mutex mu;
  std::condition_variable cv;
  bool started = false;
  bool output_done = false;

  std::optional<http::Response> plain(const RecordedRequest& r) {
    if (r.path == "/containers/create") {
      return http::Response::json(201, Json{{"Id", kId}, {"Warnings", Json::array()}});
    }
    if (r.path == "/containers/" + kId + "/start") {
      std::lock_guard lock(mu);
      started = true;
      cv.notify_all();
      return http::Response{204, {}, {}};
    }
    return std::nullopt;
  }

  bool raw(http::Request& r, http::ResponseWriter& w) {
    std::string path = r.path();
    if (path.ends_with("/containers/" + kId + "/attach")) {
      auto conn = w.hijack("application/vnd.docker.raw-stream");
      if (!conn.ok()) return true;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return started; });
      }
      std::string input;
      char buf[4096];
      if (r.query().get_bool("stdin")) {
        while (true) {
          auto n = (*conn)->read(buf, sizeof(buf));
          if (!n.ok() || *n == 0) break;
          input.append(buf, *n);
        }
      }
      (void)(*conn)->write(http::stdcopy_encode(http::StdStream::kStdout, "out:" + input + "\n"));
      (void)(*conn)->write(http::stdcopy_encode(http::StdStream::kStderr, "err line\n"));
      (*conn)->close();
      std::lock_guard lock(mu);
      output_done = true;
      cv.notify_all();
      return true;
    }
    if (path.ends_with("/containers/" + kId + "/wait")) {
      // Headers first (as dockerd does), the status once the container "exits".
      (void)w.begin_stream(200, {{"Content-Type", "application/json"}});
      (void)w.flush();
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return output_done; });
      }
      (void)w.write_chunk(R"({"StatusCode":3,"Error":null})" "\n");
      (void)w.end_stream();
      return true;
    }
    return false;
  }
};

class AttachTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("BERTH_CONFIG", "/nonexistent-berth-config", 1);
    ::setenv("BERTH_NO_AUTOSTART", "1", 1);
  }
};

TEST_F(AttachTest, RunStreamsOutputAndExitsWithTheContainersCode) {
  EchoContainer c;
  FakeDaemon d([&](const RecordedRequest& r) { return c.plain(r); },
               [&](http::Request& r, http::ResponseWriter& w) { return c.raw(r, w); });
  CliRun run = run_berth({"-H", d.host(), "run", "--rm", "busybox"});
  EXPECT_EQ(run.exit, 3) << run.err;
  EXPECT_EQ(run.out, "out:\n");
  EXPECT_EQ(run.err, "err line\n");
  // The attach and the wait went out before the start, as docker sends them.
  std::vector<std::string> order;
  for (const auto& r : d.requests()) order.push_back(r.method + " " + r.path);
  auto pos = [&](const std::string& what) {
    return std::find(order.begin(), order.end(), what) - order.begin();
  };
  EXPECT_LT(pos("POST /containers/" + kId + "/attach"), pos("POST /containers/" + kId + "/start"));
  EXPECT_LT(pos("POST /containers/" + kId + "/wait"), pos("POST /containers/" + kId + "/start"));
  auto wait = d.find("POST", "/containers/" + kId + "/wait");
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->query, "condition=removed");
}

TEST_F(AttachTest, RunForwardsStdinAndHalfClosesIt) {
  EchoContainer c;
  FakeDaemon d([&](const RecordedRequest& r) { return c.plain(r); },
               [&](http::Request& r, http::ResponseWriter& w) { return c.raw(r, w); });
  CliRun run = run_berth_with_stdin({"-H", d.host(), "run", "-i", "busybox", "cat"}, "hello");
  EXPECT_EQ(run.exit, 3) << run.err;
  EXPECT_EQ(run.out, "out:hello\n");
  auto attach = d.find("POST", "/containers/" + kId + "/attach");
  ASSERT_TRUE(attach);
  EXPECT_EQ(attach->query, "stderr=1&stdin=1&stdout=1&stream=1");
  auto wait = d.find("POST", "/containers/" + kId + "/wait");
  EXPECT_EQ(wait->query, "condition=next-exit");
}

TEST_F(AttachTest, RunWithATtyNeedsATerminal) {
  FakeDaemon d;
  CliRun run = run_berth({"-H", d.host(), "run", "-it", "busybox"});
  EXPECT_EQ(run.exit, 1);
  EXPECT_EQ(run.err, "the input device is not a TTY\n");
}

TEST_F(AttachTest, StartFailureMapsToDockersExitCodes) {
  for (auto [message, code] : std::vector<std::pair<std::string, int>>{
           {"failed to create task: exec: \"nope\": executable file not found in $PATH", 127},
           {"failed to create task: exec /etc: permission denied", 126},
           {"cannot start: something else", 125}}) {
    FakeDaemon d([&, message = message](const RecordedRequest& r) -> std::optional<http::Response> {
      if (r.path == "/containers/create") {
        return http::Response::json(201, Json{{"Id", kId}, {"Warnings", Json::array()}});
      }
      if (r.path == "/containers/" + kId + "/start") return http::Response::error(400, message);
      if (r.path == "/containers/" + kId + "/wait") {
        return http::Response::json(200, Json{{"StatusCode", 0}});
      }
      return std::nullopt;
    });
    CliRun run = run_berth({"-H", d.host(), "run", "-d", "busybox", "nope"});
    EXPECT_EQ(run.exit, code) << message;
    EXPECT_EQ(run.err, "berth: Error response from daemon: " + message +
                           "\n\nRun 'berth run --help' for more information\n");
  }
}

TEST_F(AttachTest, MissingImageIsPulledThenCreated) {
  std::atomic<int> creates = 0;
  FakeDaemon d([&](const RecordedRequest& r) -> std::optional<http::Response> {
    if (r.path == "/containers/create") {
      if (creates++ == 0) return http::Response::error(404, "No such image: busybox:latest");
      return http::Response::json(201, Json{{"Id", kId}, {"Warnings", Json::array({"careful"})}});
    }
    if (r.path == "/images/create") {
      http::Response resp;
      resp.headers.set("Content-Type", "application/json");
      resp.body =
          "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n"
          "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"abc\"}\r\n"
          "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}\r\n";
      return resp;
    }
    return std::nullopt;
  });
  CliRun run = run_berth({"-H", d.host(), "create", "busybox"});
  EXPECT_EQ(run.exit, 0) << run.err;
  EXPECT_EQ(run.out, kId + "\n");
  EXPECT_EQ(run.err,
            "Unable to find image 'busybox:latest' locally\n"
            "latest: Pulling from library/busybox\n"
            "abc: Pull complete\n"
            "Status: Downloaded newer image for busybox:latest\n"
            "WARNING: careful\n");
  auto pull = d.find("POST", "/images/create");
  ASSERT_TRUE(pull);
  EXPECT_EQ(pull->query, "fromImage=busybox&tag=latest");
  EXPECT_EQ(pull->headers.value("X-Registry-Auth"), "e30=");
}

TEST_F(AttachTest, ExecStreamsAndReturnsTheExitCode) {
  FakeDaemon d(
      [&](const RecordedRequest& r) -> std::optional<http::Response> {
        if (r.path == "/containers/web/json") {
          return http::Response::json(200, Json{{"Id", kId}, {"Config", {{"Tty", false}}}});
        }
        if (r.path == "/containers/web/exec") {
          return http::Response::json(201, Json{{"Id", "exec1"}});
        }
        if (r.path == "/exec/exec1/json") {
          return http::Response::json(200, Json{{"ExitCode", 42}, {"Running", false}});
        }
        return std::nullopt;
      },
      [&](http::Request& r, http::ResponseWriter& w) {
        if (!r.path().ends_with("/exec/exec1/start")) return false;
        auto conn = w.hijack("application/vnd.docker.multiplexed-stream");
        if (conn.ok()) {
          (void)(*conn)->write(http::stdcopy_encode(http::StdStream::kStdout, "from exec\n"));
          (*conn)->close();
        }
        return true;
      });
  CliRun run = run_berth({"-H", d.host(), "exec", "-e", "A=1", "-w", "/w", "-u", "nobody", "web",
                          "sh", "-c", "exit 42"});
  EXPECT_EQ(run.exit, 42) << run.err;
  EXPECT_EQ(run.out, "from exec\n");
  auto create = d.find("POST", "/containers/web/exec");
  ASSERT_TRUE(create);
  // docker's ExecOptions, in its field order.
  EXPECT_EQ(create->body,
            R"({"User":"nobody","Privileged":false,"Tty":false,"AttachStdin":false,)"
            R"("AttachStderr":true,"AttachStdout":true,"Detach":false,"DetachKeys":"",)"
            R"("Env":["A=1"],"WorkingDir":"/w","Cmd":["sh","-c","exit 42"]})");
  auto start = d.find("POST", "/exec/exec1/start");
  ASSERT_TRUE(start);
  EXPECT_EQ(start->body, R"({"Detach":false,"Tty":false})");
}

}  // namespace
}  // namespace berth::cli::testing
