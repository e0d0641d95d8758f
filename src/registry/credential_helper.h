// docker-credential-<name> helpers (docker-credential-helpers' protocol): the action is argv[1],
// the input is on stdin, the answer on stdout.
//   get    stdin "https://index.docker.io/v1/"   stdout {"ServerURL","Username","Secret"}
//   store  stdin {"ServerURL","Username","Secret"}
//   erase  stdin "https://index.docker.io/v1/"
// A Username of "<token>" means the Secret is an identity token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "registry/credentials.h"

namespace berth::registry {

// Runs docker-credential-<helper> (found on $PATH) with `action`, feeding `input` on stdin;
// returns its stdout. A non-zero exit is an error carrying what the helper printed
// (kNotFound for "credentials not found").
Result<std::string> run_credential_helper(std::string_view helper, std::string_view action,
                                          std::string_view input);

// The credentials the helper holds for `server_url`; nullopt when it has none.
Result<std::optional<Credentials>> helper_get(std::string_view helper, std::string_view server_url);
Status helper_store(std::string_view helper, std::string_view server_url, const Credentials& creds);
// Succeeds when the helper had nothing to erase.
Status helper_erase(std::string_view helper, std::string_view server_url);

}  // namespace berth::registry
