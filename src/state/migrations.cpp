#include "state/migrations.h"

#include <fmt/format.h>

namespace berth::state {

namespace {

constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " component TEXT PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " applied_at INTEGER NOT NULL DEFAULT (unixepoch()))";

Result<int> read_version(Session& session, std::string_view component) {
  auto st = TRY(session.prepare("SELECT version FROM schema_version WHERE component = ?"));
  TRY(st.bind_all(component));
  if (!TRY(st.step())) return 0;
  return static_cast<int>(st.column_int64(0));
}

}  // namespace

Result<int> schema_version(Database& db, std::string_view component) {
  auto session = db.session();
  TRY(session.exec(kCreateVersionTable));
  return read_version(session, component);
}

Status migrate(Database& db, std::string_view component, std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i + 1)) {
      return make_error(ErrorCode::kInvalidArgument,
                        "migrations of {}: script {} is numbered {}, want {}", component, i,
                        migrations[i].version, i + 1);
    }
  }
  auto session = db.session();
  auto tx = TRY(session.begin());
  TRY(session.exec(kCreateVersionTable));
  int current = TRY(read_version(session, component));
  int newest = static_cast<int>(migrations.size());
  if (current > newest) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "database {} has schema version {} of {}, newer than this program's {}",
                      db.path(), current, component, newest);
  }
  if (current == newest) return tx.commit();
  for (int v = current + 1; v <= newest; ++v) {
    TRY_CTX(session.exec(migrations[static_cast<size_t>(v - 1)].sql),
            fmt::format("migrate {} to version {}", component, v));
  }
  TRY(session.execute(
      "INSERT INTO schema_version(component, version) VALUES (?, ?) "
      "ON CONFLICT(component) DO UPDATE SET version = excluded.version, applied_at = unixepoch()",
      component, newest));
  return tx.commit();
}

}  // namespace berth::state
