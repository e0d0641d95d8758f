// Versioned schema migrations. Each component (e.g. "image", "containers") owns a list of SQL
// scripts numbered 1..n; schema_version records how far each component's schema has come.
//
//   constexpr Migration kImageMigrations[] = {{1, "CREATE TABLE ..."}, {2, "ALTER TABLE ..."}};
//   TRY(migrate(*db, "image", kImageMigrations));
#pragma once

#include <span>
#include <string_view>

#include "base/result.h"
#include "state/database.h"

namespace berth::state {

struct Migration {
  int version;           // 1, 2, 3, ... without gaps
  std::string_view sql;  // one or more statements
};

// Applies the scripts newer than the recorded version, all in one transaction. Fails with
// kFailedPrecondition when the database is newer than the newest script (a downgrade) and with
// kInvalidArgument when the list is not numbered 1..n.
Status migrate(Database& db, std::string_view component, std::span<const Migration> migrations);

// The recorded version of `component` (0 when none).
Result<int> schema_version(Database& db, std::string_view component);

}  // namespace berth::state
