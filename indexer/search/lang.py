"""The query language, read before the engine's parser: filters, signs and the glossary.

What a person types is rewritten into the engine's syntax here, in one pass over its tokens:

- `force:kent`, `grade:"requires improvement"`, `cycle:2016` (the fields of
  `indexer.search.fields`) are taken out of the text and become facet filters, exactly like
  the sidebar's. Several values of one field match any of them; different fields all apply.
- `-word` (or `-"a phrase"`, `-(…)`) excludes; `+word` requires the word as written, without
  widening it by the glossary. Plain words are required anyway (AND is the default).
- Only upper-case `AND`, `OR` and `NOT` are operators. Lower-case "and", "or" and "not" are
  ordinary words, and so common that they are not indexed: a notice says so.
- An acronym of the glossary (`MARAC`) also finds its expansions, and an expansion
  ("multi-agency risk assessment conference", quoted or not) also finds the acronym, unless
  the request asks for the literal words (`literal=1`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.search import glossary
from indexer.search.fields import active_fields
from indexer.search.request import QueryProblem

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
LOWER_OPERATORS = {
    "or": "write OR in capitals to find passages with either word",
    "and": "words are all required anyway",
    "not": "write NOT in capitals, or put - before a word, to leave it out",
}
MAX_FUZZY_EDITS = 2
MIN_FUZZY_LETTERS = 3
MAX_FUZZY_LETTERS = 20  # the automaton that finds near words grows with the word
_FIELD_RE = re.compile(r"([A-Za-z_]+):(?=[^\s)])")
_FUZZY_RE = re.compile(r"^(?P<word>[^~]*)~(?P<dist>\d*)(?:/(?P<prefix>\d+))?$")
_PLAIN_RE = re.compile(r"^[\w'’.-]+$")


@dataclass(frozen=True, slots=True)
class FieldTerm:
    """A `field:value` filter in the query, with where it stands in the text."""

    field: str  # as the query names it, lower case ("force", "type")
    facet: str  # the facet it filters ("force", "report_type")
    value: str  # as typed, without quotes
    start: int
    end: int

    @property
    def raw(self) -> str:
        value = f'"{self.value}"' if " " in self.value else self.value
        return f"{self.field}:{value}"


@dataclass(frozen=True, slots=True)
class GlossaryUse:
    entry: glossary.Entry
    widened: bool  # the search also looks for the entry's other forms


@dataclass(frozen=True, slots=True)
class Understood:
    text: str  # the words for the engine's parser ("" when the query is only filters)
    field_terms: tuple[FieldTerm, ...] = ()
    glossary: tuple[GlossaryUse, ...] = ()
    notices: tuple[str, ...] = ()

    def filters(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for term in self.field_terms:
            out.setdefault(term.facet, []).append(term.value)
        return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@dataclass(slots=True)
class _Token:
    kind: str  # "word", "phrase", "(", ")", "field"
    sign: str  # "", "+" or "-"
    body: str  # the word, the phrase's words, or the field's value
    raw: str  # the token as typed (sign included)
    start: int
    end: int
    suffix: str = ""  # after a phrase's closing quote ("~2")
    field: str = ""

    @property
    def operator(self) -> bool:
        return self.kind == "word" and not self.sign and self.body in OPERATORS

    @property
    def plain(self) -> bool:
        """A word the glossary may widen: no operator, wildcard, fuzziness or field."""
        return (self.kind == "word" and not self.operator
                and _PLAIN_RE.match(self.body) is not None)


def tokens(q: str) -> list[_Token]:
    """The query's tokens, each with its span in `q`."""
    fields = active_fields()
    out: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            out.append(_Token(c, "", c, c, i, i + 1))
            i += 1
            continue
        start, sign = i, ""
        if c in "+-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in "+-)":
            sign = c
            i += 1
            if q[i] == "(":  # -( … ) excludes a group; +( … ) is the group itself
                if sign == "-":
                    out.append(_Token("word", "", "NOT", "-", start, i))
                continue
        m = _FIELD_RE.match(q, i)
        if m and m.group(1).lower() in fields:
            i = m.end()
            value, i = _value(q, i)
            out.append(_Token("field", sign, value.strip(), q[start:i], start, i,
                              field=m.group(1).lower()))
            continue
        if q[i] == '"':
            close = q.find('"', i + 1)
            close = n if close < 0 else close
            body = q[i + 1:close]
            j = min(close + 1, n)  # an unclosed phrase ends with the text
            k = j
            while k < n and not q[k].isspace() and q[k] not in '()"':
                k += 1
            out.append(_Token("phrase", sign, body, q[start:k], start, k, suffix=q[j:k]))
            i = k
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in '()"':
            j += 1
        out.append(_Token("word", sign, q[i:j], q[start:j], start, j))
        i = j
    return out


def _value(q: str, i: int) -> tuple[str, int]:
    if q[i] == '"':
        close = q.find('"', i + 1)
        close = len(q) if close < 0 else close
        return q[i + 1:close], min(close + 1, len(q))  # an unclosed value ends with the text
    j = i
    while j < len(q) and not q[j].isspace() and q[j] not in "()":
        j += 1
    return q[i:j], j


def understand(q: str, literal: bool = False) -> Understood:
    """The query read in the archive's language (raises `QueryProblem` with what to fix)."""
    toks = tokens(q)
    fields = active_fields()
    parts: list[str] = []
    field_terms: list[FieldTerm] = []
    uses: dict[str, GlossaryUse] = {}
    notices: list[str] = []
    depth = 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "(":
            depth += 1
        elif tok.kind == ")":
            depth -= 1
        if tok.kind == "field":
            _check_field(toks, i, depth)
            field_terms.append(FieldTerm(tok.field, fields[tok.field], tok.body, tok.start,
                                         tok.end))
            i += 1
            continue
        if tok.kind == "word" and not tok.sign and tok.body in LOWER_OPERATORS:
            notice = (f"“{tok.body}” in lower case is an ordinary word, too common to be "
                      f"searched: {LOWER_OPERATORS[tok.body]}.")
            if notice not in notices:
                notices.append(notice)
        if tok.kind == "word" and "~" in tok.body:
            _check_fuzzy(tok.body)
        run = None if literal else _expansion_run(toks, i)
        if run:
            entry = run[1]
            uses.setdefault(entry.term, GlossaryUse(entry, True))
            words = " ".join(t.raw for t in toks[i:i + run[0]])
            parts.append(f"(({words}) OR {entry.term})")
            i += run[0]
            continue
        parts.append(_rewrite(tok, literal, uses))
        i += 1
    return Understood(" ".join(p for p in parts if p).strip(), tuple(field_terms),
                      tuple(uses.values()), tuple(notices))


def _rewrite(tok: _Token, literal: bool, uses: dict[str, GlossaryUse]) -> str:
    if tok.kind in "()":
        return tok.kind
    if tok.operator:
        return tok.body
    prefix = "NOT " if tok.sign == "-" else ""
    if tok.kind == "phrase":
        phrase = f'"{tok.body}"{tok.suffix}'
        entry = glossary.by_expansion(glossary.words(tok.body))
        if entry is not None:
            widen = not literal and tok.sign != "+"
            uses.setdefault(entry.term, GlossaryUse(entry, widen))
            if widen:
                return f"{prefix}({phrase} OR {entry.term})"
        return prefix + phrase
    entry = glossary.lookup(tok.body) if tok.plain else None
    if entry is not None:
        widen = not literal and tok.sign != "+"
        uses.setdefault(entry.term, GlossaryUse(entry, widen))
        if widen:
            return f"{prefix}({entry.query()})"
    return prefix + tok.body


def _expansion_run(toks: list[_Token], i: int) -> tuple[int, glossary.Entry] | None:
    """Unsigned plain words from `i` that spell out an expansion: (how many, entry)."""
    longest = glossary.longest_expansion()
    words: tuple[str, ...] = ()
    best: tuple[int, glossary.Entry] | None = None
    j = i
    while j < len(toks) and toks[j].plain and not toks[j].sign and len(words) < longest:
        words += glossary.words(toks[j].body)
        j += 1
        entry = glossary.by_expansion(words)
        if entry is not None:  # one word too: "IPCC" is an expansion of IOPC
            best = (j - i, entry)
    return best


def _check_field(toks: list[_Token], i: int, depth: int) -> None:
    tok = toks[i]
    shown = tok.raw.lstrip("+-")[:60]
    if not tok.body:
        raise QueryProblem(f"{tok.field}: needs a value after the colon (e.g. force:kent).")
    if tok.sign == "-":
        raise QueryProblem(
            f"{tok.raw[:60]}: a filter cannot be excluded with '-'; name the values you want "
            "instead (several values of one field match any of them, e.g. grade:good "
            "grade:outstanding)."
        )
    if depth > 0:
        raise QueryProblem(
            f"{shown} is a filter on the whole search and cannot go inside brackets: "
            "move it outside them."
        )
    before = toks[i - 1] if i > 0 else None
    after = toks[i + 1] if i + 1 < len(toks) else None
    if (before is not None and before.operator) or (
        after is not None and after.operator and after.body != "NOT"
    ):
        raise QueryProblem(
            f"{shown} is a filter, not a search word, so it cannot be joined with AND, OR or "
            "NOT: filters always apply to the whole search, and several values of one field "
            "match any of them (force:kent force:essex)."
        )


def _check_fuzzy(body: str) -> None:
    m = _FUZZY_RE.match(body)
    if m is None:
        return
    if len(m.group("word")) < MIN_FUZZY_LETTERS:
        raise QueryProblem(
            f"{body[:40]!r}: a fuzzy word needs at least {MIN_FUZZY_LETTERS} letters before ~."
        )
    if len(m.group("word")) > MAX_FUZZY_LETTERS:
        raise QueryProblem(
            f"{body[:40]!r}: a fuzzy word can have at most {MAX_FUZZY_LETTERS} letters."
        )
    if m.group("dist") and int(m.group("dist")) > MAX_FUZZY_EDITS:
        raise QueryProblem(
            f"{body[:40]!r}: fuzzy matching allows at most {MAX_FUZZY_EDITS} changed letters "
            "(write word~ for one, word~2 for two)."
        )


def without(q: str, term: FieldTerm) -> str:
    """`q` with one field term taken out (the link that removes its filter chip)."""
    return " ".join((q[:term.start] + q[term.end:]).split())


def replace_word(q: str, old: str, new: str) -> str:
    """`q` with every plain word `old` (any case) replaced by `new`, phrases included."""
    return re.sub(rf"(?<![\w:]){re.escape(old)}(?!\w)", new, q, flags=re.IGNORECASE)
