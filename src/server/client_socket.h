// The socket of the connection a request came on. cpp-httplib does not hand it to
// handlers, but a handler that waits long without writing (a non-streaming
// generation) must notice a client that went away, as a stream notices a failed write.
#pragma once

#include <string>

namespace s1::server {

// The descriptor of this process's TCP socket with these local and peer addresses (as
// cpp-httplib reports them: numeric host, port), or -1 if there is none. Costs a
// getsockname/getpeername per open descriptor; call once per request.
int find_client_socket(const std::string& local_addr, int local_port,
                       const std::string& remote_addr, int remote_port);

// Shuts down (both ways) every connected TCP socket of this process whose local port is
// `local_port`: the server's accepted connections, so threads blocked reading a slow or
// idle client return at once. Their owners still close them.
void cut_connections(int local_port);

// Whether the peer of `fd` has closed the connection (or it failed). Never blocks, reads
// nothing. False for fd < 0.
bool peer_closed(int fd);

}  // namespace s1::server
