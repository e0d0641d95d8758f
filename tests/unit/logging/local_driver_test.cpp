#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "logging/local_codec.h"
#include "logging_test_util.h"

namespace berth::logging {
namespace {

using test::lines_of;
using test::message;
using test::read_all;
using test::TempDir;

constexpr int64_t kBase = 1'700'000'000'000'000'000;

// The frames of a local log file, as payloads.
std::vector<std::string> frames(const std::string& data) {
  std::vector<std::string> out;
  for (size_t off = 0; off + 8 <= data.size();) {
    uint32_t len = read_be32(data.data() + off);
    out.push_back(data.substr(off + 4, len));
    EXPECT_EQ(read_be32(data.data() + off + 4 + len), len);
    off += len + 8;
  }
  return out;
}

TEST(LocalDriverTest, WritesDockersFraming) {
  TempDir dir;
  std::string path = dir / "container.log";
  auto w = test::writer("local", path);
  ASSERT_TRUE(w->write(message("hi\n", 1)).ok());
  // LogEntry{source: "stdout", time_nano: 1, line: "hi"}: the '\n' is not stored.
  std::string proto = std::string("\x0a\x06stdout\x10\x01\x1a\x02hi", 14);
  EXPECT_EQ(test::slurp(path), std::string("\0\0\0\x0e", 4) + proto + std::string("\0\0\0\x0e", 4));
}

TEST(LocalDriverTest, RoundTripsMessages) {
  TempDir dir;
  std::string path = dir / "container.log";
  auto w = test::writer("local", path);
  std::vector<LogMessage> sent = {
      message("plain\n", kBase),
      message(std::string("bin\0ary \xff\n", 10), kBase + 1, Stream::kStderr),
      message("h\xc3\xa9llo \xf0\x9f\x98\x80\n", kBase + 2),
      message("\n", kBase + 3),
  };
  LogMessage piece = message("first piece ", kBase + 4);
  piece.partial = true;
  sent.push_back(piece);
  sent.push_back(message("end\n", kBase + 4));
  LogMessage rest = message("no newline at exit", kBase + 5, Stream::kStderr);
  rest.partial = true;
  sent.push_back(rest);
  for (const LogMessage& m : sent) ASSERT_TRUE(w->write(m).ok());
  auto got = read_all("local", path);
  ASSERT_EQ(got.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(got[i].line, sent[i].line) << i;
    EXPECT_EQ(got[i].time_ns, sent[i].time_ns) << i;
    EXPECT_EQ(got[i].stream, sent[i].stream) << i;
    EXPECT_EQ(got[i].partial, sent[i].partial) << i;
  }
}

TEST(LocalDriverTest, NumbersThePiecesOfASplitLine) {
  TempDir dir;
  std::string path = dir / "container.log";
  auto w = test::writer("local", path);
  LogMessage piece = message("aaa", kBase);
  piece.partial = true;
  ASSERT_TRUE(w->write(piece).ok());
  ASSERT_TRUE(w->write(piece).ok());
  ASSERT_TRUE(w->write(message("end\n", kBase)).ok());
  ASSERT_TRUE(w->write(message("next\n", kBase)).ok());
  auto f = frames(test::slurp(path));
  ASSERT_EQ(f.size(), 4u);
  // partial = true, then PartialLogEntryMetadata{last, id (64 hex), ordinal}.
  auto meta_of = [](const std::string& frame) {
    size_t at = frame.find(std::string("\x20\x01\x2a", 3));
    return at == std::string::npos ? std::string() : frame.substr(at + 4);
  };
  std::string m1 = meta_of(f[0]), m2 = meta_of(f[1]), m3 = meta_of(f[2]);
  ASSERT_EQ(m1.size(), 2u + 64u + 2u);
  EXPECT_EQ(m1.substr(0, 2), "\x12\x40");
  EXPECT_EQ(m1.substr(66), "\x18\x01");
  EXPECT_EQ(m2.substr(0, 66), m1.substr(0, 66));
  EXPECT_EQ(m2.substr(66), "\x18\x02");
  EXPECT_EQ(m3, "\x08\x01" + m1.substr(0, 66) + "\x18\x03");
  EXPECT_EQ(meta_of(f[3]), "");
  auto got = read_all("local", path);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_TRUE(got[0].partial);
  EXPECT_TRUE(got[1].partial);
  EXPECT_FALSE(got[2].partial);
  EXPECT_EQ(got[0].line + got[1].line + got[2].line, "aaaaaaend\n");
}

TEST(LocalDriverTest, RotatesCompressesAndTails) {
  TempDir dir;
  std::string path = dir / "container.log";
  auto w = test::writer("local", path, {{"max-size", "100"}, {"max-file", "4"}});
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(w->write(message(fmt::format("line-{:02}\n", i), kBase + i)).ok());
  auto names = test::list_dir(dir.path());
  EXPECT_EQ(names, (std::vector<std::string>{"container.log", "container.log.1.gz",
                                             "container.log.2.gz", "container.log.3.gz"}));
  auto all = read_all("local", path);
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back().line, "line-19\n");
  for (size_t i = 1; i < all.size(); ++i) EXPECT_EQ(all[i].time_ns, all[i - 1].time_ns + 1);
  ReadOptions o;
  o.tail = 5;
  auto last = read_all("local", path, o);
  ASSERT_EQ(last.size(), 5u);
  EXPECT_EQ(last.front().line, "line-15\n");
  o.tail = static_cast<int64_t>(all.size()) + 10;
  EXPECT_EQ(read_all("local", path, o).size(), all.size());
}

TEST(LocalDriverTest, TailCopesWithATornLastFrame) {
  TempDir dir;
  std::string path = dir / "container.log";
  auto w = test::writer("local", path, {{"compress", "false"}, {"max-file", "1"}});
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(w->write(message(fmt::format("line-{:02}\n", i), kBase + i)).ok());
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_EQ(::write(fd, "\0\0\0\x30garbage", 11), 11);
  ::close(fd);
  ReadOptions o;
  o.tail = 2;
  EXPECT_EQ(lines_of(read_all("local", path, o)),
            (std::vector<std::string>{"line-04\n", "line-05\n"}));
  EXPECT_EQ(read_all("local", path).size(), 6u);
}

TEST(LocalDriverTest, CorruptFramingIsAnError) {
  TempDir dir;
  std::string path = dir / "container.log";
  ASSERT_TRUE(write_file(path, std::string("\x7f\0\0\0junkjunk", 12)).ok());
  auto reader = open_log_reader("local", path, {});
  ASSERT_TRUE(reader.ok());
  auto m = (*reader)->next();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace berth::logging
