"""Sentences and clauses as offset spans over the (normalised) text."""

from __future__ import annotations

import re
from typing import NamedTuple

_CLAUSE_BREAK = re.compile("[，,：:]")


class Span(NamedTuple):  # a tuple: made by the thousand in dense text, and cheap to make
    start: int
    end: int


# A stop and the closing quotes or brackets right after it (which still belong to the sentence).
_STOP = re.compile(r"[。！？!?；;\n][”’」』）)\"'》】]*")


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    start += len(piece) - len(piece.lstrip())
    return Span(start, start + len(stripped))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end], split at 。！？； and line breaks, without outer spaces."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    begin = start
    for stop in _STOP.finditer(text, start, end):
        span = _trimmed(text, begin, stop.end())
        if span:
            spans.append(span)
        begin = stop.end()
    span = _trimmed(text, begin, end)
    if span:
        spans.append(span)
    return spans


def clauses(text: str, sentence: Span) -> list[Span]:
    """Clauses of one sentence, split at ，：; a comma between digits is a thousands mark."""
    spans: list[Span] = []
    begin = sentence.start
    for mark in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        i = mark.start()
        thousands = text[i] in ",，" and 0 < i < len(text) - 1
        if thousands and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        spans.append(Span(begin, i + 1))
        begin = i + 1
    if begin < sentence.end:
        spans.append(Span(begin, sentence.end))
    return spans
