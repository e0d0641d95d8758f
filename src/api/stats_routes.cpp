// GET /containers/{id}/stats and GET /containers/{id}/top.
#include <unistd.h>

#include <condition_variable>
#include <mutex>

#include "api/api_context.h"
#include "api/api_errors.h"
#include "daemon/container_stats.h"
#include "daemon/container_top.h"

namespace berth::api {
namespace {

// dockerd's collector samples every second.
constexpr auto kStatsInterval = std::chrono::seconds(1);

// Set by the client-gone callback, which may run after the handler has returned.
struct Gone {
  std::mutex mutex;
  std::condition_variable cv;
  bool gone = false;
  // Waits `d`; false when the client went away meanwhile.
  bool sleep(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    return !cv.wait_for(lock, d, [&] { return gone; });
  }
};

bool is_active(const daemon::Container& c) {
  return c.state.status == daemon::ContainerStatus::kRunning ||
         c.state.status == daemon::ContainerStatus::kPaused;
}

}  // namespace

void register_stats_routes(http::Router& router, ApiContext& ctx) {
  router.get("/containers/{id}/stats", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      bool stream = r.query().get_bool("stream", true);
      bool one_shot = r.query().get_bool("one-shot");
      if (stream && one_shot)
        return Error(ErrorCode::kInvalidArgument, "cannot have stream=true and one-shot=true");
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      daemon::StatsHost host;
      host.mem_total = ctx.containers->deps().host.mem_total;
      if (host.mem_total <= 0)
        host.mem_total = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGE_SIZE);
      long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
      host.online_cpus = cpus > 0 ? static_cast<int>(cpus) : 1;
      // A sample, or std::nullopt once the container is not running.
      auto sample = [&]() -> Result<std::optional<Json>> {
        daemon::Container c;
        {
          std::lock_guard lock(entry->mutex);
          c = entry->c;
        }
        if (!is_active(c)) return std::optional<Json>();
        return std::optional<Json>(TRY(daemon::container_stats_sample(*ctx.containers->deps().runtime, c, host)));
      };
      auto first = TRY(sample());
      if (!first) {
        // dockerd answers a stopped container with one zeroed sample.
        std::lock_guard lock(entry->mutex);
        return w.send_json(200, daemon::idle_stats(entry->c));
      }
      if (one_shot) return w.send_json(200, *first);
      auto gone = std::make_shared<Gone>();
      w.on_client_gone([gone] {
        {
          std::lock_guard lock(gone->mutex);
          gone->gone = true;
        }
        gone->cv.notify_all();
      });
      TRY(w.begin_stream(200, http::Headers({{"Content-Type", "application/json"}})));
      Json previous = std::move(*first);
      // Without stream, the first sample only primes precpu_stats (dockerd's no-stream mode).
      if (stream) TRY(w.write_chunk(previous.dump() + "\n"));
      while (true) {
        if (stream) TRY(w.flush());
        if (!gone->sleep(kStatsInterval)) break;
        auto next = sample();
        if (!next.ok() || !*next) break;  // stopped meanwhile
        Json current = std::move(**next);
        current["precpu_stats"] = previous["cpu_stats"];
        current["preread"] = previous["read"];
        if (!w.write_chunk(current.dump() + "\n").ok()) break;
        previous = std::move(current);
        if (!stream) break;
      }
      return w.end_stream();
    });
  });

  router.get("/containers/{id}/top", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      std::string id;
      {
        std::lock_guard lock(entry->mutex);
        const auto& c = entry->c;
        if (c.state.status == daemon::ContainerStatus::kRestarting)
          return make_error(ErrorCode::kConflict, "Container {} is restarting, wait until the container is running", c.id);
        if (!is_active(c)) return make_error(ErrorCode::kConflict, "Container {} is not running", c.id);
        id = c.id;
      }
      auto pids = TRY(ctx.containers->deps().runtime->pids(id));
      Json top = TRY(daemon::container_top(pids, std::string(r.query().value("ps_args"))));
      return w.send_json(200, top);
    });
  });
}

}  // namespace berth::api
