// Defaults for the operations a platform may lack: each answers unsupported(), except
// find_by_marker, which works wherever list_recent does.
#include "herald/adapters/adapter.hpp"
#include "herald/adapters/marker.hpp"

namespace herald::adapters {

Result<TokenSet> Adapter::refresh(Transport&, const TokenSet&) { return unsupported("token refresh"); }
Result<Ok> Adapter::revoke(Transport&, const TokenSet&) { return unsupported("token revocation"); }
Result<Ok> Adapter::delete_post(Transport&, const Credentials&, const std::string&) {
  return unsupported("deleting a post");
}
Result<Ok> Adapter::edit_post(Transport&, const Credentials&, const std::string&, const PostContent&) {
  return unsupported("editing a post");
}
Result<std::optional<RemotePost>> Adapter::read_post(Transport&, const Credentials&, const std::string&) {
  return unsupported("reading a post back");
}
// Most platforms keep the marker as an invisible suffix of the text (marker.hpp): look for it in
// the recent posts. Platforms that keep it elsewhere (a record field, an HTML comment) override.
Result<std::optional<RemotePost>> Adapter::find_by_marker(Transport& t, const Credentials& c,
                                                          const std::string& marker) {
  if (marker.empty()) return std::optional<RemotePost>{};
  auto page = list_recent(t, c, "");
  if (!page) return page.error();
  const std::string suffix = invisible_marker(marker);
  for (auto& p : page->items) {
    if (p.text.find(suffix) != std::string::npos) return std::optional<RemotePost>{std::move(p)};
  }
  return std::optional<RemotePost>{};
}
Result<Page<RemotePost>> Adapter::list_recent(Transport&, const Credentials&, const std::string&) {
  return unsupported("listing recent posts");
}
Result<Page<InboundItem>> Adapter::fetch_inbound(Transport&, const Credentials&, InboundKind, const std::string&) {
  return unsupported("fetching comments, mentions or messages");
}
Result<WebhookResult> Adapter::parse_webhook(const WebhookRequest&) const { return unsupported("webhooks"); }
Result<std::string> Adapter::reply(Transport&, const Credentials&, const InboundItem&, const std::string&,
                                   const std::string&) {
  return unsupported("replying");
}
Result<std::string> Adapter::send_dm(Transport&, const Credentials&, const std::string&, const std::string&,
                                     const std::string&) {
  return unsupported("direct messages");
}
Result<Ok> Adapter::moderate(Transport&, const Credentials&, const InboundItem&, Moderation) {
  return unsupported("moderating comments");
}
Result<PostMetrics> Adapter::fetch_post_metrics(Transport&, const Credentials&, const std::string&) {
  return unsupported("post metrics");
}
Result<std::vector<AdEntity>> Adapter::fetch_ad_entities(Transport&, const Credentials&, const std::string&) {
  return unsupported("ads");
}
Result<std::vector<AdInsight>> Adapter::fetch_ad_insights(Transport&, const Credentials&, const std::string&,
                                                          const std::string&, const std::string&) {
  return unsupported("ads insights");
}

}  // namespace herald::adapters
