#include "image/image_service.h"

#include <fcntl.h>

#include "base/strings.h"
#include "image/import.h"
#include "image/save.h"

namespace berth::image {

namespace {

// Ends a failed operation's stream the way Docker does: an errorDetail message.
template <typename T>
Result<T> report(Result<T> result, ProgressOutput& progress) {
  if (!result.ok()) progress.error(result.error().message());
  return result;
}

}  // namespace

Result<std::unique_ptr<ImageService>> ImageService::open(const ImageServiceOptions& options) {
  std::unique_ptr<ImageService> s(new ImageService());
  s->options_ = options;
  ImageStoreOptions store_options;
  store_options.root = options.root;
  store_options.database = options.database;
  store_options.snapshotter = options.snapshotter;
  store_options.layer_users = options.layer_users;
  store_options.sync_layers = options.sync_layers;
  s->store_ = TRY(ImageStore::open(store_options));
  return s;
}

RegistryApi* ImageService::registry_for(RegistryApi* override_registry) const {
  return override_registry != nullptr ? override_registry : options_.registry;
}

Result<std::vector<PullResult>> ImageService::pull(const std::string& name,
                                                   const PullRequest& request,
                                                   const ProgressFn& progress_fn) {
  ProgressOutput progress(progress_fn);
  RegistryApi* registry = registry_for(request.registry);
  if (registry == nullptr) return Error(ErrorCode::kUnavailable, "no registry client configured");
  auto ref = TRY(Reference::parse_normalized(name));
  PullOptions options;
  options.platform = request.platform;
  options.stop = request.stop;
  options.fetch_url = options_.fetch_url;
  std::vector<Reference> refs;
  if (request.all_tags) {
    if (ref.has_tag() || ref.has_digest()) {
      return Error(ErrorCode::kInvalidArgument, "tag can't be used with --all-tags/-a");
    }
    auto tags = TRY(registry->list_tags(remote_repository(ref)));
    for (const auto& t : tags) refs.push_back(ref.with_tag(t));
  } else {
    refs.push_back(ref.has_digest() ? ref : ref.tag_or_latest());
  }
  std::vector<PullResult> results;
  for (const auto& r : refs) {
    results.push_back(TRY(report(pull_image(*store_, *registry, r, options, progress), progress)));
  }
  return results;
}

Result<std::vector<PushedTag>> ImageService::push(const std::string& name,
                                                  const PushRequest& request,
                                                  const ProgressFn& progress_fn) {
  ProgressOutput progress(progress_fn);
  RegistryApi* registry = registry_for(request.registry);
  if (registry == nullptr) return Error(ErrorCode::kUnavailable, "no registry client configured");
  auto ref = TRY(Reference::parse_normalized(name));
  if (ref.has_digest()) {
    return Error(ErrorCode::kInvalidArgument, "cannot push a digest reference");
  }
  PushOptions options;
  options.stop = request.stop;
  return report(push_image(*store_, *registry, ref, options, progress), progress);
}

Status ImageService::tag(const std::string& source, const std::string& target) {
  auto image = TRY(store_->resolve(source));
  auto ref = TRY(Reference::parse_normalized(target));
  if (ref.has_digest()) {
    return Error(ErrorCode::kInvalidArgument, "refusing to create a tag with a digest reference");
  }
  return store_->add_reference(ref.tag_or_latest(), image.id);
}

Result<std::vector<DeleteItem>> ImageService::remove(const std::string& name,
                                                     const RemoveOptions& options) {
  return remove_image(*store_, name, options, options_.image_users);
}

Result<std::vector<ImageSummary>> ImageService::list(const ListOptions& options) {
  return list_images(*store_, options);
}

Result<OrderedJson> ImageService::inspect(const std::string& name) {
  auto image = TRY(store_->resolve(name));
  return inspect_image(*store_, image);
}

Result<std::vector<HistoryItem>> ImageService::history(const std::string& name) {
  auto image = TRY(store_->resolve(name));
  return image_history(*store_, image);
}

Result<PruneReport> ImageService::prune(const Filters& filters) {
  return prune_images(*store_, filters, options_.image_users);
}

Status ImageService::save(const std::vector<std::string>& names, store::Writer& out,
                          const std::stop_token& stop) {
  SaveOptions options;
  options.stop = stop;
  return save_images(*store_, names, out, options);
}

Result<LoadResult> ImageService::load(store::Reader& archive, const LoadOptions& options,
                                      const ProgressFn& progress_fn) {
  ProgressOutput progress(progress_fn);
  return report(load_images(*store_, archive, options, progress), progress);
}

namespace {

Result<ImportOptions> import_options(const ImportRequest& request, std::string source) {
  ImportOptions options;
  if (!request.repository.empty()) {
    auto ref = TRY(Reference::parse_normalized(request.repository));
    if (ref.has_digest())
      return Error(ErrorCode::kInvalidArgument, "cannot import digest reference");
    options.tag = ref.tag_or_latest();
  }
  options.changes = request.changes;
  options.message = request.message;
  options.platform = request.platform;
  options.stop = request.stop;
  options.source = std::move(source);
  return options;
}

}  // namespace

Result<store::Digest> ImageService::import(store::Reader& tarball, const ImportRequest& request,
                                           const ProgressFn& progress_fn) {
  ProgressOutput progress(progress_fn);
  auto options = TRY(import_options(request, "-"));
  auto id = TRY(report(import_image(*store_, tarball, options, &progress), progress));
  progress.message("", id.to_string());
  return id;
}

Result<store::Digest> ImageService::import_from(const std::string& source,
                                                const ImportRequest& request,
                                                const ProgressFn& progress_fn) {
  ProgressOutput progress(progress_fn);
  auto options = TRY(import_options(request, source));
  Result<store::Digest> id = Error(ErrorCode::kInternal, "unset");
  if (source.starts_with("http://") || source.starts_with("https://")) {
    id = import_image_from_url(*store_, source, options, &progress, options_.fetch_url);
  } else {
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return errno_error("open " + source);
    store::FdReader in(fd.get());
    id = import_image(*store_, in, options, &progress);
  }
  auto image_id = TRY(report(std::move(id), progress));
  progress.message("", image_id.to_string());
  return image_id;
}

}  // namespace berth::image
