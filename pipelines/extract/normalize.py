"""Length-preserving normalisation, so an offset in the normalised text is the same offset in
the original: full-width ASCII to half-width, dashes and tildes to '-', Traditional to Simplified.

Keeping every character in place (instead of deleting spaces or commas inside numbers) means
the verbatim sentence can always be cut from the original text with the same offsets; the
amount grammar skips those separators itself.
"""

from __future__ import annotations

from functools import lru_cache

# Chinese punctuation that marks clauses and sentences stays as it is: it is not ASCII text.
_KEEP_FULL_WIDTH = set("，；：！？（）")
_DASHES = set("—–－‐‑‒―~〜～⁓")
_SPACES = set("\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # imported lazily: building the converter reads its dictionaries

    return OpenCC("t2s")


def _half_width_table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    for ch in _KEEP_FULL_WIDTH:
        del table[ord(ch)]
    # Dashes and tildes (full-width ones included) all become the range mark '-'.
    table.update({ord(ch): "-" for ch in _DASHES})
    table.update({ord(ch): " " for ch in _SPACES})
    return table


# One table for everything: the half-width forms, plus every Traditional character met so far
# with its Simplified form. Each character is converted once, the first time a text holds it,
# so normalising is a set difference and one str.translate per text.
_TABLE: dict[int, str] = _half_width_table()
_SEEN: set[str] = {chr(code) for code in _TABLE}


def _learn(chars: set[str]) -> None:
    todo = sorted(c for c in chars if ord(c) >= 0x2E80)
    if todo:
        converted = _t2s().convert("".join(todo))
        if len(converted) == len(todo):
            pairs = zip(todo, converted, strict=True)
        else:  # a phrase rule changed the length: fall back to one character at a time
            pairs = ((c, _t2s().convert(c)) for c in todo)
        for original, simple in pairs:
            if len(simple) == 1 and simple != original:
                _TABLE[ord(original)] = simple
    _SEEN.update(chars)


def normalize(text: str) -> str:
    """The text for matching; `len(normalize(t)) == len(t)` and offsets line up one to one."""
    chars = set(text)
    unseen = chars - _SEEN
    if unseen:
        _learn(unseen)
    if not any(ord(ch) in _TABLE for ch in chars):
        return text  # most Simplified text has nothing to convert: skip the copy
    return text.translate(_TABLE)
