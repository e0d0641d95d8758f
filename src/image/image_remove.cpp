#include "image/image_remove.h"

#include <algorithm>
#include <set>

#include "base/log.h"
#include "base/time_format.h"
#include "image/progress.h"

namespace berth::image {

namespace {

struct Conflict {
  bool hard = false;
  bool used = false;  // by a container
  std::string message;
};

enum ConflictMask : unsigned {
  kDependentChild = 1,
  kRunningContainer = 2,
  kActiveReference = 4,
  kStoppedContainer = 8,
  kHard = kDependentChild | kRunningContainer,
  kSoft = kActiveReference | kStoppedContainer,
};

std::vector<Reference> references(const ImageRecord& image) {
  std::vector<Reference> refs = image.tags;
  refs.insert(refs.end(), image.digests.begin(), image.digests.end());
  return refs;
}

// Docker's isSingleReference: at most one tag, and every reference in one repository.
bool is_single_reference(const std::vector<Reference>& refs) {
  if (refs.size() <= 1) return refs.size() == 1;
  std::optional<Reference> single;
  std::set<std::string> canonical;
  for (const auto& r : refs) {
    if (r.has_digest()) {
      canonical.insert(r.name());
    } else if (!single) {
      single = r;
    } else {
      return false;
    }
  }
  if (!single) single = refs.front();
  return canonical.size() == 1 && canonical.contains(single->name());
}

bool is_id_prefix(const store::Digest& id, std::string_view name) {
  return !name.empty() && (id.to_string().starts_with(name) || id.hex().starts_with(name));
}

class Remover {
 public:
  Remover(ImageStore& store, const ImageUsersFn& users) : store_(store), users_(users) {}

  Status remove(std::string_view name, const RemoveOptions& options);
  Status delete_image(const store::Digest& id, bool force, bool prune, bool quiet);

  std::vector<DeleteItem> records;
  uint64_t reclaimed = 0;

 private:
  std::vector<ContainerUser> users(const store::Digest& id) {
    return users_ ? users_(id) : std::vector<ContainerUser>{};
  }
  Result<std::optional<Conflict>> check(const store::Digest& id, unsigned mask);
  Status untag(const Reference& ref) {
    TRY(store_.remove_reference(ref));
    records.push_back({ref.familiar_string(), ""});
    return {};
  }

  ImageStore& store_;
  const ImageUsersFn& users_;
};

Error conflict_error(const store::Digest& id, const Conflict& c) {
  return make_error(ErrorCode::kConflict, "conflict: unable to delete {} ({}) - {}",
                    short_id(id.to_string()), c.hard ? "cannot be forced" : "must be forced",
                    c.message);
}

Result<std::optional<Conflict>> Remover::check(const store::Digest& id, unsigned mask) {
  if ((mask & kDependentChild) != 0 && !TRY(store_.children(id)).empty()) {
    return std::optional<Conflict>(Conflict{true, false, "image has dependent child images"});
  }
  auto using_it = users(id);
  if ((mask & kRunningContainer) != 0) {
    for (const auto& c : using_it) {
      if (c.running) {
        return std::optional<Conflict>(
            Conflict{true, true, "image is being used by running container " + short_id(c.id)});
      }
    }
  }
  if ((mask & kActiveReference) != 0 && !references(TRY(store_.get(id))).empty()) {
    return std::optional<Conflict>(
        Conflict{false, false, "image is referenced in multiple repositories"});
  }
  if ((mask & kStoppedContainer) != 0) {
    for (const auto& c : using_it) {
      if (!c.running) {
        return std::optional<Conflict>(
            Conflict{false, true, "image is being used by stopped container " + short_id(c.id)});
      }
    }
  }
  return std::optional<Conflict>();
}

Status Remover::remove(std::string_view name, const RemoveOptions& options) {
  auto image = TRY(store_.resolve(name));
  const store::Digest id = image.id;
  auto refs = references(image);
  bool removed_repository_ref = false;
  if (!is_id_prefix(id, name)) {
    auto parsed = TRY(Reference::parse_normalized(name)).tag_or_latest();
    if (!options.force && is_single_reference(refs)) {
      // Untagging would leave a dangling image under a container: that needs -f.
      auto using_it = users(id);
      if (!using_it.empty()) {
        return make_error(ErrorCode::kConflict,
                          "conflict: unable to remove repository reference \"{}\" (must force) - "
                          "container {} is using its referenced image {}",
                          name, short_id(using_it.front().id), short_id(id.to_string()));
      }
    }
    TRY(untag(parsed));
    std::erase(refs, parsed);
    if (!parsed.has_digest()) {
      // The last tag of a repository takes that repository's digests with it.
      bool tag_left = std::any_of(refs.begin(), refs.end(), [&](const Reference& r) {
        return !r.has_digest() && r.name() == parsed.name();
      });
      if (!tag_left) {
        std::vector<Reference> remaining;
        for (const auto& r : refs) {
          if (r.has_digest() && r.name() == parsed.name()) {
            TRY(untag(r));
          } else {
            remaining.push_back(r);
          }
        }
        refs = std::move(remaining);
      }
    }
    if (!refs.empty()) return {};
    removed_repository_ref = true;
  } else if (is_single_reference(refs)) {
    unsigned mask = kHard;
    if (!options.force) mask |= kSoft & ~kActiveReference;
    if (auto c = TRY(check(id, mask))) return conflict_error(id, *c);
    for (const auto& r : refs) TRY(untag(r));
  }
  return delete_image(id, options.force, options.prune_parents, removed_repository_ref);
}

Status Remover::delete_image(const store::Digest& id, bool force, bool prune, bool quiet) {
  unsigned mask = kHard;
  if (!force) mask |= kSoft;
  if (auto c = TRY(check(id, mask))) {
    auto image = TRY(store_.get(id));
    bool dangling = references(image).empty() && TRY(store_.children(id)).empty();
    // After removing a name, an image still in use stays (dangling) without complaint.
    if (quiet && (!dangling || c->used)) return {};
    return conflict_error(id, *c);
  }
  auto image = TRY(store_.get(id));
  for (const auto& r : references(image)) TRY(untag(r));
  TRY(store_.remove_image(id));
  records.push_back({"", id.to_string()});
  auto gc = TRY(store_.collect_garbage());
  reclaimed += gc.layer_bytes + gc.blob_bytes;
  std::set<store::Digest> mine;
  for (const auto& l : image.layers) mine.insert(l.chain_id);
  for (const auto& chain : gc.removed_layers) {
    if (mine.contains(chain)) records.push_back({"", chain.to_string()});
  }
  if (!prune || !image.parent || !store_.exists(*image.parent)) return {};
  return delete_image(*image.parent, false, true, true);
}

}  // namespace

OrderedJson delete_item_json(const DeleteItem& item) {
  OrderedJson j = OrderedJson::object();
  if (!item.untagged.empty()) j["Untagged"] = item.untagged;
  if (!item.deleted.empty()) j["Deleted"] = item.deleted;
  return j;
}

Result<std::vector<DeleteItem>> remove_image(ImageStore& store, std::string_view name,
                                             const RemoveOptions& options,
                                             const ImageUsersFn& users) {
  Remover remover(store, users);
  TRY(remover.remove(name, options));
  return std::move(remover.records);
}

Result<PruneReport> prune_images(ImageStore& store, const Filters& filters,
                                 const ImageUsersFn& users) {
  TRY(check_filter_keys(filters, {"dangling", "label", "label!", "until"}));
  bool dangling_only = TRY(dangling_filter(filters)).value_or(true);
  std::optional<int64_t> until;
  if (auto it = filters.find("until"); it != filters.end() && !it->second.empty()) {
    until = TRY(parse_until(it->second.front(), unix_nanos_now()));
  }
  auto images = TRY(store.list());
  std::set<store::Digest> parents;
  for (const auto& img : images) {
    if (img.parent) parents.insert(*img.parent);
  }
  Remover remover(store, users);
  for (const auto& img : images) {
    if (!store.exists(img.id)) continue;  // went with an earlier one
    bool has_children = parents.contains(img.id);
    if (dangling_only && has_children) continue;  // only heads
    auto refs = references(img);
    if (refs.empty() && has_children) continue;  // intermediate
    if (until && (!img.created_ns || *img.created_ns > *until)) continue;
    if (!labels_match(filters, img.labels)) continue;
    if (users && !users(img.id).empty()) continue;
    Status st;
    if (!refs.empty()) {
      bool should_delete = !dangling_only || img.tags.empty();
      if (!should_delete) continue;
      for (const auto& r : refs) {
        st = remover.remove(r.string(), RemoveOptions{false, true});
        if (!st.ok()) break;
      }
    } else {
      st = remover.remove(img.id.hex(), RemoveOptions{false, true});
    }
    if (!st.ok()) {
      // As Docker: an image that cannot go (a conflict) is left, the prune goes on.
      log::debug("prune: {}: {}", img.id.to_string(), st.error().to_string());
    }
  }
  return PruneReport{std::move(remover.records), remover.reclaimed};
}

}  // namespace berth::image
