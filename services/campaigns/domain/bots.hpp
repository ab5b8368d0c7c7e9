#pragma once
// Bot detection for link clicks: a click counts only when a person made it, so crawlers, link-preview
// fetchers (the card a chat app draws when a link is pasted), uptime monitors and scripts are recognised
// by their User-Agent and left out of click counts. The token list comes from the crawlers' own
// documentation (Google, Bing, Baidu, Shenma/Yisou, Sogou, 360, ByteDance, Yandex, DuckDuckGo, Meta, X,
// LinkedIn, Slack, Discord, Telegram, WhatsApp, Skype, Apple) plus common HTTP clients. Pure; unit-tested
// in bots_test.cpp.
#include <string_view>

namespace herald::campaigns::domain {

// True for a User-Agent that is a crawler, link-preview fetcher, monitor or script: empty (or only
// whitespace), or containing (case-insensitive) Googlebot, bingbot, Baiduspider, YisouSpider, Sogou,
// 360Spider, Bytespider, YandexBot, DuckDuckBot, facebookexternalhit, Facebot, Twitterbot, LinkedInBot,
// Slackbot, Discordbot, TelegramBot, WhatsApp, SkypeUriPreview, Applebot, HeadlessChrome, curl, Wget,
// python-requests, Go-http-client, okhttp, Java/, libwww, or the generic words bot, spider, crawl,
// preview, monitor. Real browsers (Chrome, Safari, Firefox, Edge, WeChat's MicroMessenger, Weibo's and
// QQ's in-app browsers) are not bots. Two exceptions keep real people counted: Sogou's own browsers and
// app (SogouMobileBrowser, SogouExplorer, SogouSearch) are browsers, and the phone brand CUBOT is not "bot".
bool is_bot_user_agent(std::string_view user_agent);

}  // namespace herald::campaigns::domain
