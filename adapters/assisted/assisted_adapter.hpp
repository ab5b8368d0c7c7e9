#pragma once
// Assisted publishing: platforms Herald cannot post to through a documented brand publishing API
// (see assisted_adapter.cpp for what each offers). publish() makes no call: it hands back the
// platform's creator-studio link so a person posts by hand and confirms in Herald.
#include <memory>

#include "herald/adapters/adapter.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_kuaishou_adapter(Endpoint endpoint);     // 快手
std::unique_ptr<Adapter> make_bilibili_adapter(Endpoint endpoint);     // 哔哩哔哩
std::unique_ptr<Adapter> make_xiaohongshu_adapter(Endpoint endpoint);  // 小红书

}  // namespace herald::adapters
