// `lodestone serve`'s HTTP/1.1 server (Boost.Beast over Asio).
//
// Threads. A listener that only accepts; sessions that only do I/O, on a small pool of I/O threads
// (each session on its own strand); and a separate pool of worker threads that runs Api::Handle, so an
// I/O thread never waits for the database. A session has at most one request in the workers at a time,
// and sessions are capped, so the workers' queue is bounded too.
//
// Limits. Headers beyond header_limit: 431. Bodies beyond the route's limit: 413 (from Content-Length
// before reading, or while reading). A request not fully read within read_timeout of its first byte:
// 408. An idle keep-alive connection is closed after idle_timeout. Connections beyond max_connections
// get 429 and are closed.
//
// Shutdown (Stop(), or SIGINT/SIGTERM when handle_signals): stop accepting; close idle connections;
// requests already read are answered (with Connection: close) and then their connections closed;
// after shutdown_grace whatever is left is closed. Wait() returns once every worker is done, so the
// caller can then close the database.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "store/status.h"
#include "web/server/api.h"

namespace lodestone::web {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see Server::port())
  int io_threads = 1;
  int worker_threads = 4;
  size_t max_connections = 256;
  uint32_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds shutdown_grace{20'000};
  bool handle_signals = true;
};

class Server {
 public:
  Server(const Api& api, ServerOptions options);
  ~Server();  // stops and waits if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Fails when the address cannot be bound.
  Status Start();
  // The port bound (useful with port 0).
  uint16_t port() const;
  // Begins the graceful shutdown; returns at once. Thread-safe; idempotent.
  void Stop();
  // Blocks until the server has shut down (after Stop() or a signal) and every thread has finished.
  void Wait();

  // Counters for tests and logs.
  size_t open_connections() const;
  uint64_t requests_served() const;
  size_t requests_in_flight() const;  // read and not yet answered

  struct Impl;  // the implementation (server.cc)

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace lodestone::web
