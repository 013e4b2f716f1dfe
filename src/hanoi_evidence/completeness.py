"""Which numeric expressions in the article bodies are not yet curated.

An expression is curated when it lies inside the quote of a mention on the same
line, or when ``data/exclusions.csv`` lists it for that line with a reason. The
list of uncurated expressions is what a maintainer works through after adding an
article (``python -m hanoi_evidence validate`` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Uncurated:
    """A numeric expression of an article body that is neither quoted nor excluded."""

    source_id: str
    line: int
    text: str
    context: str


def uncurated_expressions(ctx) -> list[Uncurated]:
    """Expressions in the article bodies that no mention quotes and no exclusion lists.

    ``ctx`` is the rules' :class:`~hanoi_evidence.crosschecks.Context`.
    """
    quotes: dict[tuple[str, int], list[str]] = {}
    for mention in ctx.tables["mentions"]:
        quotes.setdefault((mention["source_id"], int(mention["line"])), []).append(mention["quote"])
    excluded = {(row["source_id"], int(row["line"]), row["expression"]) for row in ctx.tables["exclusions"]}
    found = []
    for (source_id, number), expressions in ctx.body_expressions.items():
        line = ctx.lines(source_id)[number - 1]
        covered = [_span(line, quote) for quote in quotes.get((source_id, number), [])]
        for expression in expressions:
            inside_a_quote = any(start <= expression.start and expression.end <= end for start, end in covered)
            if not inside_a_quote and (source_id, number, expression.text) not in excluded:
                context = line[max(0, expression.start - 30) : expression.end + 30]
                found.append(Uncurated(source_id, number, expression.text, context))
    return found


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 else (-1, -1)
