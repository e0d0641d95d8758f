#include "registry/tls_config.h"

#include <dirent.h>

#include <algorithm>
#include <vector>

#include "base/file_util.h"

namespace berth::registry {
namespace {

Result<std::vector<std::string>> list_dir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return errno_error("open " + dir);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());  // deterministic choice among several client certs
  return names;
}

}  // namespace

Result<TlsConfig> load_tls_config(const std::string& certs_dir, std::string_view host) {
  TlsConfig config;
  if (certs_dir.empty() || host.empty()) return config;
  std::string dir = path_join(certs_dir, host);
  if (!path_exists(dir)) return config;
  config.source_dir = dir;
  auto names = TRY(list_dir(dir));
  for (const auto& name : names) {
    std::string path = path_join(dir, name);
    if (name.ends_with(".crt")) {
      std::string pem = TRY(read_file(path));
      config.extra_ca_pem += pem;
      if (!pem.empty() && pem.back() != '\n') config.extra_ca_pem += '\n';
    } else if (name.ends_with(".cert")) {
      std::string key = path.substr(0, path.size() - 5) + ".key";
      if (!path_exists(key))
        return make_error(ErrorCode::kInvalidArgument, "missing key {} for client certificate {}",
                          key, path);
      if (config.client_cert_path.empty()) {
        config.client_cert_path = path;
        config.client_key_path = key;
      }
    } else if (name.ends_with(".key")) {
      std::string cert = path.substr(0, path.size() - 4) + ".cert";
      if (!path_exists(cert))
        return make_error(ErrorCode::kInvalidArgument, "missing client certificate {} for key {}",
                          cert, path);
    }
  }
  return config;
}

}  // namespace berth::registry
