#include "image/filters.h"
#include "image/go_duration.h"

#include <gtest/gtest.h>

namespace berth::image {
namespace {

TEST(FiltersTest, ParsesBothJsonShapes) {
  auto f = parse_filters(R"({"dangling":["true"],"label":["a=b","c"]})").value();
  EXPECT_EQ(f["dangling"], std::vector<std::string>{"true"});
  EXPECT_EQ(f["label"].size(), 2u);
  auto legacy = parse_filters(R"({"dangling":{"true":true},"reference":{"busy*":true}})").value();
  EXPECT_EQ(legacy["dangling"], std::vector<std::string>{"true"});
  EXPECT_EQ(legacy["reference"], std::vector<std::string>{"busy*"});
  EXPECT_TRUE(parse_filters("").value().empty());
  EXPECT_FALSE(parse_filters("[1]").ok());
  EXPECT_FALSE(parse_filters(R"({"a":[1]})").ok());
}

TEST(FiltersTest, KeysAndDangling) {
  Filters f{{"bogus", {"1"}}};
  auto st = check_filter_keys(f, {"dangling"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message(), "invalid filter 'bogus'");
  EXPECT_EQ(dangling_filter({{"dangling", {"1"}}}).value(), true);
  EXPECT_EQ(dangling_filter({{"dangling", {"false"}}}).value(), false);
  EXPECT_EQ(dangling_filter({}).value(), std::nullopt);
  EXPECT_EQ(dangling_filter({{"dangling", {"maybe"}}}).error().message(),
            "invalid filter 'dangling=maybe'");
}

TEST(FiltersTest, Labels) {
  std::map<std::string, std::string> labels{{"a", "b"}, {"c", ""}};
  EXPECT_TRUE(labels_match({{"label", {"a"}}}, labels));
  EXPECT_TRUE(labels_match({{"label", {"a=b", "c"}}}, labels));
  EXPECT_FALSE(labels_match({{"label", {"a=x"}}}, labels));
  EXPECT_FALSE(labels_match({{"label", {"z"}}}, labels));
  EXPECT_FALSE(labels_match({{"label!", {"a"}}}, labels));
  EXPECT_TRUE(labels_match({{"label!", {"a=x"}}}, labels));
  EXPECT_TRUE(labels_match({}, {}));
}

TEST(FiltersTest, ReferenceGlobs) {
  EXPECT_TRUE(reference_matches("busybox", "busybox:latest", "busybox"));
  EXPECT_TRUE(reference_matches("busy*", "busybox:latest", "busybox"));
  EXPECT_TRUE(reference_matches("busybox:lat*", "busybox:latest", "busybox"));
  EXPECT_FALSE(reference_matches("busybox:1*", "busybox:latest", "busybox"));
  // '*' stops at '/', like Go's path.Match.
  EXPECT_FALSE(reference_matches("*", "user/app:v1", "user/app"));
  EXPECT_TRUE(reference_matches("*/*", "user/app:v1", "user/app"));
}

TEST(FiltersTest, Until) {
  int64_t now = 1'700'000'000'000'000'000;
  EXPECT_EQ(parse_until("1600000000", now).value(), 1'600'000'000'000'000'000);
  EXPECT_EQ(parse_until("1600000000.5", now).value(), 1'600'000'000'500'000'000);
  EXPECT_EQ(parse_until("2020-09-13T12:26:40Z", now).value(), 1'600'000'000'000'000'000);
  EXPECT_EQ(parse_until("1h30m", now).value(), now - 5'400'000'000'000);
  EXPECT_EQ(parse_until("2020-09-13", now).value(), 1'599'955'200'000'000'000);
  EXPECT_FALSE(parse_until("soon", now).ok());
}

TEST(GoDurationTest, UnitsFractionsAndSigns) {
  EXPECT_EQ(*parse_go_duration_ns("1h30m"), 5400'000'000'000LL);
  EXPECT_EQ(*parse_go_duration_ns("1.5s"), 1'500'000'000LL);
  EXPECT_EQ(*parse_go_duration_ns("250\u00b5s"), 250'000LL);  // the micro sign, as Go allows
  EXPECT_EQ(*parse_go_duration_ns("-2m"), -120'000'000'000LL);
  EXPECT_FALSE(parse_go_duration_ns("-2m", false).ok());  // HEALTHCHECK takes no sign
  EXPECT_FALSE(parse_go_duration_ns("10").ok());
  EXPECT_FALSE(parse_go_duration_ns("5 parsecs").ok());
  EXPECT_FALSE(parse_go_duration_ns("").ok());
}

}  // namespace
}  // namespace berth::image
