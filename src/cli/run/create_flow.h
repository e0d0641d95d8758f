// docker's createContainer (cli/command/container/create.go): the container ID file, pulling a
// missing image ("Unable to find image 'x' locally"), --pull always/never, warnings, and the
// TTY's size as ConsoleSize.
#pragma once

#include <string>

#include "base/result.h"
#include "cli/core/cli.h"
#include "cli/run/container_options.h"

namespace berth::cli {

struct CreateOptions {
  std::string name;
  std::string platform;
  std::string pull = "missing";
  bool quiet = false;
  bool untrusted = true;
  bool use_api_socket = false;
};

// Registers the flags `create` and `run` add around the container flags.
void add_create_flags(FlagSet& flags, CreateOptions& o, const std::string& pull_usage);

// `invalid pull option: 'x': must be one of "always", "missing" or "never"`.
Status validate_pull_option(const std::string& pull);

Result<std::string> create_container(Cli& cli, ContainerConfig& config, const CreateOptions& o);

// Pulls `image` showing docker's progress on stderr (jsonmessage display), unless `quiet`.
Status pull_image_for_create(Cli& cli, const std::string& image, const std::string& platform,
                             bool quiet);

// The registry credentials for an image reference, encoded for X-Registry-Auth.
std::string registry_auth_for(Cli& cli, const std::string& image);

}  // namespace berth::cli
