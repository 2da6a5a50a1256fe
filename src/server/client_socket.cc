#include "server/client_socket.h"

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdlib>

namespace s1::server {
namespace {

bool same_address(const sockaddr_storage& addr, socklen_t len, const std::string& host, int port) {
  char h[NI_MAXHOST], p[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, h, sizeof h, p, sizeof p,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return false;
  }
  return std::atoi(p) == port && host == h;
}

// Calls `fn(fd, local, local_len, peer, peer_len)` for each connected socket of this
// process until it returns true; returns that fd or -1.
template <typename Fn>
int each_connected_socket(Fn fn) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (dirent* e = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (*e->d_name == '.' || *end != '\0' || fd == dirfd(dir)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    const int s = static_cast<int>(fd);
    if (getsockname(s, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        getpeername(s, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      continue;
    }
    if (fn(s, local, local_len, peer, peer_len)) {
      found = s;
      break;
    }
  }
  closedir(dir);
  return found;
}

int port_of(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  return -1;
}

}  // namespace

void cut_connections(int local_port) {
  each_connected_socket([&](int fd, const sockaddr_storage& local, socklen_t,
                            const sockaddr_storage&, socklen_t) {
    if (port_of(local) == local_port) ::shutdown(fd, SHUT_RDWR);
    return false;
  });
}

int find_client_socket(const std::string& local_addr, int local_port,
                       const std::string& remote_addr, int remote_port) {
  return each_connected_socket([&](int, const sockaddr_storage& local, socklen_t local_len,
                                   const sockaddr_storage& peer, socklen_t peer_len) {
    return same_address(peer, peer_len, remote_addr, remote_port) &&
           same_address(local, local_len, local_addr, local_port);
  });
}

bool peer_closed(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, POLLRDHUP, 0};
  if (poll(&p, 1, 0) <= 0) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

}  // namespace s1::server
