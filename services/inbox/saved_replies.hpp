#pragma once
// Saved replies and the FAQ (F5, issue #6 "Respond"). A saved reply is a text an agent drops into
// the reply box; an FAQ entry is one that also holds the question it answers, so the inbox can
// suggest it when a person asks something like it. Both may use the variables of
// domain/templates.hpp, filled for the thread being answered. "Promote to FAQ" turns a question a
// person asked (an inbound item) and the answer given to it into an FAQ entry.
//
// A brand's entries serve that brand's inbox; organization-wide ones (no brand) serve every brand.
// Reading needs inbox.read on the brand; writing a brand's entries needs inbox.reply there;
// organization-wide entries are written by administrators. A text naming an unknown variable is
// refused (422) so a typo never reaches a customer. All calls are blocking.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "services/contracts/accounts/directory.hpp"
#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"
#include "services/inbox/inbox.hpp"

namespace herald::inbox {

struct SavedReplyDraft {
  std::string kind = "reply";  // "reply" | "faq"
  std::optional<std::string> brand_id;  // nullopt: organization-wide
  std::string title, question, text;
  // Promote to FAQ: the inbound item asked. Its text is the question when none is given, the
  // latest reply to it the answer when none is given, and its thread's brand the brand.
  std::optional<std::int64_t> source_item_id;
};

struct SavedReplyChange {
  std::optional<std::string> title, question, text;
  std::optional<int> version;  // If-Match
};

struct SavedReplyQuery {
  std::optional<std::string> brand_id, kind, q;
};

class SavedReplies {
 public:
  SavedReplies(core::pg::Pool& pg, iam::Identity& identity, contracts::AccountDirectory& directory, Inbox& inbox);

  nlohmann::json list(const iam::Principal& p, const SavedReplyQuery& q);
  nlohmann::json get(const iam::Principal& p, std::int64_t id);
  nlohmann::json create(const iam::Principal& p, const SavedReplyDraft& d);
  nlohmann::json update(const iam::Principal& p, std::int64_t id, const SavedReplyChange& c);
  void remove(const iam::Principal& p, std::int64_t id, std::optional<int> version);

  // The entry's text with its variables filled for the thread: {saved_reply_id, text, missing}.
  // Counts as a use. Needs inbox.reply on the thread; the entry must serve the thread's brand.
  nlohmann::json render(const iam::Principal& p, std::int64_t thread_id, std::int64_t saved_reply_id);

  // FAQ entries whose question is close to the thread's latest inbound message, best first, each
  // {score, entry, text (rendered), missing}; at most `limit`, none under `min_score`.
  nlohmann::json suggest(const iam::Principal& p, std::int64_t thread_id, int limit = 3, double min_score = 0.3);

 private:
  struct Entry {
    nlohmann::json json;
    std::optional<std::string> brand_id;
    std::string body;
    int version = 0;
  };
  Entry visible(pqxx::work& tx, const iam::Principal& p, std::int64_t id);
  void check_write(const iam::Principal& p, const std::optional<std::string>& brand_id);
  std::map<std::string, std::string> values_for(pqxx::work& tx, const iam::Principal& p, const Inbox::ThreadRef& t,
                                                std::string* asked = nullptr);

  core::pg::Pool& pg_;
  iam::Identity& identity_;
  contracts::AccountDirectory& directory_;
  Inbox& inbox_;
};

}  // namespace herald::inbox
