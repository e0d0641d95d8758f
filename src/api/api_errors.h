// The one place where Berth's error codes become HTTP statuses (dockerd's errdefs mapping).
#pragma once

#include "base/error.h"
#include "http/response_writer.h"

namespace berth::api {

int http_status(const Error& error);
// Sends {"message": ...} with the mapped status; "not modified" markers become a bare 304.
void send_error(http::ResponseWriter& writer, const Error& error);

}  // namespace berth::api
