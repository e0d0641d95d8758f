#include "runtime/sync_protocol.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace berth::runtime {
namespace {

class SyncProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int fds_[2];
};

TEST_F(SyncProtocolTest, HeadersAndPayloads) {
  ASSERT_EQ(sync_send(fds_[0], SyncType::kGo), 0);
  ASSERT_EQ(sync_send(fds_[0], SyncType::kPid, 4242), 0);
  const char json[] = "{\"status\":\"created\"}";
  ASSERT_EQ(sync_send(fds_[0], SyncType::kStateJson, 0, json, sizeof json - 1), 0);
  SyncHeader h{};
  char buf[64] = {};
  ASSERT_EQ(sync_recv(fds_[1], &h, buf, sizeof buf), 0);
  EXPECT_EQ(h.type, SyncType::kGo);
  ASSERT_EQ(sync_recv(fds_[1], &h, buf, sizeof buf), 0);
  EXPECT_EQ(h.type, SyncType::kPid);
  EXPECT_EQ(h.errnum, 4242);
  ASSERT_EQ(sync_recv(fds_[1], &h, buf, sizeof buf), 0);
  EXPECT_EQ(h.type, SyncType::kStateJson);
  EXPECT_EQ(std::string(buf, h.length), json);
}

TEST_F(SyncProtocolTest, OversizedPayloadIsTruncatedAndTheStreamStaysInStep) {
  std::string big(1000, 'x');
  ASSERT_EQ(sync_send(fds_[0], SyncType::kStateJson, 0, big.data(), big.size()), 0);
  ASSERT_EQ(sync_send(fds_[0], SyncType::kGo), 0);
  SyncHeader h{};
  char small[10];
  ASSERT_EQ(sync_recv(fds_[1], &h, small, sizeof small), 0);
  EXPECT_EQ(h.length, 1000u);
  ASSERT_EQ(sync_recv(fds_[1], &h, small, sizeof small), 0);
  EXPECT_EQ(h.type, SyncType::kGo);
}

TEST_F(SyncProtocolTest, ChildFailSendsErrnoAndMessageThenExits) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) child_fail(fds_[0], ENOENT, "mount", "/proc");
  SyncHeader h{};
  char buf[128] = {};
  ASSERT_EQ(sync_recv(fds_[1], &h, buf, sizeof buf), 0);
  EXPECT_EQ(h.type, SyncType::kError);
  EXPECT_EQ(h.errnum, ENOENT);
  EXPECT_EQ(std::string(buf, h.length), "mount /proc");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

TEST_F(SyncProtocolTest, ClosedPeerIsAnError) {
  ::close(fds_[0]);
  fds_[0] = ::dup(fds_[1]);  // keep TearDown's close balanced
  ::shutdown(fds_[1], SHUT_WR);
  SyncHeader h{};
  char buf[4];
  EXPECT_LT(sync_recv(fds_[1], &h, buf, sizeof buf), 0);
}

}  // namespace
}  // namespace berth::runtime
