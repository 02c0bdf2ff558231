#include "web/server/server.h"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace lodestone::web {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

class Session;

}  // namespace

struct Server::Impl {
  Impl(const Api& a, ServerOptions o)
      : api(a),
        opts(std::move(o)),
        workers(static_cast<size_t>(std::max(1, opts.worker_threads))),
        control(net::make_strand(ioc)),
        acceptor(control),
        signals(control),
        drain_timer(control),
        retry_timer(control) {}

  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void BeginShutdown();
  void Register(uint64_t id, const std::shared_ptr<Session>& s);
  void Unregister(uint64_t id);
  void CheckDrained();
  std::vector<std::shared_ptr<Session>> Live();

  const Api& api;
  ServerOptions opts;

  // Declared before the io_context: sessions destroyed along with its pending handlers unregister here.
  std::mutex mu;
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions;
  std::atomic<size_t> open{0};
  std::atomic<size_t> rejecting{0};
  std::atomic<uint64_t> served{0};
  std::atomic<size_t> in_flight{0};
  std::atomic<uint64_t> next_id{1};
  std::atomic<bool> stopping{false};

  net::io_context ioc;
  net::thread_pool workers;
  net::strand<net::io_context::executor_type> control;  // acceptor, signals and shutdown
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  net::steady_timer retry_timer;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool started = false;
  bool waited = false;
};

namespace {

// One connection: reads requests, hands each to the workers, writes the answers. All of its I/O runs
// on its own strand; the worker only computes the response.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // The largest body of a refused request that is read (and dropped) to keep the connection open.
  static constexpr uint64_t kDrainLimit = 64 * 1024;

  Session(Server::Impl& server, tcp::socket socket, uint64_t id, bool reject)
      : server_(server),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        id_(id),
        reject_(reject) {}

  ~Session() {
    if (reject_) {
      server_.rejecting.fetch_sub(1);
    } else {
      server_.Unregister(id_);
    }
  }

  void Start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->reject_) {
        self->Reply(Api::Error(11, 429, "TooManyConnections",
                               "the server has " + std::to_string(self->server_.opts.max_connections) +
                                   " connections open; try again shortly"),
                    true);
      } else {
        self->Idle();
      }
    });
  }

  // Shutdown began: close the connection unless a request is being answered.
  void Drain() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::kIdle || self->state_ == State::kReading) self->Close();
    });
  }
  void ForceClose() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosed };

  void Arm(std::chrono::milliseconds d) {
    uint64_t gen = ++timer_gen_;
    timer_.expires_after(d);
    timer_.async_wait([self = shared_from_this(), gen](beast::error_code ec) {
      if (ec || gen != self->timer_gen_) return;
      self->OnTimeout();
    });
  }
  void Disarm() {
    ++timer_gen_;
    timer_.cancel();
  }

  void OnTimeout() {
    switch (state_) {
      case State::kIdle:
      case State::kWriting:
        Close();
        break;
      case State::kReading: {
        timed_out_ = true;
        beast::error_code ec;
        socket_.cancel(ec);
        break;
      }
      default:
        break;
    }
  }

  // Waits for the first bytes of the next request (keep-alive), then reads it.
  void Idle() {
    state_ = State::kIdle;
    if (server_.stopping) return Close();
    if (buffer_.size() > 0) return ReadHeader();
    Arm(server_.opts.idle_timeout);
    socket_.async_read_some(buffer_.prepare(8192),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec || self->state_ == State::kClosed) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    state_ = State::kReading;
    timed_out_ = false;
    parser_.emplace();
    parser_->header_limit(server_.opts.header_limit);
    parser_->body_limit(
        std::max(server_.api.options().import_body_limit, server_.api.options().query_body_limit));
    Arm(server_.opts.read_timeout);
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return ReadFailed(ec);
    if (server_.stopping) {
      return Reply(Api::Error(11, 503, "ShuttingDown", "the server is shutting down"), true);
    }
    const RequestHeader& h = parser_->get().base();
    if (auto early = server_.api.Precheck(h)) {
      bool head = h.method() == http::verb::head;
      auto res = std::make_shared<Response>(std::move(*early));
      // A small body the client is sending anyway is read and dropped, so the connection stays usable;
      // otherwise (too large, unknown length, or the client waits for 100-continue) answer and close.
      auto length = parser_->content_length();
      bool expects = beast::iequals(h[http::field::expect], "100-continue");
      if (!parser_->is_done() && length && *length <= kDrainLimit &&
          res->result() != http::status::payload_too_large && !expects) {
        Api::Finish(*res, parser_->keep_alive(), head);
        early_ = std::move(res);
        parser_->body_limit(kDrainLimit);
        return ReadBody();
      }
      Api::Finish(*res, parser_->keep_alive() && parser_->is_done(), head);
      return Write(std::move(res));
    }
    parser_->body_limit(server_.api.BodyLimit(h));
    if (parser_->is_done()) return Dispatch();
    if (beast::iequals(h[http::field::expect], "100-continue")) {
      continue_ = http::response<http::empty_body>{http::status::continue_, h.version()};
      http::async_write(socket_, continue_, [self = shared_from_this()](beast::error_code wec, size_t) {
        if (wec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->ReadFailed(ec);
      if (self->early_) {
        // The body of a refused request, read only to be dropped.
        self->Disarm();
        self->parser_.reset();
        return self->Write(std::move(self->early_));
      }
      self->Dispatch();
    });
  }

  void ReadFailed(beast::error_code ec) {
    if (timed_out_) {
      return Reply(Api::Error(11, 408, "ReadTimeout",
                              "the request was not received within " +
                                  std::to_string(server_.opts.read_timeout.count()) + " ms"),
                   true);
    }
    if (ec == http::error::header_limit) {
      return Reply(
          Api::Error(11, 431, "HeadersTooLarge",
                     "the request's headers exceed " + std::to_string(server_.opts.header_limit) + " bytes"),
          true);
    }
    if (ec == http::error::body_limit) {
      return Reply(Api::Error(11, 413, "BodyTooLarge", "the body is larger than this route accepts"), true);
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::bad_descriptor || state_ == State::kClosed) {
      return Close();
    }
    // Anything else is a malformed request.
    Reply(Api::Error(11, 400, "MalformedRequest", "the request is not valid HTTP/1.1: " + ec.message()),
          true);
  }

  // The request is complete: compute the response on a worker thread, then write it from the strand.
  void Dispatch() {
    Disarm();
    state_ = State::kHandling;
    auto req = std::make_shared<Request>(parser_->release());
    parser_.reset();
    server_.in_flight.fetch_add(1);
    net::post(server_.workers, [self = shared_from_this(), req] {
      auto res = std::make_shared<Response>(self->server_.api.Handle(*req));
      self->server_.in_flight.fetch_sub(1);
      net::post(self->socket_.get_executor(), [self, res] {
        if (self->state_ == State::kClosed) return;
        self->Write(res);
      });
    });
  }

  void Reply(Response res, bool close) {
    Api::Finish(res, !close, false);
    Write(std::make_shared<Response>(std::move(res)));
  }

  void Write(std::shared_ptr<Response> res) {
    if (server_.stopping) res->keep_alive(false);
    state_ = State::kWriting;
    response_ = std::move(res);
    Arm(server_.opts.write_timeout);
    http::async_write(socket_, *response_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->server_.served.fetch_add(1);
      if (ec) return self->Close();
      bool keep = self->response_->keep_alive();
      self->response_.reset();
      if (!keep) {
        beast::error_code sec;
        self->socket_.shutdown(tcp::socket::shutdown_send, sec);
        return self->Close();
      }
      self->Idle();
    });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    Disarm();
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  Server::Impl& server_;
  tcp::socket socket_;
  net::steady_timer timer_;
  uint64_t timer_gen_ = 0;
  uint64_t id_;
  bool reject_;
  State state_ = State::kIdle;
  bool timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::empty_body> continue_;
  std::shared_ptr<Response> response_;
  std::shared_ptr<Response> early_;  // an answer given from the header, sent once the body is dropped
};

}  // namespace

void Server::Impl::Register(uint64_t id, const std::shared_ptr<Session>& s) {
  std::lock_guard lock(mu);
  sessions.emplace(id, s);
}

void Server::Impl::Unregister(uint64_t id) {
  {
    std::lock_guard lock(mu);
    sessions.erase(id);
  }
  open.fetch_sub(1);
  CheckDrained();
}

std::vector<std::shared_ptr<Session>> Server::Impl::Live() {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mu);
  for (auto& [id, w] : sessions) {
    if (auto s = w.lock()) out.push_back(std::move(s));
  }
  return out;
}

void Server::Impl::CheckDrained() {
  if (stopping.load() && open.load() == 0) ioc.stop();
}

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping.load() || !acceptor.is_open()) return;
  if (ec) {
    // Out of file descriptors, say: wait a little rather than spin.
    retry_timer.expires_after(std::chrono::milliseconds(50));
    retry_timer.async_wait([this](beast::error_code wec) {
      if (!wec) Accept();
    });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  if (open.load() >= opts.max_connections) {
    // Over the cap: answer 429 (a few at a time; beyond that just close).
    if (rejecting.fetch_add(1) < 64) {
      std::make_shared<Session>(*this, std::move(socket), 0, true)->Start();
    } else {
      rejecting.fetch_sub(1);
      socket.close(ignored);
    }
  } else {
    uint64_t id = next_id.fetch_add(1);
    open.fetch_add(1);
    auto s = std::make_shared<Session>(*this, std::move(socket), id, false);
    Register(id, s);
    s->Start();
  }
  Accept();
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  retry_timer.cancel();
  for (auto& s : Live()) s->Drain();
  drain_timer.expires_after(opts.shutdown_grace);
  drain_timer.async_wait([this](beast::error_code wec) {
    if (wec) return;
    for (auto& s : Live()) s->ForceClose();
    ioc.stop();
  });
  CheckDrained();
}

Server::Server(const Api& api, ServerOptions options)
    : impl_(std::make_shared<Impl>(api, std::move(options))) {}

Server::~Server() {
  if (impl_->started && !impl_->waited) {
    Stop();
    Wait();
  }
}

Status Server::Start() {
  Impl& s = *impl_;
  beast::error_code ec;
  auto address = net::ip::make_address(s.opts.bind, ec);
  if (ec) return Status::InvalidArgument("--bind: '" + s.opts.bind + "' is not an IP address");
  tcp::endpoint endpoint(address, s.opts.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError("cannot listen on " + s.opts.bind + ":" + std::to_string(s.opts.port) + ": " +
                           ec.message());
  }
  s.port = s.acceptor.local_endpoint().port();
  if (s.opts.handle_signals) {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([impl = impl_.get()](beast::error_code sec, int) {
      if (!sec) impl->BeginShutdown();
    });
  }
  net::dispatch(s.control, [impl = impl_.get()] { impl->Accept(); });
  s.started = true;
  for (int i = 0; i < std::max(1, s.opts.io_threads); ++i) {
    s.threads.emplace_back([impl = impl_.get()] { impl->ioc.run(); });
  }
  return Status::OK();
}

uint16_t Server::port() const { return impl_->port; }

void Server::Stop() {
  net::post(impl_->control, [impl = impl_.get()] { impl->BeginShutdown(); });
}

void Server::Wait() {
  Impl& s = *impl_;
  if (!s.started || s.waited) return;
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  // Handlers still running (a query past the grace period) finish; nothing is cut off mid-write to the
  // database.
  s.workers.join();
  s.waited = true;
}

size_t Server::open_connections() const { return impl_->open.load(); }
uint64_t Server::requests_served() const { return impl_->served.load(); }
size_t Server::requests_in_flight() const { return impl_->in_flight.load(); }

}  // namespace lodestone::web
