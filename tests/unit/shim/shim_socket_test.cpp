// shim.sock must work wherever the bundle is, also where its path is longer than a unix
// socket address can hold (108 bytes with the terminating NUL).
#include "shim/shim_socket.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "shim/protocol.h"

namespace berth::shim {
namespace {

class ShimSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/shim-socket-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { (void)remove_all(root_); }

  // Listens in `bundle`, connects, and checks that a byte goes through.
  void RoundTrip(const std::string& bundle) {
    ASSERT_TRUE(make_dirs(bundle, 0711).ok());
    auto listener = listen_shim_socket(bundle, 4);
    ASSERT_TRUE(listener.ok()) << listener.error().to_string();
    EXPECT_TRUE(path_exists(socket_path(bundle)));
    auto client = connect_shim_socket(bundle);
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    UniqueFd server(::accept4(listener->get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(server);
    ASSERT_EQ(::write(client->get(), "x", 1), 1);
    char c = 0;
    ASSERT_EQ(::read(server.get(), &c, 1), 1);
    EXPECT_EQ(c, 'x');
  }

  std::string root_;
};

TEST_F(ShimSocketTest, ShortBundlePath) {
  RoundTrip(root_ + "/b");
}

TEST_F(ShimSocketTest, BundlePathLongerThanASocketAddress) {
  std::string bundle = root_ + "/exec/containers/" + std::string(64, 'a');
  ASSERT_GT(socket_path(bundle).size(), 107u);
  RoundTrip(bundle);
}

TEST_F(ShimSocketTest, ListenReplacesAStaleSocket) {
  std::string bundle = root_ + "/exec/containers/" + std::string(64, 'b');
  ASSERT_TRUE(make_dirs(bundle, 0711).ok());
  {
    auto first = listen_shim_socket(bundle, 4);
    ASSERT_TRUE(first.ok());
  }
  // The first listener is gone but its socket file stays, as after a crash.
  RoundTrip(bundle);
}

TEST_F(ShimSocketTest, ConnectWithoutListenerFails) {
  std::string bundle = root_ + "/exec/containers/" + std::string(64, 'c');
  ASSERT_TRUE(make_dirs(bundle, 0711).ok());
  auto client = connect_shim_socket(bundle);
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.error().to_string().find(socket_path(bundle)), std::string::npos);
}

}  // namespace
}  // namespace berth::shim
