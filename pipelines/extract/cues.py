"""The words the extractor reacts to: metric names, consensus sources, comparison and change
verbs, growth phrases. Kept apart from the logic so the vocabulary can grow on its own.

All patterns are alternations of literals or bounded repeats: none can backtrack without bound.
"""

from __future__ import annotations

import re


def _starting_with(*alternations: str, extra: str = "") -> str:
    """A look-ahead on the first characters of literal alternatives: with it the scanner skips
    most positions of the text at once instead of trying every word at each (several times
    faster on long text). Alternatives that start with a group give theirs through `extra`."""
    chars = set(extra)
    for alternation in alternations:
        chars |= {word[0] for word in alternation.split("|") if word and word[0] not in "(\\["}
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"


CAPEX = (
    r"资本支出|资本开支|资本性支出|资本性开支|资本投资支出"
    r"|(?<![A-Za-z])(?:[Cc]ap[Ee]x|CAPEX|[Cc]apital (?:expenditures?|spending))(?![A-Za-z])"
)
# Other money metrics: an amount governed by one of these is not capex.
OTHER = (
    r"营收|营业收入|收入|营业额|销售额|净利润|净利|利润|盈利|毛利|净赚|净亏|亏损|每股收益"
    r"|市值|估值|股价|蒸发|回购|股息|分红|派息|研发|降本|节省|节约|成本|费用|总支出|运营支出"
    r"|经营支出|营业支出|运营开支|经营开支|总开支|开支|支出|现金流|订单|积压|未履约|收购|并购"
    r"|融资|贷款|债券|债务|发债|罚款|补贴|关税|交易额|成交额|市场规模|基金|资产|负债|存款|薪酬"
    r"|折旧|摊销|返还|股东回报|派发|营业利润|经营利润|净收入|收益|销售|出货|募资|筹资|募集|IPO"
    r"|赔偿|和解|罚金|拨款|补助|现金储备|现金"
    r"|(?<![A-Za-z])(?:revenue|sales|profit|income|expenses?|buybacks?|backlog)"
)
TERMS = re.compile(
    _starting_with(CAPEX, OTHER, extra="Ccrspieb") + rf"(?:(?P<capex>{CAPEX})|(?P<other>{OTHER}))"
)
HAS_CAPEX = re.compile(_starting_with(CAPEX, extra="Cc") + f"(?:{CAPEX})")
# Checked on the raw text before anything else: every capex word above starts with 资本 (資本
# in Traditional script) or "cap" in some case or width, so text without these has no fact.
MAY_NAME_CAPEX = re.compile(r"资本|資本|(?i:cap|ｃａｐ)")

BROKERS = (
    r"|摩根士丹利|大摩|高盛|摩根大通|小摩|美银|美国银行|花旗|瑞银|巴克莱|德银|德意志银行|杰富瑞"
    r"|伯恩斯坦|富国|韦德布什|野村|瑞穗|汇丰|麦格理|加拿大皇家银行|派杰|奥本海默|中金|华泰"
    r"|Morgan Stanley|Goldman|JPMorgan|BofA|Citi|UBS|Barclays|Jefferies|Bernstein|Wedbush"
    r"|Evercore|KeyBanc|Needham|Mizuho|HSBC|Macquarie|RBC|Piper Sandler|Oppenheimer"
)
SOURCE = (
    r"市场|分析师|华尔街|FactSet|StreetAccount|彭博|Bloomberg|LSEG|Visible Alpha|路孚特"
    r"|Refinitiv|外界|机构|投行|一致|普遍|Zacks|标普|S&P|Capital IQ|雅虎财经|调查"
    r"|法人" + BROKERS  # Taiwan's press: 法人預估 is the institutions' estimate
)
EXPECT = r"预期|预计|预估|估计|预测|估算|期望|预料|认为|平均|共识|consensus|estimate"
COMPARE_WORDS = r"高于|低于|超过|超出|超|不及|逊于|好于|优于|大于|小于|胜过|跑赢|符合|对比|相比"
CONSENSUS = re.compile(
    _starting_with(SOURCE, COMPARE_WORDS) + rf"(?:(?:{SOURCE})[^，。；,;：:]{{0,12}}?(?:{EXPECT})"
    # "高于预期的132亿美元": an expectation with no named source, right before an amount.
    rf"|(?P<bare>(?:{COMPARE_WORDS})(?:此前|之前|外界)?(?:的)?(?:预期|预估|预测|预计)))"
)
COMPARISON = re.compile(rf"(?:{COMPARE_WORDS})[^，,]{{0,2}}$")
# A period introduced by these is the base of a comparison ("较2023年", "从2024年的…").
COMPARED_PERIOD = re.compile(r"(?:比|较|相比|与|和|从|同比|对比)(?:于)?$")
# The company's own forward-looking words: they make even an ended period guidance.
GUIDANCE_CUE = re.compile(r"预计|预期|计划|指引|目标|预算|展望|上调|下调|曾预测|预测")
# "增加200亿美元" is a change and "年化1120亿美元" a run rate, not the level spent.
_CHANGES = "增加|增长|减少|下降|提高|削减|缩减|上调|下调|提升|降低|扩大|多出|高出|增|减"
CHANGE_NOT_LEVEL = re.compile(
    rf"(?:{_CHANGES}|年化(?:水平)?)(?:了)?(?:为|达|是)?(?:约|近|超过|超|逾|大约|将近)?\s?\$?$"
)
BARE_EXPECTATION = re.compile(
    r"(?:此前|之前)?(?:市场|分析师)?(?:平均|普遍)?(?:预估|预期|预计|估计|预测|期望)(?:值)?(?:为|是)?"
)
RESULTS = re.compile(r"财报|业绩|季报|年报|财季|电话会|earnings|results")
# Verbs that start a new outlay in a clause without a metric word of its own.
NEW_SPENDING = re.compile(r"投资|投入|建设|项目|收购|入股|砸")
# A clause that only sets the topic for the clauses after it.
TOPIC_END = re.compile(r"(?:方面|而言|来看|上看|来说)\s*[，,：:]?\s*$")
_CONVERTS = "约合|折合|相当于"
CONVERSION = re.compile(rf"(?:{_CONVERTS})(?:人民币|美元|新台币|港元|港币)?\s?$")
# Either of the two above, for the one search made before every amount.
NOT_A_LEVEL = re.compile(
    _starting_with(_CHANGES, _CONVERTS, extra="年")
    + f"(?:{CHANGE_NOT_LEVEL.pattern}|{CONVERSION.pattern})"
)
# The company's earlier outlook introducing an amount: "此前指引的300亿至330亿美元".
GUIDANCE_BEFORE = re.compile(
    r"(?:指引|预计|预期|计划|目标|预算)(?:的|为|是|中值为|区间为)?(?:约|近|超过|逾)?$"
)
# A plain verb between "资本支出" and its amount: the sentence states a level.
LEVEL_LINK = re.compile(r"(?:的)?(?:为|达到|达|是|录得|高达|总计|合计)?(?:约|近|超过|逾)?")
# A figure stated as already spent: a plain past verb right before the amount.
PAST_LEVEL = re.compile(
    r"(?:为|达到|达|录得|是|高达|总计|合计|共计|升至|增至)(?:了)?(?:约|近|超过|超|逾|大约)?\s?\$?$"
)
# Words that make a statement about the future (they rule out PAST_LEVEL's reading).
FORWARD = re.compile(r"将|会|有望|计划|打算|料将|预计|预期|指引|目标|预算|展望|或将|可能")
# An earlier statement, not today's: "此前预计", "原先为", "曾预测".
EARLIER = re.compile(r"此前|之前|原先|原来|先前|早前|曾")
# Verbs that only ever revise an outlook: the figure they set is guidance even for a period
# that has ended ("将2024年资本支出收窄至390亿至400亿美元").
REVISED = re.compile(r"上调|下调|调高|调低|上修|下修|收窄|重申")
# Words that name an outlook: with one, a bare "原先为X" after a change is the old outlook.
OUTLOOK_WORD = re.compile(r"指引|预期|预测|目标|预算|展望|计划")
# Any change of a figure, for spotting a revision sentence.
REVISION = re.compile(r"上调|下调|调整|调高|调低|上修|下修|收窄|维持|重申|提高|降低|削减|缩减|扩大")
# "此前预期为X", "之前预计为X", "原先为X" after a revision: the company's previous outlook.
PREVIOUS_OUTLOOK = re.compile(
    r"(?:此前|之前|原先|原来|先前|早前|上次)(?:的)?(?P<noun>预期|指引|预计|预测|目标|计划|预估)?"
    r"(?:值|区间)?(?:为|是)?(?:约|近|超过|逾)?\s?$"
)
# "高于此前预测的250亿美元" right after the company's own plan: its earlier outlook, not the
# market's, unless a source is named ("高于FactSet此前预计的…").
EARLIER_FORECAST = re.compile(
    r"(?:此前|之前|先前|原先|早前)(?:的)?(?:预期|预测|预计|预估|指引|目标)(?:的|为|是)\s?$"
)
NAMED_SOURCE = re.compile(SOURCE)
# A sentence that opens with the actual figure of the topic the previous sentence set.
ACTUAL_FIGURE = re.compile(
    r"\s*(?:而|但|不过|结果)?(?:该公司|公司|其)?(?:的)?(?:实际|最终)(?:上)?(?:的)?"
    r"(?:数字|数据|数值|值|结果|金额|支出|开支|投入)?(?:则)?(?:为|是|达到|达|录得|高达)"
)
# A sentence that opens with the market's figure for the topic the previous sentence set:
# "分析师此前预计为213亿美元", "据LSEG数据，分析师预估为186亿美元", "FactSet的一致预期为…".
EXPECTED_FIGURE = re.compile(
    r"\s*(?:(?:据|根据)[^，。；,;]{1,15}[，,]\s*)?"
    rf"(?:而|但|此前|之前)?(?:{SOURCE})[^，。；,;：:]{{0,8}}?(?:此前|之前)?(?:的)?"
    r"(?:平均|普遍|一致)?(?:预期|预估|预计|估计|预测)(?:值)?(?:为|是|约为)"
)
# One end of a range named as such: "下限", "上限", "区间的低端" (a bare 高端 is a product tier).
_RANGE_WORD = r"(?:区间|范围|指引|预期|预测)(?:的)?"
BOUND = re.compile(
    _starting_with("下|上|区|范|指|预")
    + rf"(?:(?P<lower>下限|下沿|{_RANGE_WORD}低端)|(?P<upper>上限|上沿|{_RANGE_WORD}高端))"
)
# The old value of a changed figure: "从660亿美元", "由原先的660亿美元".
FROM_END = re.compile(r"(?:从|由|自)(?:原先|原来|此前|之前)?(?:的)?\s?\$?$")
ASIDE = re.compile(r"（[^（）]{0,40}）|\([^()]{0,40}\)")
# A clause that starts with these restates or breaks down a figure instead of stating one.
DERIVED_CLAUSE = re.compile(r"\s*(?:其中|包括|约合|折合|相当于|合计约合)")
GENERIC_SUBJECT = re.compile(
    r"行业|业界|全球|整个|科技巨头们|大型科技公司|科技公司|超大规模|云厂商|美国科技|科技股|企业们"
    r"|客户|竞争对手|对手|同行|供应商"
)
# "都/均/各自" spread one figure over each company named; "平均" is not "均".
EACH = re.compile(r"都|(?<!平)均|各自|各为|各达|各家")
TOTAL = re.compile(r"合计|共计|总计|总和|总额|加起来|一共|合共|累计|总共")
_RISES = "增长|增加|上涨|上升|飙升|激增|大增|猛增|暴增|提高|提升|跃升|攀升|增幅|涨幅|成长|增|涨"
_DECLINES = "下降|减少|下滑|降低|下跌|回落|缩减|降幅|衰退|减|降|跌"
GROWTH = re.compile(
    _starting_with("同|环|较|比|年|季|大|显|明|分|翻", _RISES, _DECLINES)
    + r"(?P<cue>同比|环比|较上年同期|较去年同期|较上年|较去年|比上年|比去年|年|季)?"
    r"(?:大幅|显著|明显|分别)?"
    rf"(?:(?P<verb>{_RISES}|{_DECLINES})"
    r"(?:了|为|达)?(?:约|近|超过|超|逾|将近|接近|大约)?\s?"
    # "增长35%", or in tenths: "增长近3成", "增加三成" (30%).
    r"(?:(?P<pct>\d{1,4}(?:\.\d{1,3})?)\s?%|(?P<tenths>[1-9一二两三四五六七八九])\s?成(?![为本功立交员]))"
    r"|(?P<doubled>翻倍|翻番|翻了一番|翻一番|翻了一倍))"
)
# Every GROWTH match holds one of these: a sentence without them needs no growth scan.
GROWTH_MARK = re.compile("[%成翻]")
_TENTHS = {**{str(n): n for n in range(1, 10)}, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_TENTHS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})


def growth_percent(match: re.Match[str]) -> float:
    """The growth a GROWTH match states, in percent (下降 gives a negative number)."""
    if match.group("doubled"):
        return 100.0
    value = float(match.group("pct")) if match.group("pct") else 10.0 * _TENTHS[match["tenths"]]
    return -value if match.group("verb") in DECLINE_VERBS else value


DECLINE_VERBS = frozenset(_DECLINES.split("|"))
# Taiwanese usage: 年增 = year on year, 季增 = quarter on quarter.
GROWTH_CUES = {"年": "同比", "季": "环比"}
# "向OpenAI投资", "对xAI注资", "入股Anthropic": money put into another company.
INVESTEE = re.compile(
    r"(?:向|对|给|入股|注资|领投|参投)(?:[A-Za-z][A-Za-z0-9 .\-]{0,20}|\S{0,8}?公司)"
)
