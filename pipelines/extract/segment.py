"""Sentences and clauses as offset spans over the (normalised) text."""

from __future__ import annotations

from dataclasses import dataclass

_SENTENCE_END = set("。！？!?；;\n")
# Closing quotes and brackets after a full stop still belong to the sentence.
_CLOSERS = set("”’」』）)\"'》】")
_CLAUSE_BREAK = set("，,：:")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end], split at 。！？； and line breaks, without outer spaces."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    begin = start
    i = start
    while i < end:
        ch = text[i]
        i += 1
        if ch in _SENTENCE_END:
            while i < end and text[i] in _CLOSERS:
                i += 1
            span = _trimmed(text, begin, i)
            if span:
                spans.append(span)
            begin = i
    span = _trimmed(text, begin, end)
    if span:
        spans.append(span)
    return spans


def clauses(text: str, sentence: Span) -> list[Span]:
    """Clauses of one sentence, split at ，：; a comma between digits is a thousands mark."""
    spans: list[Span] = []
    begin = sentence.start
    for i in range(sentence.start, sentence.end):
        ch = text[i]
        if ch not in _CLAUSE_BREAK:
            continue
        if (
            ch in ",，"
            and 0 < i < len(text) - 1
            and text[i - 1].isdigit()
            and text[i + 1].isdigit()
        ):
            continue
        spans.append(Span(begin, i + 1))
        begin = i + 1
    if begin < sentence.end:
        spans.append(Span(begin, sentence.end))
    return spans
