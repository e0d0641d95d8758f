#include "image/progress.h"

#include <gtest/gtest.h>

namespace berth::image {
namespace {

TEST(ProgressTest, HumanSizeLikeGoUnits) {
  EXPECT_EQ(human_size(0), "0B");
  EXPECT_EQ(human_size(512), "512B");
  EXPECT_EQ(human_size(32768), "32.77kB");
  EXPECT_EQ(human_size(2152262), "2.152MB");
  EXPECT_EQ(human_size(1000000), "1MB");
  EXPECT_EQ(human_size(1.5e9), "1.5GB");
}

TEST(ProgressTest, BarLikeTheDaemonRendersIt) {
  EXPECT_EQ(progress_bar(0, 0), "");
  EXPECT_EQ(progress_bar(32768, 2152262),
            "[>                                                  ]  32.77kB/2.152MB");
  EXPECT_EQ(progress_bar(2152262, 2152262),
            "[==================================================>]  2.152MB/2.152MB");
  EXPECT_EQ(progress_bar(1076131, 2152262),
            "[=========================>                         ]  1.076MB/2.152MB");
  // More than announced: the total is dropped.
  EXPECT_EQ(progress_bar(3000, 2000),
            "[==================================================>]      3kB");
  EXPECT_EQ(progress_bar(4096, 0), " 4.096kB");
}

TEST(ProgressTest, EncodesJsonMessagesInDockersFieldOrder) {
  JsonMessage m;
  m.status = "Pulling from library/busybox";
  m.id = "latest";
  EXPECT_EQ(encode_json_message(m), R"({"status":"Pulling from library/busybox","id":"latest"})");
  JsonMessage layer;
  layer.status = "Pulling fs layer";
  layer.detail = ProgressDetail{};
  layer.id = "ec562eabd705";
  EXPECT_EQ(encode_json_message(layer),
            R"({"status":"Pulling fs layer","progressDetail":{},"id":"ec562eabd705"})");
  JsonMessage dl;
  dl.status = "Downloading";
  dl.detail = ProgressDetail{10, 20};
  dl.progress = "[x]";
  dl.id = "abc";
  EXPECT_EQ(
      encode_json_message(dl),
      R"({"status":"Downloading","progressDetail":{"current":10,"total":20},"progress":"[x]","id":"abc"})");
  JsonMessage err;
  err.error = "boom";
  EXPECT_EQ(encode_json_message(err), R"({"errorDetail":{"message":"boom"},"error":"boom"})");
  JsonMessage stream;
  stream.stream = "Loaded image: busybox:latest\n";
  EXPECT_EQ(encode_json_message(stream), R"({"stream":"Loaded image: busybox:latest\n"})");
  auto back = decode_json_message(encode_json_message(dl));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, "Downloading");
  EXPECT_EQ(back->detail->total, 20);
  EXPECT_EQ(back->id, "abc");
}

TEST(ProgressTest, OutputThrottlesProgressButNotStatusChanges) {
  std::vector<JsonMessage> got;
  ProgressOutput out([&](const JsonMessage& m) { got.push_back(m); });
  out.progress("a", "Downloading", 1, 100, true);
  for (int i = 2; i < 50; ++i) out.progress("a", "Downloading", i, 100);
  out.progress("a", "Downloading", 100, 100, true);
  out.update("a", "Download complete");
  out.message("", "Digest: sha256:x");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[1].detail->current, 100);
  EXPECT_EQ(got[2].status, "Download complete");
  EXPECT_TRUE(got[2].detail.has_value());
  EXPECT_FALSE(got[3].detail.has_value());
}

TEST(ProgressTest, ShortId) {
  EXPECT_EQ(short_id("sha256:0123456789abcdef0123"), "0123456789ab");
  EXPECT_EQ(short_id("0123456789abcdef"), "0123456789ab");
}

}  // namespace
}  // namespace berth::image

#include <unistd.h>

#include "image/progress_renderer.h"

namespace berth::image {
namespace {

std::string render_all(bool terminal, const std::vector<JsonMessage>& messages) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  ProgressRenderer r(fds[1], terminal);
  for (const auto& m : messages) (void)r.render(m);
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  return out;
}

std::vector<JsonMessage> sample_pull() {
  auto msg = [](std::string id, std::string status, bool detail, std::string bar = "") {
    JsonMessage m;
    m.id = std::move(id);
    m.status = std::move(status);
    if (detail) m.detail = ProgressDetail{1, 2};
    m.progress = std::move(bar);
    return m;
  };
  return {msg("latest", "Pulling from library/busybox", false),
          msg("aaa", "Pulling fs layer", true),
          msg("bbb", "Pulling fs layer", true),
          msg("aaa", "Downloading", true, "[=>   ] 1B/2B"),
          msg("aaa", "Pull complete", true),
          msg("bbb", "Pull complete", true),
          msg("", "Digest: sha256:x", false)};
}

TEST(ProgressRendererTest, PlainLinesWithoutATerminal) {
  EXPECT_EQ(render_all(false, sample_pull()),
            "latest: Pulling from library/busybox\n"
            "aaa: Pulling fs layer\n"
            "bbb: Pulling fs layer\n"
            "aaa: Pull complete\n"
            "bbb: Pull complete\n"
            "Digest: sha256:x\n");
}

TEST(ProgressRendererTest, RedrawsLayerLinesOnATerminal) {
  std::string out = render_all(true, sample_pull());
  // aaa's download redraws its line two lines up, then comes back down.
  EXPECT_NE(out.find("\033[2A\033[2K\raaa: Downloading [=>   ] 1B/2B\r\033[2B"), std::string::npos)
      << out;
  EXPECT_NE(out.find("bbb: Pull complete\r"), std::string::npos);
  JsonMessage err;
  err.error = "boom";
  ProgressRenderer r(-1, false);
  EXPECT_EQ(r.render(err).error().message(), "boom");
}

}  // namespace
}  // namespace berth::image
