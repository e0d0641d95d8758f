#include "logging/line_splitter.h"

#include <vector>

#include <gtest/gtest.h>

namespace berth::logging {
namespace {

class Collector {
 public:
  LineSplitter::Sink sink() {
    return [this](const LogMessage& m) {
      got.push_back(m);
      return ok_status();
    };
  }
  std::vector<LogMessage> got;
};

TEST(LineSplitterTest, SplitsLinesAcrossChunks) {
  LineSplitter s(Stream::kStderr);
  Collector c;
  ASSERT_TRUE(s.feed("a\nhel", 10, c.sink()).ok());
  ASSERT_TRUE(s.feed("lo\nwor", 20, c.sink()).ok());
  ASSERT_TRUE(s.feed("ld\n\n", 30, c.sink()).ok());
  ASSERT_EQ(c.got.size(), 4u);
  EXPECT_EQ(c.got[0].line, "a\n");
  EXPECT_EQ(c.got[0].time_ns, 10);
  EXPECT_EQ(c.got[1].line, "hello\n");
  EXPECT_EQ(c.got[1].time_ns, 20);  // stamped when complete, as Docker's copier does
  EXPECT_EQ(c.got[2].line, "world\n");
  EXPECT_EQ(c.got[3].line, "\n");
  for (const LogMessage& m : c.got) {
    EXPECT_FALSE(m.partial);
    EXPECT_EQ(m.stream, Stream::kStderr);
  }
  EXPECT_EQ(s.buffered(), 0u);
}

TEST(LineSplitterTest, LineJustUnderTheLimitStaysWhole) {
  LineSplitter s(Stream::kStdout);
  Collector c;
  ASSERT_TRUE(s.feed(std::string(kMaxLogLine - 1, 'x') + "\n", 1, c.sink()).ok());
  ASSERT_EQ(c.got.size(), 1u);
  EXPECT_EQ(c.got[0].line.size(), kMaxLogLine);
  EXPECT_FALSE(c.got[0].partial);
}

TEST(LineSplitterTest, LineOfExactlyTheLimitIsAPartialThenANewline) {
  LineSplitter s(Stream::kStdout);
  Collector c;
  ASSERT_TRUE(s.feed(std::string(kMaxLogLine, 'x') + "\n", 1, c.sink()).ok());
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0].line, std::string(kMaxLogLine, 'x'));
  EXPECT_TRUE(c.got[0].partial);
  EXPECT_EQ(c.got[1].line, "\n");
  EXPECT_FALSE(c.got[1].partial);
}

TEST(LineSplitterTest, LongLineBecomesSixteenKPiecesSharingTheFirstTimestamp) {
  LineSplitter s(Stream::kStdout);
  Collector c;
  std::string line;
  for (int i = 0; i < 40000; ++i) line.push_back(static_cast<char>('a' + i % 26));
  line += "\nnext\n";
  for (size_t off = 0, t = 100; off < line.size(); off += 1000, ++t)
    ASSERT_TRUE(
        s.feed(std::string_view(line).substr(off, 1000), static_cast<int64_t>(t), c.sink()).ok());
  ASSERT_EQ(c.got.size(), 4u);
  EXPECT_EQ(c.got[0].line, line.substr(0, kMaxLogLine));
  EXPECT_TRUE(c.got[0].partial);
  EXPECT_EQ(c.got[1].line, line.substr(kMaxLogLine, kMaxLogLine));
  EXPECT_TRUE(c.got[1].partial);
  EXPECT_EQ(c.got[2].line, line.substr(2 * kMaxLogLine, 40000 - 2 * kMaxLogLine) + "\n");
  EXPECT_FALSE(c.got[2].partial);
  EXPECT_EQ(c.got[0].time_ns, 116);  // the feed that completed the first piece
  EXPECT_EQ(c.got[1].time_ns, 116);
  EXPECT_EQ(c.got[2].time_ns, 116);
  EXPECT_EQ(c.got[3].line, "next\n");
  EXPECT_EQ(c.got[3].time_ns, 140);
  std::string joined;
  for (size_t i = 0; i < 3; ++i) joined += c.got[i].line;
  EXPECT_EQ(joined, line.substr(0, 40001));
}

TEST(LineSplitterTest, FlushEmitsTheUnterminatedRestAsPartial) {
  LineSplitter s(Stream::kStdout);
  Collector c;
  ASSERT_TRUE(s.feed("done\nno newline", 5, c.sink()).ok());
  EXPECT_EQ(s.buffered(), 10u);
  ASSERT_TRUE(s.flush(6, c.sink()).ok());
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[1].line, "no newline");
  EXPECT_TRUE(c.got[1].partial);
  EXPECT_EQ(c.got[1].time_ns, 6);
  ASSERT_TRUE(s.flush(7, c.sink()).ok());  // nothing left
  EXPECT_EQ(c.got.size(), 2u);
}

TEST(LineSplitterTest, KeepsGoingWhenTheSinkFails) {
  LineSplitter s(Stream::kStdout);
  int calls = 0;
  Status st = s.feed("a\nb\nc\n", 1, [&](const LogMessage&) -> Status {
    ++calls;
    if (calls == 2) return Error(ErrorCode::kUnavailable, "disk full");
    return ok_status();
  });
  EXPECT_EQ(calls, 3);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message(), "disk full");
}

}  // namespace
}  // namespace berth::logging
