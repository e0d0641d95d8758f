// TCP with mutual TLS, as dockerd --tlsverify: clients need a certificate from the CA.
#include <cctype>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace berth::http {
namespace {

using testing::TempDir;

// A throwaway PKI made with the openssl command: a CA, a server certificate for
// localhost/127.0.0.1, a client certificate, and a client certificate from another CA.
class Pki {
 public:
  Pki() {
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-keyout ca-key.pem -out ca.pem -days 2 -subj /CN=berth-test-ca");
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-keyout other-ca-key.pem -out other-ca.pem -days 2 -subj /CN=other-ca");
    issue("server", "ca", "/CN=localhost",
          "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
    issue("client", "ca", "/CN=client", "extendedKeyUsage=clientAuth");
    issue("rogue", "other-ca", "/CN=rogue", "extendedKeyUsage=clientAuth");
  }

  std::string file(const std::string& name) const { return dir_.path() + "/" + name; }

 private:
  void run(const std::string& command) const {
    std::string full = "cd " + dir_.path() + " && " + command + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(full.c_str()), 0) << command;
  }
  void issue(const std::string& name, const std::string& ca, const std::string& subject,
             const std::string& extensions) const {
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name +
        "-key.pem -out " + name + ".csr -subj " + subject);
    std::ofstream(file(name + ".ext")) << extensions << "\n";
    run("openssl x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
        "-key.pem -CAcreateserial -out " + name + ".pem -days 2 -extfile " + name + ".ext");
  }

  TempDir dir_;
};

class ServerTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new Pki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  void SetUp() override {
    auto router = std::make_shared<Router>();
    router->get("/_ping", [](Request& r, ResponseWriter& w) {
      Response resp = Response::text(200, "OK");
      resp.headers.set("X-Client", r.peer().tls_subject);
      (void)w.send(std::move(resp));
    });
    router->post("/attach", [](Request&, ResponseWriter& w) {
      auto conn = w.hijack("application/vnd.docker.raw-stream");
      ASSERT_TRUE(conn.ok());
      char buf[1024];
      while (true) {
        auto n = (*conn)->read(buf, sizeof(buf));
        ASSERT_TRUE(n.ok()) << n.error().to_string();
        if (*n == 0) break;
        std::string out(buf, *n);
        for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        ASSERT_TRUE((*conn)->write(out).ok());
      }
      ASSERT_TRUE((*conn)->write("bye").ok());
    });
    ServerOptions options;
    options.tcp_sockets.push_back({.host = "127.0.0.1",
                                   .port = 0,
                                   .tls = TlsServerConfig{.cert_file = pki_->file("server.pem"),
                                                          .key_file = pki_->file("server-key.pem"),
                                                          .ca_file = pki_->file("ca.pem")}});
    auto server = HttpServer::start(std::move(options), Router::handler(router));
    ASSERT_TRUE(server.ok()) << server.error().to_string();
    server_ = server.take();
    port_ = server_->tcp_port(0);
    ASSERT_NE(port_, 0);
  }

  Result<HttpClient> client(std::string host, std::string cert, std::string ca = "ca") {
    TlsClientConfig tls{.ca_file = pki_->file(ca + ".pem")};
    if (!cert.empty()) {
      tls.cert_file = pki_->file(cert + ".pem");
      tls.key_file = pki_->file(cert + "-key.pem");
    }
    return HttpClient::create({.host = "tcp://" + host + ":" + std::to_string(port_), .tls = tls});
  }

  static Pki* pki_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

Pki* ServerTlsTest::pki_ = nullptr;

TEST_F(ServerTlsTest, ClientWithCertificateIsServed) {
  for (std::string host : {"localhost", "127.0.0.1"}) {
    auto c = client(host, "client");
    ASSERT_TRUE(c.ok()) << c.error().to_string();
    auto r = c->request(ClientRequest::get("/_ping"));
    ASSERT_TRUE(r.ok()) << host << ": " << r.error().to_string();
    EXPECT_EQ(r->body, "OK");
    EXPECT_EQ(r->headers.value("X-Client"), "/CN=client");
  }
  EXPECT_EQ(server_->endpoints().at(0), "tcp://127.0.0.1:" + std::to_string(port_));
}

TEST_F(ServerTlsTest, ClientWithoutCertificateIsRejected) {
  auto c = client("localhost", "");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->request(ClientRequest::get("/_ping")).ok());
}

TEST_F(ServerTlsTest, CertificateFromAnotherCaIsRejected) {
  auto c = client("localhost", "rogue");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->request(ClientRequest::get("/_ping")).ok());
}

TEST_F(ServerTlsTest, ServerCertificateIsVerified) {
  // The client trusts only the other CA: the server's certificate does not verify.
  auto c = client("localhost", "client", "other-ca");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->request(ClientRequest::get("/_ping")).ok());
}

TEST_F(ServerTlsTest, PlainHttpToTlsPortFails) {
  auto c = HttpClient::create({.host = "tcp://127.0.0.1:" + std::to_string(port_)});
  ASSERT_TRUE(c.ok());
  auto r = c->request(ClientRequest::get("/_ping"));
  EXPECT_TRUE(!r.ok() || r->status >= 400);
  // ... and the server still serves TLS clients.
  EXPECT_TRUE(client("localhost", "client")->request(ClientRequest::get("/_ping")).ok());
}

TEST_F(ServerTlsTest, HijackWithHalfCloseOverTls) {
  auto c = client("localhost", "client");
  ASSERT_TRUE(c.ok());
  auto h = c->hijack(ClientRequest::post("/attach"));
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  ASSERT_EQ(h->status, 101);
  ASSERT_TRUE(h->connection->write("secret").ok());
  ASSERT_TRUE(h->connection->close_write().ok());
  std::string out;
  char buf[256];
  while (true) {
    auto n = h->connection->read(buf, sizeof(buf));
    ASSERT_TRUE(n.ok()) << n.error().to_string();
    if (*n == 0) break;
    out.append(buf, *n);
  }
  EXPECT_EQ(out, "SECRETbye");
}

}  // namespace
}  // namespace berth::http
