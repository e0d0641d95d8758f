#include "runtime/container_state.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "base/file_util.h"

namespace berth::runtime {
namespace {

TEST(ContainerIdTest, RuncRules) {
  for (const char* id : {"a", "abc-123", "A_b.c+d", "x.y", "..."}) {
    EXPECT_TRUE(validate_container_id(id).ok()) << id;
  }
  EXPECT_TRUE(validate_container_id(std::string(1024, 'a')).ok());
  for (const char* id : {"", ".", "..", "a/b", "/a", "a b", "a:b", "a\nb", "ä"}) {
    auto st = validate_container_id(id);
    EXPECT_FALSE(st.ok()) << id;
  }
  EXPECT_FALSE(validate_container_id(std::string(1025, 'a')).ok());
}

TEST(ContainerStateTest, JsonRoundTrip) {
  ContainerState s;
  s.id = "c1";
  s.bundle = "/b";
  s.rootfs = "/b/rootfs";
  s.init_pid = 42;
  s.init_start_time = 123456;
  s.created_ns = 1'700'000'000'123'456'789;
  s.cgroup_path = "/berth/c1";
  s.annotations = {{"k", "v"}};
  s.has_init_pid_ns = false;
  auto back = container_state_from_json(container_state_to_json(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, "c1");
  EXPECT_EQ(back->init_pid, 42);
  EXPECT_EQ(back->init_start_time, 123456u);
  EXPECT_EQ(back->created_ns, s.created_ns);
  EXPECT_EQ(back->annotations, s.annotations);
  EXPECT_FALSE(back->has_init_pid_ns);
  auto bad = container_state_from_json(Json{{"id", "x"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataLoss);
}

TEST(ContainerStateTest, StateJsonFollowsTheSpec) {
  ContainerState s;
  s.id = "c1";
  s.bundle = "/b";
  s.rootfs = "/b/rootfs";
  s.init_pid = 42;
  s.created_ns = 0;
  OrderedJson running = state_to_json(s, ContainerStatus::kRunning);
  EXPECT_EQ(running["status"], "running");
  EXPECT_EQ(running["pid"], 42);
  EXPECT_EQ(running["id"], "c1");
  EXPECT_EQ(running["bundle"], "/b");
  EXPECT_TRUE(running.contains("ociVersion"));
  EXPECT_EQ(running["created"], "1970-01-01T00:00:00Z");
  EXPECT_FALSE(running.contains("annotations"));
  // A stopped container has no process.
  EXPECT_EQ(state_to_json(s, ContainerStatus::kStopped)["pid"], 0);
  for (auto st : {ContainerStatus::kCreating, ContainerStatus::kCreated, ContainerStatus::kRunning,
                  ContainerStatus::kPaused, ContainerStatus::kStopped}) {
    EXPECT_NE(std::string(status_name(st)), "unknown");
  }
}

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-state-store-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
  }
  void TearDown() override { ASSERT_TRUE(remove_all(base_).ok()); }
  std::string base_;
};

TEST_F(StateStoreTest, CreateSaveLoadListRemove) {
  StateStore store(base_ + "/root");
  ASSERT_TRUE(store.create_dir("b").ok());
  ASSERT_TRUE(store.create_dir("a").ok());
  auto again = store.create_dir("a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  ContainerState s;
  s.id = "a";
  s.bundle = "/bundle";
  ASSERT_TRUE(store.save(s).ok());
  auto loaded = store.load("a");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->bundle, "/bundle");
  EXPECT_EQ(store.load("nope").error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(store.load("../escape").ok());
  EXPECT_EQ(*store.list_ids(), (std::vector<std::string>{"a", "b"}));
  {
    auto lock = store.lock("a");
    ASSERT_TRUE(lock.ok());
  }
  EXPECT_EQ(store.lock("nope").error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store.remove("a").ok());
  EXPECT_EQ(*store.list_ids(), (std::vector<std::string>{"b"}));
}

TEST_F(StateStoreTest, StatusFromTheLiveSystem) {
  StateStore store(base_);
  ContainerState s;
  s.id = "x";
  EXPECT_EQ(current_status(store, s, false), ContainerStatus::kStopped);  // no pid
  s.init_pid = ::getpid();
  s.init_start_time = 1;  // not ours: a recycled pid
  EXPECT_EQ(current_status(store, s, false), ContainerStatus::kStopped);
}

}  // namespace
}  // namespace berth::runtime
