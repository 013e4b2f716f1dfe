"""The appendices generated from data: the evidence register, the glossary, the methods' tables
and the counts the methods appendix glues into its prose.

Every table here is built from ``data/`` when the book is built, so an appendix
cannot disagree with the data it describes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.tables import load_table, table_schema
from hanoi_evidence.text import is_missing, value_text

# Which chapter uses the findings of each topic, as (document, title, topics), in book order.
CHAPTERS = [
    (
        "chapters/viet-nam",
        "Viet Nam",
        ["internet_use", "safety_education", "disclosure", "violence_against_women", "data_gap", "cyberbullying"],
    ),
    (
        "chapters/world-region",
        "The world and the region",
        ["ocsea_prevalence", "enticement_reports", "online_violence_women", "tfgbv_range"],
    ),
    ("chapters/ocsea-tfgbv", "The link between OCSEA and TF-GBV", ["link"]),
    ("chapters/convention", "The Convention", ["convention_status", "convention_provision"]),
    ("chapters/sources", "The sources", ["event", "organisation", "policy"]),
]
CHAPTER_OF_TOPIC = {topic: doc for doc, _, topics in CHAPTERS for topic in topics}


def chapter_link(topic: str) -> str:
    """A cross-reference to the chapter that uses a topic's findings."""
    return f"{{doc}}`/{CHAPTER_OF_TOPIC[topic]}`"


def anchor(kind: str, ident: str) -> str:
    """The HTML id of a claim's or a finding's row in the evidence register (``claim-…``,
    ``finding-…``), or the label of the section that discusses a claim (``discussion-…``)."""
    return f"{kind}-{ident}"


def anchored(text: str, kind: str, ident: str) -> str:
    """A cell's text as a span carrying the row's anchor: a link target for the chapters and
    the ClaimReview JSON-LD, whose id readers never see (tests/test_reading.py)."""
    return f"[{text}]{{#{anchor(kind, ident)}}}"


def claim_link(claim_id: str, text: str) -> str:
    """``text`` as a link to a claim's row in the evidence register."""
    return f"{{ref}}`{text} <{anchor('claim', claim_id)}>`"


def discussion_link(claim_id: str) -> str:
    """A link to the section of a chapter that discusses a claim, titled 'Chapter: Section'
    (the label is set by :mod:`hanoi_evidence.backlinks`)."""
    return f"{{ref}}`{anchor('discussion', claim_id)}`"


def citation(key) -> str:
    """A parenthetical citation of a references.bib key, or a plain statement that there is none."""
    if is_missing(key):
        return "none found"
    return f"{{cite:p}}`{key}`"


def inline(text) -> str:
    """Text shown as written: Markdown's emphasis, maths and HTML characters escaped."""
    if is_missing(text):
        return ""
    return re.sub(r"([\\*_$<>\[\]`])", r"\\\1", str(text))


def numbered_findings(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every finding with its register number (F1, F2...), in chapter order."""
    findings = load_table("findings", data_dir)
    order = {topic: i for i, (_, _, topics) in enumerate(CHAPTERS) for topic in topics}
    findings = findings.assign(_order=findings["topic"].map(order)).sort_values("_order", kind="stable")
    findings["number"] = [f"F{i}" for i in range(1, len(findings) + 1)]
    return findings.drop(columns="_order").reset_index(drop=True)


def findings_table(doc: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The findings one chapter uses: number, statement, value, attribution, primary source, chapter."""
    findings = numbered_findings(data_dir)
    findings = findings[findings["topic"].map(CHAPTER_OF_TOPIC) == doc]
    return pd.DataFrame(
        {
            "No.": [anchored(n, "finding", f) for n, f in zip(findings["number"], findings["finding_id"], strict=True)],
            "finding": findings["statement"].map(inline),
            "value": [_value(row) for _, row in findings.iterrows()],
            "attribution": findings["attribution"],
            "primary source": [citation(k) for k in findings["primary_source"]],
            "used in": [chapter_link(t) for t in findings["topic"]],
        }
    )


def mentions_table(doc: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every mention of the findings one chapter uses, with its verbatim quote."""
    findings = numbered_findings(data_dir)
    findings = findings[findings["topic"].map(CHAPTER_OF_TOPIC) == doc]
    number = dict(zip(findings["finding_id"], findings["number"], strict=True))
    mentions = load_table("mentions", data_dir)
    mentions = mentions[mentions["finding_id"].isin(number)]
    mentions = mentions.assign(_order=mentions["finding_id"].map(list(number).index)).sort_values(
        "_order", kind="stable"
    )
    labels = dict(zip(*[load_table("sources", data_dir)[c] for c in ("source_id", "label")], strict=True))
    return pd.DataFrame(
        {
            "finding": mentions["finding_id"].map(number),
            "article": [f"{labels[s]}, line {n}" for s, n in zip(mentions["source_id"], mentions["line"], strict=True)],
            "quote (verbatim)": [f"“{inline(q)}”" for q in mentions["quote"]],
            "value as worded": [inline(v) for v in mentions["value_as_worded"]],
            "credited to": [inline(a) for a in mentions["attribution_as_worded"]],
        }
    )


def attribution_statuses(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Each attribution status, what it means (from the findings schema) and how many findings have it."""
    field = next(f for f in table_schema("findings", data_dir)["fields"] if f["name"] == "attribution")
    meanings = dict(re.findall(r"(\w+): ([^;]+)", field["description"]))
    counts = load_table("findings", data_dir)["attribution"].value_counts()
    statuses = field["constraints"]["enum"]
    return pd.DataFrame(
        {
            "status": statuses,
            "meaning": [meanings.get(s, "").strip().rstrip(".") for s in statuses],
            "findings": [int(counts.get(s, 0)) for s in statuses],
        }
    )


def reads_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """What was read of each source (data/reads.csv), sources in the order of that table, for the register."""
    reads = load_table("reads", data_dir)
    return pd.DataFrame(
        {
            "Source": reads["bib_key"].map(citation),
            "What it is": reads["document"],
            "Read": reads["read"],
            "What was read": reads["what_was_read"].map(inline),
        }
    )


def glossary_markdown(data_dir: Path = DATA_DIR) -> str:
    """The glossary as a MyST ``glossary`` directive, which Sphinx sorts and makes a definition list.

    Each entry's term lines are the term and its abbreviation, so that ``{term}`` links from
    either; the definition carries its citations; the Vietnamese term is a span of class
    ``language-vi``, which the HTML writer turns into ``lang="vi"``, followed by where it was found.
    """
    entries = []
    for row in load_table("glossary", data_dir).itertuples(index=False):
        terms = [row.term] if pd.isna(row.abbreviation) else [row.term, row.abbreviation]
        if pd.isna(row.vietnamese):
            vietnamese = "Vietnamese: none found."
        else:
            vietnamese = (
                f"Vietnamese: [{inline(row.vietnamese)}]{{.language-vi}}. "
                f"Where it was found: {inline(row.vietnamese_source)}"
            )
        definition = _with_sources(row.definition, row.definition_source)
        entries.append("\n".join([*map(inline, terms), f"  {definition}", "", f"  {vietnamese}"]))
    return ":::{glossary}\n:sorted:\n\n" + "\n\n".join(entries) + "\n:::\n"


def validator_rules() -> pd.DataFrame:
    """Each cross-file rule of the validator and what it checks (the first line of its docstring)."""
    from hanoi_evidence.crosschecks import RULES

    return pd.DataFrame(
        {
            "rule": [f"`{rule.__name__}`" for rule in RULES],
            "what it checks": [(rule.__doc__ or "").strip().splitlines()[0] for rule in RULES],
        }
    )


def cleaning_summary(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Cleaning rules by kind of noise and action."""
    rules = load_table("cleaning_rules", data_dir)
    table = rules.groupby(["kind", "action"]).size().reset_index(name="rules")
    return table.sort_values(["rules", "kind"], ascending=[False, True]).reset_index(drop=True)


def methods_values(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """The counts the methods appendix glues into its prose, by glue name."""
    from hanoi_evidence.cleaning import body_lines
    from hanoi_evidence.completeness import uncurated_expressions
    from hanoi_evidence.crosschecks import RULES, Context
    from hanoi_evidence.numbers import find_expressions
    from hanoi_evidence.validation import read_rows

    sources = load_table("sources", data_dir)
    rules = load_table("cleaning_rules", data_dir)
    findings = load_table("findings", data_dir)
    attribution = findings["attribution"].value_counts()
    context = Context(data_dir, read_rows(data_dir), data_dir.parent / "references.bib")
    expressions = sum(
        len(find_expressions(line.text)) for s in sources["source_id"] for line in body_lines(s, data_dir)
    )
    return {
        "methods_n_sources": len(sources),
        "methods_n_cleaning_rules": len(rules),
        "methods_n_removing": int((rules["action"] == "remove").sum()),
        "methods_n_flagging": int((rules["action"] == "flag").sum()),
        "methods_n_findings": len(findings),
        "methods_n_mentions": len(load_table("mentions", data_dir)),
        "methods_n_expressions": expressions,
        "methods_n_exclusions": len(load_table("exclusions", data_dir)),
        "methods_n_uncurated": len(uncurated_expressions(context)),
        "methods_n_traced": int(attribution.get("traced", 0)),
        "methods_n_probable": int(attribution.get("probable", 0)),
        "methods_n_unknown": int(attribution.get("unknown", 0)),
        "methods_n_tables": len(context.tables),
        "methods_n_rules": len(RULES),
        "methods_n_drift": len(load_table("drift", data_dir)),
        "methods_n_claims": len(load_table("claims", data_dir)),
    }


def _value(row: pd.Series) -> str:
    if pd.notna(row["value_low"]) or pd.notna(row["value_date"]):
        if row["unit"] in ("percent", "count", "ratio", "date"):
            return value_text(row)
        return f"{value_text(row)} ({row['unit']})"
    return ""


def _with_sources(definition: str, sources) -> str:
    if is_missing(sources):
        return inline(definition)
    return f"{inline(definition)} {{cite:p}}`{','.join(sources.split(';'))}`"
