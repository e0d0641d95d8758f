#include "http/stdcopy.h"

#include <gtest/gtest.h>

namespace berth::http {
namespace {

struct Collected {
  std::string out;
  std::string err;
  std::string in;
  int calls = 0;
};

StdcopyDecoder::Sink sink_into(Collected* c) {
  return [c](StdStream s, std::string_view data) -> Status {
    ++c->calls;
    switch (s) {
      case StdStream::kStdout: c->out.append(data); break;
      case StdStream::kStderr: c->err.append(data); break;
      case StdStream::kStdin: c->in.append(data); break;
      case StdStream::kSystemErr: return Error(ErrorCode::kInternal, std::string(data));
    }
    return {};
  };
}

TEST(StdcopyTest, HeaderLayout) {
  std::string frame = stdcopy_encode(StdStream::kStderr, std::string(0x010203, 'x'));
  ASSERT_EQ(frame.size(), 8u + 0x010203);
  EXPECT_EQ(frame[0], 2);
  EXPECT_EQ(frame[1], 0);
  EXPECT_EQ(frame[2], 0);
  EXPECT_EQ(frame[3], 0);
  EXPECT_EQ(frame[4], 0);
  EXPECT_EQ(frame[5], 1);
  EXPECT_EQ(frame[6], 2);
  EXPECT_EQ(frame[7], 3);
}

TEST(StdcopyTest, RoundTripWithEverySplitPoint) {
  std::string wire;
  stdcopy_append(wire, StdStream::kStdout, "hello ");
  stdcopy_append(wire, StdStream::kStderr, "oops\n");
  stdcopy_append(wire, StdStream::kStdout, "");  // empty frames are legal
  stdcopy_append(wire, StdStream::kStdout, "world\n");
  stdcopy_append(wire, StdStream::kStdin, "echo");
  for (size_t split = 0; split <= wire.size(); ++split) {
    Collected c;
    StdcopyDecoder decoder;
    ASSERT_TRUE(decoder.feed(std::string_view(wire).substr(0, split), sink_into(&c)).ok());
    ASSERT_TRUE(decoder.feed(std::string_view(wire).substr(split), sink_into(&c)).ok());
    EXPECT_EQ(c.out, "hello world\n") << split;
    EXPECT_EQ(c.err, "oops\n") << split;
    EXPECT_EQ(c.in, "echo") << split;
    EXPECT_TRUE(decoder.at_frame_boundary());
  }
}

TEST(StdcopyTest, ByteAtATime) {
  std::string payload(100000, 'p');
  std::string wire = stdcopy_encode(StdStream::kStdout, payload);
  Collected c;
  StdcopyDecoder decoder;
  for (size_t i = 0; i < wire.size(); ++i) {
    ASSERT_TRUE(decoder.feed(std::string_view(wire).substr(i, 1), sink_into(&c)).ok());
    if (i == 3) {
      EXPECT_FALSE(decoder.at_frame_boundary());
    }
  }
  EXPECT_EQ(c.out, payload);
  EXPECT_TRUE(decoder.at_frame_boundary());
}

TEST(StdcopyTest, LargeFramePassesThroughInPieces) {
  std::string payload(1 << 20, 'z');
  std::string wire = stdcopy_encode(StdStream::kStderr, payload);
  Collected c;
  StdcopyDecoder decoder;
  for (size_t off = 0; off < wire.size(); off += 4096) {
    ASSERT_TRUE(decoder.feed(std::string_view(wire).substr(off, 4096), sink_into(&c)).ok());
  }
  EXPECT_EQ(c.err.size(), payload.size());
  EXPECT_GE(c.calls, 256);  // delivered as it came, not buffered to the end
}

TEST(StdcopyTest, RejectsUnknownStream) {
  std::string wire = stdcopy_encode(StdStream::kStdout, "x");
  wire[0] = 7;
  Collected c;
  StdcopyDecoder decoder;
  Status s = decoder.feed(wire, sink_into(&c));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "Unrecognized input header: 7");
}

TEST(StdcopyTest, SystemErrReachesSink) {
  std::string wire = stdcopy_encode(StdStream::kSystemErr, "exec failed");
  Collected c;
  StdcopyDecoder decoder;
  Status s = decoder.feed(wire, sink_into(&c));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "exec failed");
}

}  // namespace
}  // namespace berth::http
