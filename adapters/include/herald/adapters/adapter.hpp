#pragma once
// The Adapter interface: one implementation per platform (adapters/<platform>/), each speaking
// its platform's documented API through a Transport. All calls are blocking (run them on the
// blocking pool) and return Result values classified as DESIGN.md section 4 says. Operations a
// platform lacks return unsupported() (class kRejected, code "unsupported"); the capability
// table says which those are, so callers can ask before they try.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "herald/adapters/capabilities.hpp"
#include "herald/adapters/http.hpp"
#include "herald/adapters/result.hpp"
#include "herald/adapters/types.hpp"

namespace herald::adapters {

class Adapter {
 public:
  explicit Adapter(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
  virtual ~Adapter() = default;
  Adapter(const Adapter&) = delete;
  Adapter& operator=(const Adapter&) = delete;

  [[nodiscard]] virtual const Capabilities& capabilities() const = 0;
  [[nodiscard]] const Endpoint& endpoint() const { return endpoint_; }

  // --- Connecting (OAuth 2.0 authorization code, PKCE where supported) ---
  // The URL to send the user's browser to.
  [[nodiscard]] virtual std::string authorize_url(const AuthorizeRequest& request) const = 0;
  virtual Result<TokenSet> exchange_code(Transport& t, const std::string& code, const std::string& code_verifier,
                                         const std::string& redirect_uri) = 0;
  virtual Result<TokenSet> refresh(Transport& t, const TokenSet& current);
  virtual Result<Ok> revoke(Transport& t, const TokenSet& tokens);
  virtual Result<AccountProfile> fetch_profile(Transport& t, const Credentials& c) = 0;

  // --- Publishing ---
  virtual Result<PublishedPost> publish(Transport& t, const Credentials& c, const PostContent& content) = 0;
  virtual Result<Ok> delete_post(Transport& t, const Credentials& c, const std::string& post_id);
  virtual Result<Ok> edit_post(Transport& t, const Credentials& c, const std::string& post_id,
                               const PostContent& content);
  // nullopt value: the platform says there is no such post.
  virtual Result<std::optional<RemotePost>> read_post(Transport& t, const Credentials& c,
                                                      const std::string& post_id);
  // The recent post carrying the client marker, if any (reconciliation of UNKNOWN outcomes).
  // Default: the invisible text suffix of marker.hpp, searched in list_recent's first page.
  virtual Result<std::optional<RemotePost>> find_by_marker(Transport& t, const Credentials& c,
                                                           const std::string& marker);
  virtual Result<Page<RemotePost>> list_recent(Transport& t, const Credentials& c, const std::string& cursor);

  // --- Inbox ---
  // Items of one kind newer than the cursor (empty cursor: the most recent page).
  virtual Result<Page<InboundItem>> fetch_inbound(Transport& t, const Credentials& c, InboundKind kind,
                                                  const std::string& cursor);
  // Verifies the signature in constant time (kRejected "bad_signature" when it fails) and reads
  // the items, or answers a verification handshake.
  [[nodiscard]] virtual Result<WebhookResult> parse_webhook(const WebhookRequest& request) const;
  // Returns the platform id of the reply.
  virtual Result<std::string> reply(Transport& t, const Credentials& c, const InboundItem& to, const std::string& text,
                                    const std::string& idempotency_key);
  // Returns the platform id of the message.
  virtual Result<std::string> send_dm(Transport& t, const Credentials& c, const std::string& recipient_or_conversation,
                                      const std::string& text, const std::string& idempotency_key);
  virtual Result<Ok> moderate(Transport& t, const Credentials& c, const InboundItem& item, Moderation action);

  // --- Metrics and ads ---
  virtual Result<PostMetrics> fetch_post_metrics(Transport& t, const Credentials& c, const std::string& post_id);
  virtual Result<std::vector<AdEntity>> fetch_ad_entities(Transport& t, const Credentials& c,
                                                          const std::string& ad_account_id);
  // date_from/date_to: inclusive YYYY-MM-DD.
  virtual Result<std::vector<AdInsight>> fetch_ad_insights(Transport& t, const Credentials& c,
                                                           const std::string& ad_account_id,
                                                           const std::string& date_from, const std::string& date_to);

 protected:
  Endpoint endpoint_;
};

// Every platform Herald knows, in display order (API and assisted).
const std::vector<std::string>& platforms();
bool is_platform(std::string_view name);
// The adapter for a platform (nullptr for an unknown name).
std::unique_ptr<Adapter> make_adapter(std::string_view platform, Endpoint endpoint);

}  // namespace herald::adapters
