#include "state/migrations.h"

#include <gtest/gtest.h>

#include "state_test_util.h"

namespace berth::state {
namespace {

constexpr Migration kV1[] = {{1, "CREATE TABLE a(x INTEGER)"}};
constexpr Migration kV2[] = {{1, "CREATE TABLE a(x INTEGER)"},
                             {2, "ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE b(z INTEGER)"}};

std::unique_ptr<Database> open_db(const std::string& path) {
  auto db = Database::open(path);
  EXPECT_TRUE(db.ok()) << db.error().to_string();
  return db.take();
}

TEST(MigrationsTest, AppliesInOrderAndRecords) {
  test::TempDir dir;
  {
    auto db = open_db(dir / "m.db");
    EXPECT_EQ(schema_version(*db, "test").value(), 0);
    ASSERT_TRUE(migrate(*db, "test", kV1).ok());
    EXPECT_EQ(schema_version(*db, "test").value(), 1);
    // Idempotent.
    ASSERT_TRUE(migrate(*db, "test", kV1).ok());
  }
  auto db = open_db(dir / "m.db");
  auto st = migrate(*db, "test", kV2);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(schema_version(*db, "test").value(), 2);
  EXPECT_TRUE(db->session().execute("INSERT INTO a(x, y) VALUES (1, 'y')").ok());
  EXPECT_TRUE(db->session().execute("INSERT INTO b(z) VALUES (1)").ok());
  // Components are independent.
  EXPECT_EQ(schema_version(*db, "other").value(), 0);
}

TEST(MigrationsTest, FailingScriptRollsBackEverything) {
  auto db = open_db(":memory:");
  constexpr Migration kBroken[] = {{1, "CREATE TABLE a(x INTEGER)"},
                                   {2, "CREATE TABLE c(x INTEGER); THIS IS NOT SQL"}};
  auto st = migrate(*db, "test", kBroken);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("migrate test to version 2"), std::string::npos)
      << st.error().message();
  EXPECT_EQ(schema_version(*db, "test").value(), 0);
  EXPECT_FALSE(db->session().prepare("SELECT * FROM a").ok());
  EXPECT_FALSE(db->session().prepare("SELECT * FROM c").ok());
}

TEST(MigrationsTest, RefusesDowngradeAndBadNumbering) {
  auto db = open_db(":memory:");
  ASSERT_TRUE(migrate(*db, "test", kV2).ok());
  auto down = migrate(*db, "test", kV1);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code(), ErrorCode::kFailedPrecondition);

  constexpr Migration kGap[] = {{1, "SELECT 1"}, {3, "SELECT 1"}};
  auto gap = migrate(*db, "gap", kGap);
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace berth::state
