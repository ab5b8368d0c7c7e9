#include "services/campaigns/domain/bots.hpp"

#include <array>
#include <string>

namespace herald::campaigns::domain {
namespace {

// Lower-case tokens; a User-Agent containing one is a bot. The specific names come first for
// readability only: the generic words would catch most of them anyway.
constexpr std::array<std::string_view, 32> kBotTokens = {
    "googlebot", "bingbot", "baiduspider", "yisouspider", "sogou", "360spider", "bytespider", "yandexbot",
    "duckduckbot", "facebookexternalhit", "facebot", "twitterbot", "linkedinbot", "slackbot", "discordbot",
    "telegrambot", "whatsapp", "skypeuripreview", "applebot", "headlesschrome", "curl", "wget",
    "python-requests", "go-http-client", "okhttp", "java/", "libwww",
    "bot", "spider", "crawl", "preview", "monitor",
};

// Real browsers whose User-Agent happens to contain a token above. Each is removed from the
// lower-cased User-Agent before the tokens are looked for, so "SogouMobileBrowser ... Sogou web spider"
// still counts as a bot through "spider".
constexpr std::array<std::string_view, 4> kBrowserTokens = {
    "sogoumobilebrowser",  // Sogou's mobile browser
    "sogouexplorer",       // Sogou's desktop browser (older builds say only "SE 2.X MetaSr")
    "sogousearch",         // Sogou's search app
    "cubot",               // a phone brand: "Android 10; CUBOT X30"
};

void erase_all(std::string& s, std::string_view what) {
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos)) s.erase(pos, what.size());
}

}  // namespace

bool is_bot_user_agent(std::string_view user_agent) {
  std::string ua;
  ua.reserve(user_agent.size());
  bool blank = true;
  for (char c : user_agent) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') blank = false;
    ua += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (blank) return true;
  for (auto browser : kBrowserTokens) erase_all(ua, browser);
  for (auto token : kBotTokens) {
    if (ua.find(token) != std::string::npos) return true;
  }
  return false;
}

}  // namespace herald::campaigns::domain
