"""Robustness: any input, no exception, time linear in length."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extract import Extraction, extract
from pipelines.extract.amounts import find_amounts
from pipelines.extract.normalize import normalize
from pipelines.extract.periods import find_periods

PUBLISHED = datetime(2025, 2, 7, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# Characters the grammar reacts to, so generated text often reaches the deep code paths.
_GRAMMAR = list("0123456789.,，。；：、-—至到约超逾亿万千百美元年季度财第上本今去同比%（）“”\n ")
_WORDS = [
    "资本支出",
    "資本開支",
    "capex",
    "微软",
    "谷歌",
    "四家巨头",
    "市场预期",
    "上年同期",
    "分别",
    "其",
]
_text = st.lists(
    st.one_of(st.text(max_size=6), st.sampled_from(_GRAMMAR), st.sampled_from(_WORDS)),
    max_size=60,
).map("".join)


class _Failures(logging.Handler):
    """Collects the errors extract() logs when it has to swallow an exception."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _extract_strictly(body: str, title: str = "") -> Extraction:
    """extract(), failing the test on an exception it swallowed: the safety net must not be
    what keeps these tests green."""
    failures = _Failures()
    logger = logging.getLogger("pipelines.extract.extractor")
    logger.addHandler(failures)
    try:
        result = extract(body, published_at=PUBLISHED, article_id="p", title=title)
    finally:
        logger.removeHandler(failures)
    assert failures.records == []
    return result


@settings(max_examples=300, deadline=None)
@given(_text, _text)
def test_extract_never_raises(body: str, title: str) -> None:
    result = _extract_strictly(body, title)
    assert isinstance(result, Extraction)
    for fact in result.facts:
        source = title if fact.field == "title" else body
        assert source[fact.sentence_start : fact.sentence_end] == fact.sentence
        assert fact.value_low_usd > 0
        assert fact.value_high_usd is None or fact.value_high_usd >= fact.value_low_usd


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_lower_layers_accept_arbitrary_unicode(text: str) -> None:
    norm = normalize(text)
    assert len(norm) == len(text)
    find_amounts(norm)
    find_periods(norm)


def test_degenerate_inputs() -> None:
    for body in ["", "\n\n", "“" * 500 + "资本支出", "9" * 100_000 + "亿美元资本支出", "（" * 2000]:
        assert _extract_strictly(body).facts == []


# Speed is measured in CPU time of this process, so other work on a busy machine does not
# make these tests flaky; the bounds are generous, the real numbers belong in benchmarks.


def test_dense_megabyte_article_finishes_quickly() -> None:
    sentence = (
        "微软、谷歌和亚马逊第四季度资本支出合计为1,234.5亿美元，"
        "高于市场预期的1200亿美元，上年同期为900亿美元。"
    )
    body = "\n".join([sentence] * (1_000_000 // len(sentence.encode("utf-8")) + 1))
    started = time.process_time()
    result = extract(body, published_at=PUBLISHED, article_id="big")
    elapsed = time.process_time() - started
    assert len(result.facts) == 3  # the repeats collapse into three distinct facts
    assert elapsed < 5.0


def test_megabyte_without_full_stops_finishes_quickly() -> None:
    clause = "微软上财季资本支出为226亿美元，高于市场预期的208亿美元，"
    body = clause * (1_000_000 // len(clause.encode("utf-8")) + 1)
    started = time.process_time()
    result = _extract_strictly(body)
    assert time.process_time() - started < 5.0
    assert len(result.facts) == 2


def test_megabyte_of_pronouns_and_names_finishes_quickly() -> None:
    body = "该公司与其他公司、四家公司和微软都表示，我们看好行业。" * 25_000
    started = time.process_time()
    _extract_strictly(body)
    assert time.process_time() - started < 5.0
