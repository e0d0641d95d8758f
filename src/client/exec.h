// Typed calls for /exec/*.
#pragma once

#include <memory>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "client/client.h"

namespace berth::client {

// POST /containers/{id}/exec with docker's ExecOptions body; returns the exec id.
Result<std::string> exec_create(Client& c, const std::string& container,
                                const OrderedJson& config);
// POST /exec/{id}/start without Detach: the hijacked stream.
Result<std::unique_ptr<http::HijackedConnection>> exec_start_attached(Client& c,
                                                                      const std::string& exec_id,
                                                                      bool tty, int height,
                                                                      int width);
Status exec_start_detached(Client& c, const std::string& exec_id, bool tty);
Status exec_resize(Client& c, const std::string& exec_id, int height, int width);
Result<Json> exec_inspect(Client& c, const std::string& exec_id);

}  // namespace berth::client
