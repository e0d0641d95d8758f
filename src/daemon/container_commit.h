// `docker commit` (POST /commit): the container's writable layer as a new image layer on top of
// its image, as dockerd's CreateImageFromContainer does it: the container paused meanwhile (by
// default), the overlay upper dir written as a gzip layer diff into the content store and
// unpacked as a snapshot layer; the config built from the request's Config and --change
// instructions, filled in from the container's config (dockerd's merge), with the parent's
// history plus an entry "created_by" the container's Cmd; an empty diff adds no layer (an
// empty_layer history entry). Publishes a "commit" event.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "daemon/container_service.h"
#include "store/digest.h"

namespace berth::daemon {

struct CommitOptions {
  std::string container;  // id or name
  std::string repo;       // "" for an untagged image
  std::string tag;
  std::string comment;
  std::string author;
  bool pause = true;
  std::vector<std::string> changes;  // Dockerfile instructions (CMD, ENV, ...)
  Json config;                       // the request body: Config overrides (may be null)
};

Result<store::Digest> commit_container(ContainerService& service, const CommitOptions& options);

}  // namespace berth::daemon
