#pragma once
// The word lists behind enrichment.cpp: function words that tell Latin-script languages apart,
// the sentiment lexicons (English; Chinese in Simplified and Traditional forms; emoji), negators,
// intensifiers and contrast words, and the keyword lists of the categories. Data only; the rules
// that use them are in enrichment.cpp. Included by enrichment.cpp alone.
#include <array>
#include <string_view>

namespace herald::inbox::lexicon {

// A few of the most frequent function words per language; only used to tell Latin-script
// languages apart, so they need to be frequent, not exhaustive. Words shared by two languages
// count for both.
inline constexpr auto kStopwordsEn = std::to_array<std::string_view>(
    {"the", "and", "is", "are", "was", "this", "that", "it", "to", "of", "for", "with", "my", "you", "your", "i",
     "have", "not", "but", "very", "in", "on"});
inline constexpr auto kStopwordsEs = std::to_array<std::string_view>(
    {"el", "los", "las", "es", "muy", "pero", "que", "por", "con", "una", "del", "está", "gracias", "mi", "y", "lo",
     "para", "como", "bueno"});
inline constexpr auto kStopwordsPt = std::to_array<std::string_view>(
    {"os", "é", "não", "muito", "uma", "obrigado", "obrigada", "meu", "mas", "da", "em", "que", "bom", "está",
     "para", "você"});
inline constexpr auto kStopwordsFr = std::to_array<std::string_view>(
    {"le", "les", "est", "et", "je", "pas", "très", "une", "des", "du", "mon", "merci", "avec", "pour", "c'est", "ce",
     "mais", "il", "vous", "bien"});
inline constexpr auto kStopwordsDe = std::to_array<std::string_view>(
    {"der", "die", "das", "und", "ist", "nicht", "ich", "sehr", "mit", "ein", "eine", "danke", "auf", "für", "aber",
     "es", "zu", "gut"});

struct Weighted {
  std::string_view term;
  double weight;
};

// English: whole words, lower case; a phrase is words separated by single spaces. Phrases that
// begin with a negator ("doesn't work", "no problem", "can't wait") are entries of their own, as
// the longest match wins and their meaning is not the negation of the rest.
inline constexpr auto kEnglishLexicon = std::to_array<Weighted>({
    // positive
    {"love", 3}, {"loved", 3}, {"loves", 3}, {"loving", 2.5}, {"amazing", 3}, {"awesome", 3}, {"excellent", 3},
    {"fantastic", 3}, {"perfect", 3}, {"perfectly", 2.5}, {"wonderful", 3}, {"brilliant", 3}, {"superb", 3},
    {"outstanding", 3}, {"great", 2}, {"good", 2}, {"nice", 2}, {"better", 1.5}, {"best", 3}, {"happy", 2},
    {"glad", 2}, {"pleased", 2}, {"delighted", 3}, {"satisfied", 2}, {"impressed", 2.5}, {"thanks", 1.5},
    {"thank", 1.5}, {"thank you", 2}, {"thx", 1.5}, {"appreciate", 2}, {"appreciated", 2}, {"helpful", 2},
    {"recommend", 2}, {"recommended", 2}, {"enjoy", 2}, {"enjoyed", 2}, {"beautiful", 2}, {"lovely", 2.5},
    {"comfortable", 2}, {"fast", 1}, {"quick", 1}, {"quickly", 1}, {"smooth", 1.5}, {"easy", 1}, {"reliable", 1.5},
    {"worth it", 2}, {"cool", 1.5}, {"fun", 1.5}, {"favorite", 2}, {"favourite", 2}, {"wow", 1.5}, {"solved", 1.5},
    {"well done", 2.5}, {"five stars", 2.5}, {"5 stars", 2.5}, {"no problem", 1}, {"can't wait", 2},
    {"fine", 0.75}, {"ok", 0.5}, {"okay", 0.5},  // lukewarm: neutral on their own
    // negative
    {"bad", -2}, {"terrible", -3}, {"awful", -3}, {"horrible", -3}, {"worst", -3}, {"worse", -2}, {"poor", -2},
    {"hate", -3}, {"hated", -3}, {"broken", -2}, {"broke", -1.5}, {"breaks", -1.5}, {"useless", -2.5},
    {"disappointed", -2.5}, {"disappointing", -2.5}, {"disappoint", -2.5}, {"disappoints", -2.5}, {"angry", -2.5},
    {"annoyed", -2}, {"annoying", -2}, {"frustrated", -2}, {"frustrating", -2}, {"unhappy", -2.5}, {"upset", -2},
    {"sad", -1.5}, {"scam", -3}, {"scammed", -3}, {"fraud", -3}, {"fake", -2}, {"rude", -2.5}, {"slow", -1.5},
    {"late", -1}, {"delayed", -1.5}, {"damaged", -2}, {"defective", -2.5}, {"faulty", -2}, {"garbage", -3},
    {"trash", -2.5}, {"crap", -2.5}, {"sucks", -2.5}, {"refund", -1.5}, {"unacceptable", -3}, {"ridiculous", -2.5},
    {"waste", -2}, {"waste of money", -3}, {"rip off", -3}, {"ripoff", -3}, {"problem", -1}, {"problems", -1},
    {"issue", -1}, {"issues", -1}, {"buggy", -2}, {"crash", -2}, {"crashes", -2}, {"crashing", -2},
    {"crashed", -2}, {"error", -1}, {"fail", -2}, {"failed", -2}, {"fails", -2}, {"wrong", -1.5},
    {"overpriced", -2}, {"expensive", -1}, {"misleading", -2.5}, {"lied", -2.5}, {"dangerous", -2.5},
    {"doesn't work", -2}, {"does not work", -2}, {"don't work", -2}, {"didn't work", -2}, {"not working", -2},
    {"stopped working", -2.5}, {"never again", -2.5}, {"never arrived", -2.5}, {"never received", -2.5},
    {"no response", -2}, {"no reply", -2},
    // neither: phrases that would otherwise read as a negation
    {"not only", 0}, {"no wonder", 0},
});

// Chinese: substrings, Simplified and Traditional forms both listed where they differ. Weight-0
// entries are there to be the longest match and so hide a shorter one inside them: 差不多 is not
// 差, 你好 is not 好, 特别 is not 别 (see kIntensifiers), 快递 is not 快, 麻烦 ("please") is not 烦.
inline constexpr auto kChineseLexicon = std::to_array<Weighted>({
    // positive
    {"好", 1.5}, {"好评", 2.5}, {"好評", 2.5}, {"喜欢", 2.5}, {"喜歡", 2.5}, {"爱", 2.5}, {"愛", 2.5}, {"棒", 2.5},
    {"感谢", 2}, {"感謝", 2}, {"谢谢", 1.5}, {"謝謝", 1.5}, {"多谢", 1.5}, {"多謝", 1.5}, {"太好了", 3},
    {"满意", 2.5}, {"滿意", 2.5}, {"不错", 2}, {"不錯", 2}, {"赞", 2}, {"讚", 2}, {"贊", 2}, {"推荐", 2},
    {"推薦", 2}, {"好用", 2.5}, {"好吃", 2.5}, {"好喝", 2.5}, {"好看", 2}, {"漂亮", 2}, {"完美", 3}, {"优秀", 2.5},
    {"優秀", 2.5}, {"厉害", 2}, {"厲害", 2}, {"方便", 1.5}, {"开心", 2}, {"開心", 2}, {"高兴", 2}, {"高興", 2},
    {"快乐", 2}, {"快樂", 2}, {"惊喜", 2.5}, {"驚喜", 2.5}, {"给力", 2.5}, {"給力", 2.5}, {"超值", 2.5},
    {"划算", 2}, {"劃算", 2}, {"实惠", 2}, {"實惠", 2}, {"舒服", 2}, {"可爱", 2}, {"可愛", 2}, {"支持", 1.5},
    {"专业", 1.5}, {"專業", 1.5}, {"耐心", 1.5}, {"及时", 1.5}, {"及時", 1.5}, {"贴心", 2}, {"貼心", 2},
    {"靠谱", 2}, {"靠譜", 2}, {"值得", 2}, {"没问题", 1}, {"沒問題", 1}, {"五星", 2}, {"神器", 2.5}, {"回购", 2},
    {"回購", 2}, {"物超所值", 3}, {"无可挑剔", 3}, {"無可挑剔", 3}, {"顺利", 1.5}, {"順利", 1.5}, {"流畅", 2},
    {"流暢", 2}, {"精致", 2}, {"精緻", 2}, {"热情", 2}, {"熱情", 2}, {"周到", 2}, {"满分", 3}, {"滿分", 3},
    {"良心", 2}, {"省心", 2}, {"快", 1},
    // negative
    {"差", -2}, {"差评", -3}, {"差評", -3}, {"差劲", -3}, {"差勁", -3}, {"垃圾", -3}, {"骗子", -3}, {"騙子", -3},
    {"骗", -2.5}, {"騙", -2.5}, {"欺骗", -3}, {"欺騙", -3}, {"忽悠", -2.5}, {"坑", -2}, {"坑人", -3}, {"上当", -3},
    {"上當", -3}, {"黑心", -3}, {"退款", -1.5}, {"退货", -1.5}, {"退貨", -1.5}, {"投诉", -2}, {"投訴", -2},
    {"维权", -2.5}, {"維權", -2.5}, {"失望", -2.5}, {"生气", -2.5}, {"生氣", -2.5}, {"愤怒", -3}, {"憤怒", -3},
    {"气死", -3}, {"氣死", -3}, {"恶心", -3}, {"噁心", -3}, {"惡心", -3}, {"讨厌", -2.5}, {"討厭", -2.5},
    {"烦", -2}, {"煩", -2}, {"无语", -2}, {"無語", -2}, {"后悔", -2.5}, {"後悔", -2.5}, {"伤心", -2},
    {"傷心", -2}, {"难过", -2}, {"難過", -2}, {"烂", -2.5}, {"爛", -2.5}, {"难用", -2.5}, {"難用", -2.5},
    {"难吃", -2.5}, {"難吃", -2.5}, {"难喝", -2.5}, {"難喝", -2.5}, {"难看", -2}, {"難看", -2}, {"坏", -2},
    {"壞", -2}, {"质量问题", -2.5}, {"質量問題", -2.5}, {"问题", -0.5}, {"問題", -0.5}, {"故障", -2},
    {"卡顿", -2}, {"卡頓", -2}, {"闪退", -2.5}, {"閃退", -2.5}, {"死机", -2.5}, {"死機", -2.5}, {"错误", -1.5},
    {"錯誤", -1.5}, {"发错", -2}, {"發錯", -2}, {"慢", -1.5}, {"贵", -1}, {"貴", -1}, {"假货", -3}, {"假貨", -3},
    {"破损", -2.5}, {"破損", -2.5}, {"丢失", -2}, {"丟失", -2}, {"糟糕", -2.5}, {"糟透了", -3}, {"恶劣", -3},
    {"惡劣", -3}, {"崩溃", -2.5}, {"崩潰", -2.5}, {"敷衍", -2.5}, {"不满", -2.5}, {"不滿", -2.5}, {"不行", -2},
    {"不值", -2}, {"别买", -3}, {"別買", -3}, {"没人管", -2.5}, {"沒人管", -2.5}, {"没人理", -2.5},
    {"沒人理", -2.5}, {"不理", -2}, {"失败", -2}, {"失敗", -2}, {"霸王条款", -3}, {"霸王條款", -3},
    // neither (問題 is "question" as often as "problem", hence its low weight above)
    {"差不多", 0}, {"出差", 0}, {"差点", 0}, {"差點", 0}, {"时差", 0}, {"時差", 0}, {"你好", 0}, {"您好", 0},
    {"好的", 0}, {"好像", 0}, {"好几", 0}, {"好幾", 0}, {"好多", 0}, {"好久", 0}, {"好友", 0}, {"好奇", 0},
    {"好不好", 0}, {"好不容易", 0}, {"只好", 0}, {"正好", 0}, {"刚好", 0}, {"剛好", 0}, {"还好", 0}, {"還好", 0},
    {"爱好", 0}, {"愛好", 0}, {"不好意思", 0}, {"慢慢", 0}, {"贵公司", 0}, {"貴公司", 0}, {"宝贵", 0}, {"寶貴", 0},
    {"贵宾", 0}, {"貴賓", 0}, {"别人", 0}, {"別人", 0}, {"区别", 0}, {"區別", 0}, {"分别", 0}, {"分別", 0},
    {"别的", 0}, {"別的", 0}, {"级别", 0}, {"級別", 0}, {"不少", 0}, {"不管", 0}, {"不仅", 0}, {"不僅", 0},
    {"不然", 0}, {"没事", 0}, {"沒事", 0}, {"棒球", 0}, {"快递", 0}, {"快遞", 0}, {"快点", 0}, {"快點", 0},
    {"快要", 0}, {"赶快", 0}, {"趕快", 0}, {"尽快", 0}, {"盡快", 0}, {"麻烦", 0}, {"麻煩", 0},
});

struct EmojiWeight {
  char32_t emoji;
  double weight;
};

inline constexpr auto kEmojiLexicon = std::to_array<EmojiWeight>({
    {U'😡', -2.5}, {U'🤬', -3}, {U'👎', -2}, {U'😠', -2}, {U'😤', -1.5}, {U'😞', -1.5}, {U'😢', -1.5}, {U'😭', -1.5},
    {U'💩', -2}, {U'🙄', -1}, {U'😒', -1}, {U'🤮', -2.5}, {U'💔', -2}, {U'😩', -1.5}, {U'😫', -1.5},
    {U'😍', 2.5}, {U'🥰', 2.5}, {U'👍', 2}, {U'❤', 2.5}, {U'♥', 2}, {U'💕', 2}, {U'💖', 2}, {U'😊', 1.5},
    {U'😀', 1}, {U'😁', 1.5}, {U'😃', 1.5}, {U'😄', 1.5}, {U'🤩', 2.5}, {U'👏', 1.5}, {U'💯', 2}, {U'🙏', 1},
    {U'🎉', 1.5}, {U'😘', 2}, {U'⭐', 1}, {U'🌟', 1.5}, {U'👌', 1.5}, {U'🥳', 2},
});

// Flip the next sentiment word. Any English word ending in n't is one too (see is_negator).
inline constexpr auto kNegators = std::to_array<std::string_view>({
    "not", "no", "never", "don't", "dont", "cannot", "nor", "without", "neither", "hardly",
    "不", "没", "沒", "没有", "沒有", "别", "別", "不是", "并不", "並不", "从不", "從不", "未", "毫无", "毫無",
});

inline constexpr auto kIntensifiers = std::to_array<std::string_view>({
    "very", "so", "really", "extremely", "super", "too", "absolutely", "totally", "incredibly", "truly",
    "completely", "highly", "most", "pretty",
    "非常", "太", "很", "特别", "特別", "超级", "超級", "超", "十分", "极其", "極其", "真的", "最", "相当", "相當", "巨",
});

// "X but Y": Y is what the writer means, so what came before counts half and what follows
// half again as much (VADER does the same).
inline constexpr auto kContrasts = std::to_array<std::string_view>({
    "but", "however", "但是", "可是", "不过", "不過", "但", "然而",
});

inline constexpr auto kSpamPhrases = std::to_array<std::string_view>({
    "follow me", "follow back", "follow for follow", "f4f", "sub4sub", "check my profile", "check out my page",
    "check my bio", "link in bio", "link in my bio", "click here", "click the link", "free money", "make money",
    "earn money", "work from home", "dm me for", "whatsapp me", "telegram me", "investment opportunity",
    "100% free", "vx",
    "加微信", "加我微信", "加v", "加vx", "代购", "代購", "兼职", "兼職", "刷单", "刷單", "日赚", "日賺", "月入",
    "加群", "进群", "進群", "招代理", "点击链接", "點擊鏈接", "點擊連結", "免费领", "免費領", "互粉", "互关", "互關",
    "关注我", "關注我", "私信我", "扫码", "掃碼", "低价出", "低價出", "高仿",
});

// A link alone is not spam (customers link their screenshots); a link with one of these is.
inline constexpr auto kLinkMarkers = std::to_array<std::string_view>({
    "http://", "https://", "www.", "bit.ly", "t.cn/", "t.me/", "tinyurl", ".com/", ".cn/",
});
inline constexpr auto kPromoWords = std::to_array<std::string_view>({
    "free", "discount", "promo", "offer", "win", "winner", "prize", "giveaway", "earn", "cash", "crypto", "bitcoin",
    "deal", "deals", "coupon", "sale", "cheap", "limited", "bonus", "gift",
    "优惠", "優惠", "免费", "免費", "领取", "領取", "中奖", "中獎", "红包", "紅包", "折扣", "赚", "賺", "福利", "特价",
    "特價", "抽奖", "抽獎", "秒杀", "秒殺", "返利", "礼品", "禮品",
});

inline constexpr auto kComplaintWords = std::to_array<std::string_view>({
    "refund", "refunds", "broken", "broke", "scam", "scammed", "worst", "defective", "damaged", "faulty", "fraud",
    "rip off", "ripoff", "not working", "doesn't work", "does not work", "stopped working", "never arrived",
    "never received", "not received", "wrong item", "wrong size", "wrong order", "complaint", "complain",
    "money back", "chargeback", "unacceptable", "still waiting", "no response", "no reply", "lawyer",
    "consumer protection",
    "退款", "退货", "退貨", "投诉", "投訴", "坏了", "壞了", "质量问题", "質量問題", "品质问题", "品質問題", "差评",
    "差評", "骗子", "騙子", "假货", "假貨", "维权", "維權", "赔偿", "賠償", "没收到", "沒收到", "发错", "發錯",
    "破损", "破損", "故障", "闪退", "閃退", "12315", "消协", "消協", "不退", "欺骗", "欺騙", "上当", "上當",
});

// "which", "why", "what" and 什么 are left out: they start statements as often as questions
// ("that's why I love it", 没什么问题), and a real question mostly carries a question mark.
inline constexpr auto kInquiryWords = std::to_array<std::string_view>({
    "?", "how", "when", "where", "what time", "what is", "what's", "can i", "can you", "could i", "could you",
    "do you", "does", "is there", "are there", "any update", "anyone know",
    "请问", "請問", "怎么", "怎麼", "吗", "嗎", "多少钱", "多少錢", "什么时候", "什麼時候", "是什么", "是什麼",
    "为什么", "為什麼", "哪里", "哪裡", "哪裏", "如何", "能不能", "有没有", "有沒有", "几点", "幾點",
});

inline constexpr auto kSuggestionWords = std::to_array<std::string_view>({
    "should", "would be nice", "would be great", "would love", "please add", "please consider", "please bring",
    "i wish", "wish you", "hope you", "i hope", "suggest", "suggestion", "feature request", "it would be",
    "could add", "why not add",
    "建议", "建議", "希望", "要是能", "如果能", "最好能", "能否增加", "改进", "改進", "增加一个", "增加一個", "加个", "加個",
});

// For a message whose sentiment came out neutral, e.g. "谢谢，不过有点慢".
inline constexpr auto kPraiseWords = std::to_array<std::string_view>({
    "thank", "thanks", "thx", "love", "great", "awesome", "amazing", "excellent", "well done", "kudos", "good job",
    "好评", "好評", "点赞", "點讚", "點贊", "感谢", "感謝", "谢谢", "謝謝", "赞", "讚", "棒", "给力", "給力",
    "👍", "❤", "😍",
});

}  // namespace herald::inbox::lexicon
