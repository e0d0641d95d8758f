#include "logging/log_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "logging_test_util.h"

namespace berth::logging {
namespace {

using test::lines_of;
using test::message;
using test::read_all;
using test::TempDir;

constexpr int64_t kBase = 1'700'000'000'000'000'000;

std::string line(int i) {
  return fmt::format("line-{:02}\n", i);
}
// Nine fraction digits for every line, so that all records have the same size.
int64_t at(int i) {
  return kBase + i * 1000 + 1;
}

std::vector<std::string> lines(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(line(i));
  return out;
}

// Writes lines from..to-1 with timestamps at(i); odd ones to stderr.
void write_lines(const std::string& driver, const std::string& path, const LogOptions& options,
                 int from, int to) {
  auto w = test::writer(driver, path, options);
  ASSERT_NE(w, nullptr);
  for (int i = from; i < to; ++i) {
    ASSERT_TRUE(w->write(message(line(i), at(i), i % 2 ? Stream::kStderr : Stream::kStdout)).ok());
  }
  ASSERT_TRUE(w->close().ok());
}

const LogOptions kRotateCompressed = {{"max-size", "150"}, {"max-file", "5"}, {"compress", "true"}};
const LogOptions kRotatePlain = {{"max-size", "150"}, {"max-file", "5"}};

ReadOptions tail(int64_t n) {
  ReadOptions o;
  o.tail = n;
  return o;
}

TEST(LogReaderTest, ReadsAcrossRotatedAndCompressedFilesOldestFirst) {
  for (const LogOptions& opts : {kRotateCompressed, kRotatePlain}) {
    TempDir dir;
    std::string path = dir / "c-json.log";
    write_lines("json-file", path, opts, 0, 9);
    ASSERT_EQ(test::list_dir(dir.path()).size(), 5u);
    auto msgs = read_all("json-file", path);
    EXPECT_EQ(lines_of(msgs), lines(0, 9));
    for (int i = 0; i < 9; ++i) {
      EXPECT_EQ(msgs[i].time_ns, at(i));
      EXPECT_EQ(msgs[i].stream, i % 2 ? Stream::kStderr : Stream::kStdout);
    }
  }
}

TEST(LogReaderTest, FiltersStreams) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  write_lines("json-file", path, {}, 0, 6);
  ReadOptions o;
  o.show_stdout = false;
  EXPECT_EQ(lines_of(read_all("json-file", path, o)),
            (std::vector<std::string>{line(1), line(3), line(5)}));
  o.show_stdout = true;
  o.show_stderr = false;
  EXPECT_EQ(lines_of(read_all("json-file", path, o)),
            (std::vector<std::string>{line(0), line(2), line(4)}));
}

TEST(LogReaderTest, SinceAndUntilAreInclusive) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  write_lines("json-file", path, kRotateCompressed, 0, 9);
  ReadOptions o;
  o.since_ns = at(3);
  o.until_ns = at(6);
  EXPECT_EQ(lines_of(read_all("json-file", path, o)), lines(3, 7));
  o.until_ns = 0;
  EXPECT_EQ(lines_of(read_all("json-file", path, o)), lines(3, 9));
}

TEST(LogReaderTest, SinceSkipsCompressedFilesByTheirHeader) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  write_lines("json-file", path, kRotateCompressed, 0, 9);
  // Break the body of the oldest file (lines 0..1) but keep its header: it must not be opened
  // for a --since after its last line.
  std::string gz = test::slurp(path + ".4.gz");
  ASSERT_TRUE(write_file(path + ".4.gz", gz.substr(0, gz.size() / 2) + std::string(64, 'x')).ok());
  ReadOptions o;
  o.since_ns = at(2);
  EXPECT_EQ(lines_of(read_all("json-file", path, o)), lines(2, 9));
  // Without --since it is read, and the damage is reported.
  auto reader = open_log_reader("json-file", path, {});
  ASSERT_TRUE(reader.ok());
  auto m = (*reader)->next();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kDataLoss);
  m = (*reader)->next();  // after an error the reader is done
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->has_value());
}

TEST(LogReaderTest, TailCountsFromTheEndAcrossFiles) {
  for (const LogOptions& opts : {kRotateCompressed, kRotatePlain}) {
    TempDir dir;
    std::string path = dir / "c-json.log";
    write_lines("json-file", path, opts, 0, 9);
    EXPECT_EQ(lines_of(read_all("json-file", path, tail(1))), lines(8, 9));
    EXPECT_EQ(lines_of(read_all("json-file", path, tail(3))), lines(6, 9));  // .1 and current
    EXPECT_EQ(lines_of(read_all("json-file", path, tail(6))), lines(3, 9));  // mid-file in .3
    EXPECT_EQ(lines_of(read_all("json-file", path, tail(9))), lines(0, 9));
    EXPECT_EQ(lines_of(read_all("json-file", path, tail(100))), lines(0, 9));
    EXPECT_TRUE(read_all("json-file", path, tail(0)).empty());
  }
}

TEST(LogReaderTest, TailThenSinceAsDockerDoes) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  write_lines("json-file", path, kRotatePlain, 0, 9);
  ReadOptions o = tail(4);
  o.since_ns = at(7);
  EXPECT_EQ(lines_of(read_all("json-file", path, o)), lines(7, 9));
  o.since_ns = at(1);
  EXPECT_EQ(lines_of(read_all("json-file", path, o)), lines(5, 9));
}

TEST(LogReaderTest, TailOfALargeFileWalksBackwardsOverBlocks) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  auto w = test::writer("json-file", path);
  std::string pad(300, 'p');
  for (int i = 0; i < 2000; ++i)
    ASSERT_TRUE(w->write(message(fmt::format("{:04} {}\n", i, pad), kBase + i)).ok());
  ASSERT_GT(test::slurp(path).size(), 500'000u);
  auto msgs = read_all("json-file", path, tail(700));
  ASSERT_EQ(msgs.size(), 700u);
  EXPECT_EQ(msgs.front().line.substr(0, 4), "1300");
  EXPECT_EQ(msgs.back().line.substr(0, 4), "1999");
  EXPECT_EQ(read_all("json-file", path, tail(2000)).size(), 2000u);
  EXPECT_EQ(read_all("json-file", path, tail(2500)).size(), 2000u);
}

TEST(LogReaderTest, IgnoresARecordStillBeingWritten) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  write_lines("json-file", path, {}, 0, 3);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "{\"log\":\"half", 12), 12);
  ::close(fd);
  EXPECT_EQ(lines_of(read_all("json-file", path)), lines(0, 3));
  EXPECT_EQ(lines_of(read_all("json-file", path, tail(2))), lines(1, 3));
  EXPECT_TRUE(read_all("json-file", path, tail(0)).empty());
}

TEST(LogReaderTest, SkipsAMalformedRecord) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  write_lines("json-file", path, {}, 0, 2);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_EQ(::write(fd, "{\"log\":\"torn{\"log\":\"x\n", 22), 22);
  ::close(fd);
  write_lines("json-file", path, {}, 2, 4);
  EXPECT_EQ(lines_of(read_all("json-file", path)), lines(0, 4));
}

TEST(LogReaderTest, PartialPiecesAndAttributesComeBack) {
  TempDir dir;
  std::string path = dir / "c-json.log";
  ContainerInfo info;
  info.labels = {{"team", "core"}};
  auto w = test::writer("json-file", path, {{"labels", "team"}}, info);
  LogMessage piece = message("abc", kBase);
  piece.partial = true;
  ASSERT_TRUE(w->write(piece).ok());
  ASSERT_TRUE(w->write(message("def\n", kBase)).ok());
  ReadOptions o;
  o.details = true;
  auto msgs = read_all("json-file", path, o);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].line, "abc");
  EXPECT_TRUE(msgs[0].partial);
  EXPECT_EQ(msgs[1].line, "def\n");
  EXPECT_FALSE(msgs[1].partial);
  EXPECT_EQ(msgs[1].attrs, (std::vector<LogAttr>{{"team", "core"}}));
}

TEST(LogReaderTest, MissingFileReadsEmptyMissingDirectoryFails) {
  TempDir dir;
  EXPECT_TRUE(read_all("json-file", dir / "none-json.log").empty());
  auto r = open_log_reader("json-file", dir / "gone/x-json.log", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace berth::logging
