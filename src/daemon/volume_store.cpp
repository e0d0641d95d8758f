#include "daemon/volume_store.h"

#include "state/migrations.h"

namespace berth::daemon {
namespace {

constexpr state::Migration kMigrations[] = {
    {1,
     "CREATE TABLE volumes ("
     "  name TEXT PRIMARY KEY,"
     "  record TEXT NOT NULL)"},
};

}  // namespace

Result<std::unique_ptr<VolumeStore>> VolumeStore::open(state::Database& db) {
  TRY(state::migrate(db, "volumes", kMigrations));
  return std::unique_ptr<VolumeStore>(new VolumeStore(db));
}

Result<std::vector<Volume>> VolumeStore::load() {
  auto session = db_.session();
  auto st = TRY(session.prepare("SELECT record FROM volumes"));
  std::vector<Volume> out;
  while (TRY(st.step())) {
    Json record = TRY(parse_json(st.column_text(0), "volume record"));
    out.push_back(TRY(Volume::from_record(record)));
  }
  return out;
}

Status VolumeStore::put(const Volume& volume) {
  auto session = db_.session();
  return session.execute(
      "INSERT INTO volumes(name, record) VALUES (?, ?) "
      "ON CONFLICT(name) DO UPDATE SET record = excluded.record",
      volume.name, volume.to_record().dump());
}

Status VolumeStore::remove(const std::string& name) {
  auto session = db_.session();
  return session.execute("DELETE FROM volumes WHERE name = ?", name);
}

}  // namespace berth::daemon
