#include "daemon/network_store.h"

#include "state/migrations.h"

namespace berth::daemon {
namespace {

constexpr state::Migration kMigrations[] = {
    {1,
     "CREATE TABLE networks ("
     "  id TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE,"
     "  record TEXT NOT NULL);"
     "CREATE TABLE network_sandboxes ("
     "  container_id TEXT PRIMARY KEY,"
     "  record TEXT NOT NULL);"
     "CREATE TABLE network_state ("
     "  key TEXT PRIMARY KEY,"
     "  value TEXT NOT NULL)"},
};

}  // namespace

Result<std::unique_ptr<NetworkStore>> NetworkStore::open(state::Database& db) {
  TRY(state::migrate(db, "networks", kMigrations));
  return std::unique_ptr<NetworkStore>(new NetworkStore(db));
}

Result<std::vector<Network>> NetworkStore::load_networks() {
  auto session = db_.session();
  auto st = TRY(session.prepare("SELECT record FROM networks"));
  std::vector<Network> out;
  while (TRY(st.step())) {
    Json record = TRY(parse_json(st.column_text(0), "network record"));
    out.push_back(TRY(Network::from_record(record)));
  }
  return out;
}

Result<std::vector<Sandbox>> NetworkStore::load_sandboxes() {
  auto session = db_.session();
  auto st = TRY(session.prepare("SELECT record FROM network_sandboxes"));
  std::vector<Sandbox> out;
  while (TRY(st.step())) {
    Json record = TRY(parse_json(st.column_text(0), "sandbox record"));
    out.push_back(TRY(Sandbox::from_json(record)));
  }
  return out;
}

Result<Json> NetworkStore::load_ipam() {
  auto session = db_.session();
  auto st = TRY(session.prepare("SELECT value FROM network_state WHERE key = 'ipam'"));
  if (!TRY(st.step())) return Json();
  return parse_json(st.column_text(0), "ipam state");
}

Status NetworkStore::save_ipam(state::Session& session, const Json& ipam) {
  return session.execute(
      "INSERT INTO network_state(key, value) VALUES ('ipam', ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ipam.dump());
}

Status NetworkStore::put_network(const Network& network, const Json& ipam) {
  auto session = db_.session();
  auto tx = TRY(session.begin());
  TRY(session.execute(
      "INSERT INTO networks(id, name, record) VALUES (?, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET name = excluded.name, record = excluded.record",
      network.id, network.name, network.to_record().dump()));
  TRY(save_ipam(session, ipam));
  return tx.commit();
}

Status NetworkStore::delete_network(const std::string& id, const Json& ipam) {
  auto session = db_.session();
  auto tx = TRY(session.begin());
  TRY(session.execute("DELETE FROM networks WHERE id = ?", id));
  TRY(save_ipam(session, ipam));
  return tx.commit();
}

Status NetworkStore::put_sandbox(const Sandbox& sandbox, const Json& ipam) {
  auto session = db_.session();
  auto tx = TRY(session.begin());
  TRY(session.execute(
      "INSERT INTO network_sandboxes(container_id, record) VALUES (?, ?) "
      "ON CONFLICT(container_id) DO UPDATE SET record = excluded.record",
      sandbox.container_id, sandbox.to_json().dump()));
  TRY(save_ipam(session, ipam));
  return tx.commit();
}

Status NetworkStore::delete_sandbox(const std::string& container_id, const Json& ipam) {
  auto session = db_.session();
  auto tx = TRY(session.begin());
  TRY(session.execute("DELETE FROM network_sandboxes WHERE container_id = ?", container_id));
  TRY(save_ipam(session, ipam));
  return tx.commit();
}

}  // namespace berth::daemon
