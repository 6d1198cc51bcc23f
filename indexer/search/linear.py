"""Whoosh query-parser pieces whose cost is linear in the query.

Whoosh 2.7's `BinaryGroup.query` (behind ANDNOT, ANDMAYBE and REQUIRE) builds the query of
each side twice, once to test it and once to use it, so a chain of n such operators, which
the parser nests n deep, costs 2^n: 16 terms took 6 s and 50 never finished. These groups
build each side once; `operators_plugin()` is Whoosh's operator plugin with them in place.
"""

from __future__ import annotations

from typing import Any

from whoosh import query
from whoosh.qparser import plugins, syntax


def _query_once(self: Any, parser: Any) -> Any:
    qa = self.nodes[0].query(parser)
    qb = self.nodes[1].query(parser)
    if qa is None and qb is None:
        q = query.NullQuery
    elif qa is None:
        q = qb
    elif qb is None:
        q = qa
    else:
        q = self.qclass(qa, qb)
    return syntax.attach(q, self)


class AndNotGroup(syntax.AndNotGroup):  # type: ignore[misc]
    query = _query_once


class AndMaybeGroup(syntax.AndMaybeGroup):  # type: ignore[misc]
    query = _query_once


class RequireGroup(syntax.RequireGroup):  # type: ignore[misc]
    query = _query_once


def operators_plugin() -> Any:
    """Whoosh's default operators (same words, same priorities), with linear binary groups."""
    tagger = plugins.OperatorsPlugin.OpTagger
    defaults = plugins.OperatorsPlugin()  # the default patterns, read back from its taggers
    ops = []
    groups = {
        syntax.AndNotGroup: AndNotGroup,
        syntax.AndMaybeGroup: AndMaybeGroup,
        syntax.RequireGroup: RequireGroup,
    }
    for op, priority in defaults.ops:
        grouptype = groups.get(op.grouptype, op.grouptype)
        ops.append(
            (tagger(op.expr.pattern, grouptype, op.optype, op.leftassoc, op.memo), priority)
        )
    return plugins.OperatorsPlugin(ops=ops, clean=True)
