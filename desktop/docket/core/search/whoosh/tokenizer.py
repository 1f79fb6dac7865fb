"""Docket's analyzer as a Whoosh tokenizer, for the schema's text fields.

The rules themselves (which words, folded how, stemmed how) are
`docket.core.search.analysis`, shared with the query parser and the hit
finder; this only hands them to Whoosh in its Token protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from whoosh.analysis import Token, Tokenizer

from docket.core.search.analysis import (
    ANALYZER_VERSION,
    WILDCARDS,
    index_term,
    term_function,
    word_spans,
)
from docket.core.text.folding import fold_word as fold


class DocketTokenizer(Tokenizer):  # type: ignore[misc]
    """The whole analyzer in one step (a chain of whoosh filters costs ~3x per token).

    ``stem=False`` gives folded words only. With ``tokenize=False`` (the query
    parser's wildcard, prefix and fuzzy terms) the value is one term; wildcard
    patterns are folded but never stemmed, as stemming would mangle them.

    The index's stored schema holds this object, so its `version` is how an
    index made by other analysis rules is recognised and rebuilt.
    """

    def __init__(self, stem: bool = True, version: int = ANALYZER_VERSION) -> None:
        self.stem = stem
        self.version = version

    def __call__(  # whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        language: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        if not tokenize:
            is_pattern = any(c in value for c in WILDCARDS)
            stem = self.stem and not is_pattern
            t.text = index_term(value, language) if stem else fold(value)
            if keeporiginal:
                t.original = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        normalize: Callable[[str], str] = fold
        if self.stem:
            normalize = term_function(language) if language else index_term
        for pos, (word, start, end) in enumerate(word_spans(value), start_pos):
            t.text = normalize(word)
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t
