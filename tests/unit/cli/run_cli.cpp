#include "run_cli.h"

#include <fcntl.h>
#include <unistd.h>

#include "cli/core/app.h"
#include "cli/core/cli.h"

namespace berth::cli::testing {

CliRun run_berth(const std::vector<std::string>& args) {
  CliRun r;
  int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  {
    Cli cli(&r.out, &r.err, in);
    r.exit = run_app(cli, args);
  }
  ::close(in);
  return r;
}

CliRun run_berth_with_stdin(const std::vector<std::string>& args, const std::string& input) {
  CliRun r;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return r;
  // Small inputs fit the pipe buffer, so writing before running cannot block.
  (void)!::write(fds[1], input.data(), input.size());
  ::close(fds[1]);
  {
    Cli cli(&r.out, &r.err, fds[0]);
    r.exit = run_app(cli, args);
  }
  ::close(fds[0]);
  return r;
}

std::string docker_to_berth(std::string text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 6, "docker") == 0) {
      bool left = i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '-' || text[i - 1] == '/' || text[i - 1] == '.');
      bool right = i + 6 >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[i + 6])) || text[i + 6] == '-' || text[i + 6] == '.');
      if (left && right) {
        out += "berth";
        i += 6;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace berth::cli::testing
