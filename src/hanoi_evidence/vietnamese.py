"""Numbers, dates and words written the Vietnamese way, for the summary in Vietnamese (chapters/tom-tat.md).

The English chapters glue what :mod:`hanoi_evidence.text` writes ("13.3%", "24 December 2024",
"seven"); the Vietnamese page glues what this module writes from the same data: digits, a decimal
comma and a dot between thousands ("13,3%", "186.819"), dates as "24 tháng 12 năm 2024".

:func:`summary_values` gathers every value the page glues, under names that start with ``tt_``.
Where the page names something the data holds in English (a harm), the Vietnamese words come from
a table here keyed by the data's id: a harm the table does not know stops the build with a
``KeyError`` instead of leaving English, or an outdated translation, in the Vietnamese text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hanoi_evidence import verdicts
from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.response import pivot_coverage, strongest
from hanoi_evidence.tables import load_table

# Large round numbers in words, as Vietnamese writes them ("300 triệu").
LARGE_NUMBER_WORDS = [(1e9, "tỷ"), (1e6, "triệu")]
# How a bound is written before a value: "hơn 546.000" (a lower bound), "dưới 50%" (an upper one).
BOUND_WORDS = {"lower": "hơn ", "upper": "dưới "}

# The verdict scale (data/verdicts.csv) in Vietnamese, as the summary names it.
VERDICT_LABELS = {
    "accurate": "chính xác",
    "mis-scoped": "đúng số liệu nhưng sai phạm vi",
    "overstated": "phóng đại",
    "wrong": "sai",
    "unsupported": "chưa có căn cứ",
    "not-checkable": "không thể kiểm chứng",
}

# The harms the Convention's offences do not reach, in Vietnamese (data/harms.csv ids), without
# "trên mạng" (online), which the sentence adds once after the list: "đe dọa, quấy rối và bắt nạt
# trên mạng" holds the glossary's term for cyberbullying, "bắt nạt trên mạng".
HARM_NAMES = {
    "threats": "đe dọa",
    "harassment": "quấy rối",
    "cyberbullying": "bắt nạt",
}


def number(value: float) -> str:
    """A whole number in digits, thousands separated by a dot: '72', '186.819'."""
    return f"{int(value):,}".replace(",", ".")


def decimal(value: float, decimals: int = 0) -> str:
    """'13,3': a decimal comma, and a dot between thousands."""
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value: float, decimals: int = 0) -> str:
    """'89%', '13,3%'."""
    return f"{decimal(value, decimals)}%"


def count(value: float) -> str:
    """'186.819', or '300 triệu' for round large numbers."""
    for size, word in LARGE_NUMBER_WORDS:
        if value >= size and value % (size / 10) == 0:
            return f"{decimal(value / size, 0 if (value / size).is_integer() else 1)} {word}"
    return number(value)


def long_date(date) -> str:
    """'25 tháng 10 năm 2025' (the word 'ngày' before it belongs to the sentence)."""
    stamp = pd.Timestamp(date)
    return f"{stamp.day} tháng {stamp.month} năm {stamp.year}"


def month(date) -> str:
    """'tháng 10 năm 2025'."""
    stamp = pd.Timestamp(date)
    return f"tháng {stamp.month} năm {stamp.year}"


def join_words(items: list[str]) -> str:
    """'A', 'A và B', 'A, B và C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


def value_text(finding: pd.Series) -> str:
    """A finding's value as the Vietnamese text writes it: '89%', '16–58%', '2,9 lần', 'hơn 546.000'."""
    bound = finding.get("value_bound")
    prefix = BOUND_WORDS[bound] if isinstance(bound, str) else ""
    low, high, unit = finding["value_low"], finding["value_high"], finding["unit"]
    if unit == "percent":
        decimals = 0 if float(low).is_integer() and float(high).is_integer() else 1
        text = percent(low, decimals) if low == high else f"{decimal(low, decimals)}–{percent(high, decimals)}"
    elif unit == "count":
        text = count(low)
    elif unit == "ratio":
        text = f"{decimal(low, 1)} lần"
    elif unit == "date":
        text = long_date(finding["value_date"])
    else:
        text = decimal(low) if low == high else f"{decimal(low)}–{decimal(high)}"
    return prefix + text


def _articles_naming(finding_id: str, data_dir: Path) -> int:
    mentions = load_table("mentions", data_dir)
    return int(mentions.loc[mentions["finding_id"] == finding_id, "source_id"].nunique())


def summary_values(prefix: str = "tt", data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Every value the Vietnamese summary glues into its prose, by glue name ``<prefix>_...``.

    The counts are those of the English landing page (``claims.landing_values``), computed from
    the same tables, written in digits; the Convention's dates and counts are those of its chapter.
    """
    sources = load_table("sources", data_dir)
    found = load_table("findings", data_dir).set_index("finding_id")
    statistics = found[found["kind"] == "statistic"]
    by_status = statistics["attribution"].value_counts()
    facts = load_table("convention_status", data_dir).set_index("fact_id")
    values = {
        "n_sources": number(len(sources)),
        "n_statistics": number(len(statistics)),
        **{f"n_{status}": number(by_status.get(status, 0)) for status in ("stated", "traced", "probable", "unknown")},
        "range_value": value_text(found.loc["apac-tfgbv-range"]),
        "range_n_sources": number(_articles_naming("apac-tfgbv-range", data_dir)),
        "women_value": value_text(found.loc["vn-women-sexual-violence"]),
    }

    # The verdicts: how many claims have each, in the order of the published scale.
    counts = verdicts.verdict_counts(data_dir)
    unknown = sorted(set(counts.index) - set(VERDICT_LABELS))
    if unknown:
        raise KeyError(f"no Vietnamese label for the verdict(s) {unknown}: add them to VERDICT_LABELS")
    values["n_claims"] = number(counts.sum())
    values |= {f"n_{verdict.replace('-', '_')}": number(n) for verdict, n in counts.items()}

    # The articles that still spoke of the Convention as not yet adopted, and the month they wrote in.
    errors = verdicts.status_errors(data_dir)
    articles = verdicts.claim_articles(data_dir)
    wrong = sorted({label for claim_id in errors["claim_id"] for label in articles[claim_id]})
    values["status_wrong_articles"] = f"{number(len(wrong))} bài báo"
    dates = sources.set_index("label")["event_dates"].str.split(";").str[0].astype("datetime64[ns]")
    values["status_wrong_month"] = month(dates[wrong].min()) if wrong else ""

    # The Convention: adoption, signature, entry into force and status, as its chapter gives them.
    values |= {
        "adopted": long_date(found.loc["convention-adopted", "value_date"]),
        "sign_open": long_date(found.loc["convention-signature-opened", "value_date"]),
        "sign_close": long_date(found.loc["convention-signature-closes", "value_date"]),
        "eif_instruments": number(found.loc["convention-eif-instruments", "value_low"]),
        "eif_days": number(found.loc["convention-eif-days", "value_low"]),
        "status_as_of": long_date(facts["as_of"].max()),
        "vn_as_of": long_date(facts.loc["viet-nam-ratification", "as_of"]),
    }
    for name, fact_id in {
        "un_news": "signatories-un-news",
        "mps": "signatories-mps",
        "untc": "signatories-untc",
    }.items():
        values[f"sign_{name}"] = number(facts.loc[fact_id, "value"])

    # Which harms the Convention's offences reach (the strongest coverage of each harm).
    best = strongest(pivot_coverage(load_table("coverage", data_dir), load_table("harms", data_dir)))
    values |= {
        "n_harms": number(len(best)),
        "n_direct": number((best == "direct").sum()),
        "n_partial": number((best == "partial").sum()),
        "n_none": number((best == "none").sum()),
        "none_harms": join_words([HARM_NAMES[harm] for harm in best.index[best == "none"]]),
    }
    return {f"{prefix}_{name}": value for name, value in values.items()}
