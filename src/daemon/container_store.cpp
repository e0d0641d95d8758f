#include "daemon/container_store.h"

#include "state/migrations.h"

namespace berth::daemon {
namespace {

constexpr state::Migration kMigrations[] = {
    {1,
     "CREATE TABLE containers ("
     "  id TEXT PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE,"
     "  record TEXT NOT NULL)"},
};

}  // namespace

std::string normalize_container_name(std::string_view name) {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return std::string(name);
}

Status validate_container_name(const std::string& raw) {
  std::string name = normalize_container_name(raw);
  auto bad = [&] {
    return make_error(ErrorCode::kInvalidArgument,
                      "Invalid container name ({}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", raw);
  };
  if (name.size() < 2) return bad();
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name[0])) return bad();
  for (char c : name.substr(1)) {
    if (!alnum(c) && c != '_' && c != '.' && c != '-') return bad();
  }
  return {};
}

Result<std::unique_ptr<ContainerStore>> ContainerStore::open(state::Database& db) {
  TRY(state::migrate(db, "containers", kMigrations));
  std::unique_ptr<ContainerStore> store(new ContainerStore(db));
  TRY(store->load());
  return store;
}

Status ContainerStore::load() {
  auto session = db_.session();
  auto st = TRY(session.prepare("SELECT record FROM containers"));
  while (TRY(st.step())) {
    Json record = TRY(parse_json(st.column_text(0), "container record"));
    auto container = Container::from_record(record);
    if (!container.ok()) continue;  // unreadable rows are skipped, not fatal
    auto entry = std::make_shared<ContainerEntry>();
    entry->c = std::move(*container);
    id_by_name_[entry->c.name] = entry->c.id;
    by_id_[entry->c.id] = std::move(entry);
  }
  return {};
}

Result<ContainerRef> ContainerStore::lookup(std::string_view raw) const {
  std::shared_lock lock(mutex_);
  std::string key(raw);
  if (key.empty()) return Error(ErrorCode::kNotFound, "No such container: ");
  if (auto it = by_id_.find(key); it != by_id_.end()) return it->second;
  if (auto it = id_by_name_.find(normalize_container_name(key)); it != id_by_name_.end())
    return by_id_.at(it->second);
  ContainerRef found;
  for (auto it = by_id_.lower_bound(key); it != by_id_.end() && it->first.rfind(key, 0) == 0; ++it) {
    if (found) {
      return make_error(ErrorCode::kInvalidArgument, "multiple IDs found with provided prefix: {}",
                        key);
    }
    found = it->second;
  }
  if (found) return found;
  return make_error(ErrorCode::kNotFound, "No such container: {}", key);
}

bool ContainerStore::name_in_use(const std::string& name) const {
  std::shared_lock lock(mutex_);
  return id_by_name_.count(normalize_container_name(name)) > 0;
}

Status ContainerStore::add(const Container& c) {
  std::unique_lock lock(mutex_);
  if (auto it = id_by_name_.find(c.name); it != id_by_name_.end()) {
    return make_error(ErrorCode::kConflict,
                      "Conflict. The container name \"/{}\" is already in use by container \"{}\". "
                      "You have to remove (or rename) that container to be able to reuse that name.",
                      c.name, it->second);
  }
  auto session = db_.session();
  TRY(session.execute("INSERT INTO containers(id, name, record) VALUES (?, ?, ?)", c.id, c.name,
                      c.to_record().dump()));
  auto entry = std::make_shared<ContainerEntry>();
  entry->c = c;
  id_by_name_[c.name] = c.id;
  by_id_[c.id] = std::move(entry);
  return {};
}

Status ContainerStore::save(const Container& c) {
  auto session = db_.session();
  return session.execute("UPDATE containers SET name = ?, record = ? WHERE id = ?", c.name,
                         c.to_record().dump(), c.id);
}

Status ContainerStore::remove(const std::string& id) {
  std::unique_lock lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return make_error(ErrorCode::kNotFound, "No such container: {}", id);
  {
    auto session = db_.session();
    TRY(session.execute("DELETE FROM containers WHERE id = ?", id));
  }
  id_by_name_.erase(it->second->c.name);
  by_id_.erase(it);
  return {};
}

Status ContainerStore::rename(const ContainerRef& entry, const std::string& raw_name) {
  std::string new_name = normalize_container_name(raw_name);
  TRY(validate_container_name(new_name));
  std::unique_lock lock(mutex_);
  if (auto it = id_by_name_.find(new_name); it != id_by_name_.end()) {
    return make_error(ErrorCode::kConflict,
                      "Conflict. The container name \"/{}\" is already in use by container \"{}\". "
                      "You have to remove (or rename) that container to be able to reuse that name.",
                      new_name, it->second);
  }
  std::string old_name = entry->c.name;
  entry->c.name = new_name;
  auto saved = save(entry->c);
  if (!saved.ok()) {
    entry->c.name = old_name;
    return saved;
  }
  id_by_name_.erase(old_name);
  id_by_name_[new_name] = entry->c.id;
  return {};
}

std::vector<ContainerRef> ContainerStore::list() const {
  std::shared_lock lock(mutex_);
  std::vector<ContainerRef> out;
  out.reserve(by_id_.size());
  for (const auto& [id, entry] : by_id_) out.push_back(entry);
  return out;
}

}  // namespace berth::daemon
