"""The query language's words and its syntax rules, with errors that point at the problem.

A lenient parser turns ``police AND`` or an unclosed quote into *some* query;
a user deserves to hear what is wrong and where. :func:`check_syntax` scans
what was typed with the lexer below and raises QuerySyntaxError with a
position; `docket.core.search.parser` then builds the query from the same
tokens, so both read the query the same way.
"""

from __future__ import annotations

import re

from docket.core.errors import QuerySyntaxError
from docket.core.search.nodes import USER_FIELDS

MAX_FUZZY_DISTANCE = 2  # Whoosh's advice: beyond 2 is very slow and seldom useful
MIN_FUZZY_PREFIX = 1  # PERFORMANCE.md: a fixed first letter spares most of the word list

# Operators are whole words in capitals, next to spaces, parentheses or the ends.
OPERATORS = ("AND", "OR", "NOT")
# A field is `name:` directly followed by its value; "Witness: X" stays text.
FIELD_RE = re.compile(r"(?<![^\W\d_])(?P<text>[^\W\d_]\w*):(?=[^\s)])")
LEX_RE = re.compile(
    r"""(?P<ws>\s+)
      | (?P<phrase>(?P<quoted>"[^"]*")(?:~(?P<slop>\d*))?)
      | (?P<quote>")
      | (?P<range>[\[{][^\]}]*[\]}])
      | (?P<bracket>[\[\]{}])
      | (?P<open>\()
      | (?P<close>\))
      | (?P<word>[^\s()"\[\]{}]+)""",
    re.VERBOSE,
)
RANGE_TO = re.compile(r"(?i)(?:^|\s)to(?:\s|$)")


def syntax_error(message: str, text: str, position: int) -> QuerySyntaxError:
    return QuerySyntaxError(message, text, position)


def check_value(value: str, pos: int, text: str) -> None:
    """Wildcard rules for the value of one word (``tortur*``, ``t?rture``)."""
    tilde = value.find("~")
    value = value if tilde < 0 else value[:tilde]
    first = min((i for i, c in enumerate(value) if c in "*?"), default=None)
    if first is None:
        return
    if tilde >= 0:
        raise syntax_error("a word cannot have both a wildcard and ~", text, pos + tilde)
    if first == 0:  # would scan the whole vocabulary
        raise syntax_error("a word cannot start with a wildcard", text, pos)
    star = value.find("*")
    if star >= 0 and sum(c.isalnum() for c in value[:star]) < 2:
        raise syntax_error("wildcard needs at least two letters before *", text, pos + star)


def check_syntax(text: str) -> str:
    """Raise QuerySyntaxError for what a lenient parser would silently misread.

    Returns the query with field names lowercased (same length, so positions
    in the parsed query still point into what the user typed).
    """
    if not text.strip():
        raise syntax_error("the query is empty", text, 0)
    # Where Whoosh's tagger will see a field name (it tries every position).
    fields = {m.start(): m for m in FIELD_RE.finditer(text)}
    out = list(text)
    opens: list[int] = []
    prev, prev_pos, prev_token = "start", 0, ""  # the last token: start/term/op/open
    for m in LEX_RE.finditer(text):
        kind, pos, token = m.lastgroup or "", m.start(), m.group()
        if kind == "ws":
            continue
        if kind == "quote":
            raise syntax_error("this quote is never closed", text, pos)
        if kind == "bracket":
            raise syntax_error(f"unbalanced {token}: a range is written [2011 TO 2012]", text, pos)
        if kind == "phrase" and not m.group("quoted")[1:-1].strip():
            raise syntax_error("empty phrase", text, pos)
        if kind == "phrase" and m.group("slop") is not None and not m.group("slop")[:1] > "0":
            raise syntax_error("proximity needs a number from 1 up after ~", text, m.end("quoted"))
        if kind == "range" and not RANGE_TO.search(token[1:-1]):
            raise syntax_error("a range is written [from TO to]", text, pos)
        if kind == "close":
            if not opens:
                raise syntax_error("this ) has no matching (", text, pos)
            if prev == "open":
                raise syntax_error("empty parentheses", text, opens[-1])
            opens.pop()
        if prev == "op" and (kind == "close" or token in ("AND", "OR")):
            raise syntax_error(f"{prev_token} needs a search term after it", text, prev_pos)
        if token in OPERATORS:
            if token != "NOT" and prev not in ("term",):
                raise syntax_error(f"{token} needs a search term before it", text, pos)
            kind = "op"
        elif kind == "open":
            opens.append(pos)
        else:
            if kind == "word":
                value_pos = pos
                for at in range(pos, pos + len(token)):
                    field = fields.get(at)
                    if field is None:
                        continue
                    name = field.group(1)
                    if name.lower() not in USER_FIELDS:
                        known = ", ".join(f"{f}:" for f in USER_FIELDS)
                        raise syntax_error(
                            f'unknown field "{name}:"; the fields are {known}', text, at
                        )
                    out[at : at + len(name)] = name.lower()
                    value_pos = field.end()
                check_value(text[value_pos : m.end()], value_pos, text)
            kind = "term"
        prev, prev_pos, prev_token = kind, pos, token
    if prev == "op":
        raise syntax_error(f"{prev_token} needs a search term after it", text, prev_pos)
    if opens:
        raise syntax_error("this ( is never closed", text, opens[-1])
    return "".join(out)
