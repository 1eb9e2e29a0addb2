"""Analysis tables behind the reports: prevalence, agency × theme, co-occurrence, breakdowns, quotes, and the
training-module recommendation. Plain functions over the processed tables, so they are unit-tested and the
notebooks only call them.

Counting conventions (stated in every report's method note):
- *share of interviews*: interviews in which at least one participant segment was coded with the theme/code,
  divided by the interviews in scope. A group interview counts once.
- *share of participants*: participants (interview × speaker) with at least one coded segment, divided by the
  participants in scope — so a talkative respondent counts once.
- *mentions*: coded segments. Useful for emphasis, never for ranking agencies of different sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from gtna_analysis.tables import Tables

from .excerpts import excerpt, is_list_like, sentences

LEVELS = ("theme", "code")
THIN_INTERVIEWS = 3  # this many interviews or fewer in scope → the report says the evidence is thin
NOT_A_GROUP = ("participants.group_composition", "participants.selection")  # codes of the theme that name no audience
THIN_PARTICIPANTS = 5  # likewise for participants (issue 12: thin at ≤ 3 interviews or ≤ 5 participants)


def is_thin(n_interviews: int, n_participants: int) -> bool:
    """Evidence too thin for firm statements: ≤ 3 interviews or ≤ 5 participants in scope."""
    return n_interviews <= THIN_INTERVIEWS or n_participants <= THIN_PARTICIPANTS


def _labels(tables: Tables, level: str, lang: str) -> pd.DataFrame:
    codes = tables.codes
    if level == "theme":
        out = codes.drop_duplicates("theme_id")[["theme_id", f"theme_label_{lang}", "color", "theme_order"]]
        return out.rename(columns={"theme_id": "id", f"theme_label_{lang}": "label"})
    out = codes[["code_id", f"code_label_{lang}", "color", "theme_order", "theme_id"]]
    return out.rename(columns={"code_id": "id", f"code_label_{lang}": "label"})


def participant_codings(tables: Tables) -> pd.DataFrame:
    """Counted codings (not rejected) joined with the speaker of their segment (participant_key =
    interview:speaker)."""
    speakers = tables.segments[["segment_id", "speaker_id", "question_id"]]
    out = tables.counted_codings.merge(speakers, on="segment_id", how="left")
    out["participant_key"] = out["interview_id"] + ":" + out["speaker_id"].fillna("")
    return out


def prevalence(tables: Tables, level: str = "theme", lang: str = "en", agency: str | None = None,
               theme: str | None = None, questions: list[str] | None = None) -> pd.DataFrame:
    """Per theme (or code): interviews, participants and mentions, with shares; sorted by share of interviews.

    ``questions`` restricts counting to answers to those questionnaire items — e.g. the priorities question, so
    that "priority" means what people named when asked about priorities, not anything mentioned in passing.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    t = tables.scope(agency)
    key = "theme_id" if level == "theme" else "code_id"
    coded = participant_codings(t)
    if theme is not None:
        coded = coded[coded["theme_id"] == theme]
    if questions is not None:
        coded = coded[coded["question_id"].isin(questions)]
    n_interviews = max(len(t.interviews), 1)
    n_participants = max(len(t.participants), 1)
    grouped = coded.groupby(key).agg(interviews=("interview_id", "nunique"),
                                     participants=("participant_key", "nunique"),
                                     mentions=("segment_id", "nunique"))
    labels = _labels(t, level, lang)
    if theme is not None and level == "code":
        labels = labels[labels["theme_id"] == theme]
    out = labels.merge(grouped, left_on="id", right_index=True, how="left")
    for col in ("interviews", "participants", "mentions"):
        out[col] = out[col].fillna(0).astype("int64")
    out["share_interviews"] = out["interviews"] / n_interviews
    out["share_participants"] = out["participants"] / n_participants
    out = out.sort_values(["share_interviews", "share_participants", "mentions", "theme_order"],
                          ascending=[False, False, False, True], kind="stable")
    return out.reset_index(drop=True)


def agency_theme_matrix(tables: Tables, lang: str = "en", measure: str = "share_interviews") -> pd.DataFrame:
    """Agencies (rows, short names) × themes (columns, labels): the chosen prevalence measure."""
    frames = []
    for agency in tables.agencies:
        p = prevalence(tables, "theme", lang, agency).set_index("id")[measure]
        frames.append(p.rename(tables.agency_name(agency, lang, short=True)))
    labels = _labels(tables, "theme", lang).sort_values("theme_order")
    matrix = pd.DataFrame(frames).reindex(columns=list(labels["id"])).fillna(0.0)
    matrix.columns = _unique_labels(labels)  # two themes may share a label; columns must stay distinct
    return matrix


SIGNIFICANCE = 0.05  # Fisher's exact test, two-sided: below this a difference is marked as beyond chance


def _participants_raising(tables: Tables, agency: str | None, questions: list[str] | None,
                          themes: set[str]) -> tuple[pd.Series, int]:
    """Per theme: participants (interview × speaker) who raised it in answers to ``questions`` (all answers
    when None); and the number of participants in scope."""
    t = tables.scope(agency)
    coded = participant_codings(t)
    coded = coded[coded["theme_id"].isin(themes) & (coded["speaker_id"].fillna("") != "")]
    if questions is not None:
        coded = coded[coded["question_id"].isin(questions)]
    return coded.groupby("theme_id")["participant_key"].nunique(), len(t.participants)


def agency_contrast(tables: Tables, agency: str, lang: str = "en", questions: list[str] | None = None,
                    exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """What distinguishes one agency: per theme, the share of its participants who raised it (in answers to the
    priorities question(s), so a theme the interview guide asks every agency about does not read as 100 %
    everywhere) against the share among all other agencies' participants.

    Each row carries the 95 % Wilson interval of the agency's share and the two-sided p-value of Fisher's exact
    test on the 2 × 2 table (raised / not raised × this agency / the others): with a handful of interviews, only
    a difference with p < 0.05 is marked as more than chance. Themes no one raised are left out; rows are sorted
    by the difference, largest first.
    """
    from scipy.stats import binomtest, fisher_exact

    labels = _labels(tables, "theme", lang).set_index("id")
    themes = set(labels.index) - set(exclude)
    mine, n_mine = _participants_raising(tables, agency, questions, themes)
    everyone, n_all = _participants_raising(tables, None, questions, themes)
    n_others = n_all - n_mine
    rows = []
    for theme in labels.sort_values("theme_order").index:
        if theme not in themes or not everyone.get(theme, 0):
            continue
        k, k_all = int(mine.get(theme, 0)), int(everyone.get(theme, 0))
        k_others = k_all - k
        share = k / n_mine if n_mine else float("nan")
        share_others = k_others / n_others if n_others else float("nan")
        if n_mine:
            ci = binomtest(k, n_mine).proportion_ci(confidence_level=0.95, method="wilson")
            low, high = float(ci.low), float(ci.high)
        else:
            low = high = float("nan")
        p = (float(fisher_exact([[k, n_mine - k], [k_others, n_others - k_others]]).pvalue)
             if n_mine and n_others else 1.0)
        rows.append({"id": theme, "label": labels.loc[theme, "label"], "color": labels.loc[theme, "color"],
                     "participants": k, "n": n_mine, "share": share, "ci_low": low, "ci_high": high,
                     "participants_others": k_others, "n_others": n_others, "share_others": share_others,
                     "difference": share - share_others, "p": p, "significant": p < SIGNIFICANCE})
    out = pd.DataFrame(rows, columns=["id", "label", "color", "participants", "n", "share", "ci_low", "ci_high",
                                      "participants_others", "n_others", "share_others", "difference", "p",
                                      "significant"])
    return out.sort_values(["difference", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)


def agency_comparison(tables: Tables, lang: str = "en", questions: list[str] | None = None,
                      exclude: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All agencies at once: shares of participants raising each theme (agencies × themes, short names and
    labels) and, for each cell, whether that agency differs from all the others together (Fisher, p < 0.05)."""
    shares: dict[str, pd.Series] = {}
    marks: dict[str, pd.Series] = {}
    for agency in tables.agencies:
        c = agency_contrast(tables, agency, lang, questions, exclude)
        name = tables.agency_name(agency, lang, short=True)
        shares[name] = c.set_index("label")["share"]
        marks[name] = c.set_index("label")["significant"]
    share_frame = pd.DataFrame(shares).T
    if share_frame.empty:
        return share_frame, share_frame
    order = share_frame.max().sort_values(ascending=False, kind="stable").index
    return share_frame[order].fillna(0.0), pd.DataFrame(marks).T[order].fillna(False).astype(bool)


def _unique_labels(labels: pd.DataFrame) -> list[str]:
    """Labels in order, with the id appended where a label is used by more than one theme."""
    counts = labels["label"].value_counts()
    return [f"{row.label} ({row.id})" if counts[row.label] > 1 else row.label for row in labels.itertuples()]


def cooccurrence(tables: Tables, level: str = "theme", lang: str = "en", agency: str | None = None,
                 min_count: int = 1) -> pd.DataFrame:
    """How many segments are coded with both A and B (diagonal: segments coded with A)."""
    t = tables.scope(agency)
    key = "theme_id" if level == "theme" else "code_id"
    pairs = t.counted_codings[["segment_id", key]].drop_duplicates()
    if pairs.empty:
        return pd.DataFrame()
    onehot = pd.crosstab(pairs["segment_id"], pairs[key]).clip(upper=1)
    matrix = onehot.T @ onehot
    labels = _labels(t, level, lang).set_index("id")["label"]
    keep = [c for c in labels.index if c in matrix.index and matrix.loc[c, c] >= min_count]
    matrix = matrix.loc[keep, keep]
    matrix.index = [labels[c] for c in keep]
    matrix.columns = [labels[c] for c in keep]
    return matrix


def breakdown(tables: Tables, attribute: str, lang: str = "en", agency: str | None = None,
              group_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Share of participants in each group (mode, level or gender) who raised each theme."""
    if attribute not in ("mode", "level", "gender"):
        raise ValueError("attribute must be mode, level or gender")
    t = tables.scope(agency)
    people = t.participants.assign(participant_key=t.participants["interview_id"] + ":"
                                   + t.participants["participant_id"])
    coded = participant_codings(t).merge(people[["participant_key", attribute]], on="participant_key")
    counts = coded.groupby(["theme_id", attribute])["participant_key"].nunique().unstack(fill_value=0)
    sizes = people.groupby(attribute)["participant_key"].nunique()
    shares = counts.div(sizes, axis=1).fillna(0.0)
    labels = _labels(t, "theme", lang).set_index("id")
    shares = shares.reindex(labels.sort_values("theme_order").index).fillna(0.0)
    shares.index = [labels.loc[i, "label"] for i in shares.index]
    shares.columns = [f"{(group_labels or {}).get(c, c)} (n={sizes.get(c, 0)})" for c in shares.columns]
    return shares


def sample_profile(tables: Tables, agency: str | None = None) -> dict[str, dict[str, int]]:
    """Who was interviewed: counts by mode (interviews) and by level and gender (participants). No names."""
    t = tables.scope(agency)
    return {
        "interviews": {"total": len(t.interviews), **t.interviews["mode"].value_counts().sort_index().to_dict()},
        "participants": {"total": len(t.participants)},
        "level": t.participants["level"].value_counts().sort_index().to_dict(),
        "gender": t.participants["gender"].value_counts().sort_index().to_dict(),
        "language": t.interviews["language"].value_counts().sort_index().to_dict(),
    }


def question_summary(tables: Tables, questions: dict[str, dict[str, str]] | None = None, lang: str = "en",
                     agency: str | None = None, top: int = 3) -> pd.DataFrame:
    """Per questionnaire item: answers, words, alignment confidence and the themes most often raised."""
    t = tables.scope(agency)
    answers = t.segments[t.segments["speaker_role"] == "participant"]
    coded = participant_codings(t)
    theme_labels = _labels(t, "theme", lang).set_index("id")["label"]
    rows = []
    for qid, group in answers.groupby("question_id", sort=False):
        themes = (coded[coded["question_id"] == qid].groupby("theme_id")["interview_id"].nunique()
                  .sort_values(ascending=False, kind="stable").head(top))
        rows.append({
            "question_id": qid,
            "question": (questions or {}).get(qid, {}).get(lang, ""),
            "answers": len(group), "interviews": group["interview_id"].nunique(),
            "words": int(group["words"].sum()),
            "min_confidence": float(group["question_confidence"].min()),
            "top_themes": "; ".join(f"{theme_labels.get(k, k)} ({v})" for k, v in themes.items()),
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["order"] = out["question_id"].str.extract(r"(\d+)").astype(float)[0]
    return out.sort_values(["order", "question_id"], kind="stable").drop(columns="order").reset_index(drop=True)


def representative_quotes(tables: Tables, theme: str, agency: str | None = None, n: int = 3,
                          lang: str | None = None) -> pd.DataFrame:
    """Quotes that best illustrate a theme: many distinct codes of the theme, dense, readable length, the coded
    words not just an item of an enumeration, spread over interviews (at most one quote per interview until
    every interview has had one). Between equally representative quotes (same score to one decimal), one
    already in the report's language ``lang`` comes first: it needs no translation."""
    t = tables.scope(agency)
    coded = participant_codings(t)
    coded = coded[(coded["theme_id"] == theme) & (coded["speaker_id"].fillna("") != "")]
    if coded.empty:
        return pd.DataFrame(columns=["segment_id", "interview_id", "speaker", "question_id", "quote", "codes",
                                     "language"])
    # One row per coded segment: per-segment aggregates and its earliest coding (ties: table order), joined to
    # the segment. Whole-frame operations rather than a pandas lookup per segment: this runs for every theme of
    # every report.
    coded = coded.reset_index(drop=True)
    first = coded.sort_values("start_char", kind="stable").drop_duplicates("segment_id")
    per = coded.groupby("segment_id", sort=False).agg(
        distinct=("code_id", "nunique"), matches=("n_matches", "sum"), last_end=("end_char", "max"),
        codes=("code_id", lambda c: ", ".join(sorted(set(c)))))
    per = per.join(first.set_index("segment_id")[["start_char", "end_char", "matched_text"]]
                   .rename(columns=lambda c: "first_" + c))
    cols = ["interview_id", "speaker_id", "question_id", "text", "words", "start_char", "end_char", "language"]
    segs = t.segments if "language" in t.segments else t.segments.assign(language=None)
    per = per.join(segs.set_index("segment_id")[cols])
    rows = []
    for r in per.itertuples():
        words = max(int(r.words), 1)
        length_fit = 1.0 if 15 <= words <= 120 else 0.5
        text = str(r.text)
        rel_start, rel_end = int(r.first_start_char) - int(r.start_char), int(r.last_end) - int(r.start_char)
        if r.first_start_char == r.start_char and r.first_end_char == r.end_char:
            # segment-level codings: centre the excerpt on the first matched word instead
            word = str(r.first_matched_text).split(";")[0].strip()
            pos = text.lower().find(word.lower())
            rel_start, rel_end = (pos, pos + len(word)) if pos >= 0 else (0, len(text))
        coded_sentence = next((text[s:e] for s, e in sentences(text) if s <= rel_start < e + 1), text)
        meaning_fit = 0.4 if is_list_like(coded_sentence) else 1.0
        score = (r.distinct * 2 + min(r.matches / words * 20, 2)) * length_fit * meaning_fit
        seg_lang = str(r.language) if isinstance(r.language, str) and r.language else (lang or "")
        rows.append({"segment_id": r.Index, "interview_id": r.interview_id,
                     "speaker": f"{r.interview_id}, {r.speaker_id}", "question_id": r.question_id,
                     "quote": excerpt(text, rel_start, rel_end, seg_lang), "codes": r.codes, "score": score,
                     "language": seg_lang, "foreign": bool(lang) and seg_lang != lang,
                     "rounded": round(score, 1)})
    ranked = pd.DataFrame(rows).sort_values(["rounded", "foreign", "score", "segment_id"],
                                            ascending=[False, True, False, True], kind="stable")
    ranked["round"] = ranked.groupby("interview_id").cumcount()
    ranked = ranked.sort_values(["round", "rounded", "foreign", "score", "segment_id"],
                                ascending=[True, False, True, False, True], kind="stable")
    return ranked.head(n).drop(columns=["round", "rounded", "foreign"]).reset_index(drop=True)


def _person_format(stated: pd.Series) -> str:
    """A participant's format: the one they stated most; a tie involving blended, or in-person against online,
    is blended (they want both); any other tie is resolved in the fixed order in_person, online."""
    counts = stated.value_counts()
    top = set(counts[counts == counts.max()].index)
    if len(top) > 1 and ("blended" in top or {"in_person", "online"} <= top):
        return "blended"
    return next(f for f in ("blended", "in_person", "online", *sorted(top)) if f in top)


_QUALIFIER = r"\s*\((?:content|შინაარსი)\)$"  # "Legal frame (content)" → "Legal frame" in a content list


@dataclass
class Recommendation:
    """The training module the evidence points to, with how strong that evidence is."""

    agency: str | None
    n_interviews: int
    n_participants: int
    format_counts: dict[str, int]       # participants preferring each format
    format: str | None
    format_tied: list[str]              # formats sharing the top count (length > 1 means participants were split)
    duration_hours_median: float | None
    duration_hours_low: float | None
    duration_hours_high: float | None
    n_duration_participants: int
    content: pd.DataFrame               # training_content codes by interviews requesting them
    participants: pd.DataFrame          # target-participant codes
    evidence_segments: list[str]
    thin: bool
    format_support: str | None = None   # the secondary mode most people with the primary format add
    n_support: int = 0
    support_purpose: str | None = None  # what most of them want the supporting mode for
    n_upper_bound: int = 0              # participants who set an upper limit on the length
    upper_bound_hours: float | None = None  # the lowest such limit
    tiers: list[dict] = field(default_factory=list)  # designs stated for groups: scope, n, hours, format
    from_designs: bool = False          # durations are summed stated designs (designs table), not mentions
    n_reviewed: int = 0                 # participants whose design a person reviewed (<study>/reviews/)
    content_groups: list[tuple[int, list[str]]] = field(default_factory=list)  # (participants, tied labels)
    content_online: dict[str, int] = field(default_factory=dict)  # label → participants who put it online
    second_format: str | None = None    # where people disagreed: the runner-up format and its count
    n_second_format: int = 0
    n_rejecting_format: int = 0         # participants who rejected the recommended format outright
    n_follow_up: int = 0                # participants who want a follow-up or refresher later
    avoid_periods: list[tuple[str, int]] = field(default_factory=list)  # periods to avoid, with participants


def training_recommendation(tables: Tables, agency: str | None = None, lang: str = "en",
                            top: int = 6) -> Recommendation:
    """The module the participants' own stated designs point to.

    Format: each participant's primary format (designs table, scope ``self``), by majority, with the supporting
    mode most of them add. Duration: the median of each participant's *summed* design (parts add up; a restated
    design counts once), with the range of those totals; upper limits people set are reported as constraints.
    Designs stated for a group (managers, specialists, regional, new or all staff) become tiers, not the speaker's
    wish. Tables built before the designs table fall back on the mention-level preferences.
    """
    t = tables.scope(agency)
    content = prevalence(t, "code", lang, theme="training_content").query("interviews > 0").head(top)
    content = content.assign(online=content["id"].map(_topic_modes(t, "online")).fillna(0).astype(int))
    content = content.assign(label=content["label"].str.replace(_QUALIFIER, "", regex=True))
    target = prevalence(t, "code", lang, theme="participants").query("interviews > 0")
    target = target[~target["id"].isin(NOT_A_GROUP)].head(top)  # "group composition" names no group of people
    designs = t.designs
    if designs.empty:
        return _recommendation_from_mentions(t, agency, content, target)
    own = designs[designs["scope"] == "self"].drop_duplicates("participant_key")
    format_counts = own["format_primary"].dropna().value_counts().to_dict()
    best_format = max(format_counts, key=lambda k: (format_counts[k], k == "in_person")) if format_counts else None
    tied = sorted(k for k, v in format_counts.items() if best_format and v == format_counts[best_format])
    with_best = own[own["format_primary"] == best_format]
    supports = with_best["format_support"].dropna().value_counts()
    totals = own["total_hours"].dropna()
    uppers = own["max_hours"].dropna()
    tiers = []
    for scope in ("managers", "specialists", "regional_staff", "new_staff", "all_staff"):
        group = designs[designs["scope"] == scope].drop_duplicates("participant_key")
        if group.empty:
            continue
        hours_ = group["total_hours"].dropna()
        formats = group["format_primary"].dropna().value_counts()
        tiers.append({"scope": scope, "n": len(group), "hours": float(hours_.median()) if len(hours_) else None,
                      "format": formats.index[0] if len(formats) else None})
    evidence = sorted(set(own["segment_id"]))
    return Recommendation(
        agency=agency, n_interviews=len(t.interviews), n_participants=len(t.participants),
        **_format_and_length(format_counts, best_format, tied, totals), content=content, participants=target,
        evidence_segments=evidence,
        thin=is_thin(len(t.interviews), len(t.participants)),
        support_purpose=_top(with_best[with_best["format_support"] == (supports.index[0] if len(supports) else "")]
                             .get("support_purpose", pd.Series(dtype=object))),
        format_support=supports.index[0] if len(supports) else None, n_support=int(supports.iloc[0]) if len(supports)
        else 0, n_upper_bound=len(uppers), upper_bound_hours=float(uppers.min()) if len(uppers) else None,
        tiers=tiers, from_designs=True,
        n_reviewed=int(designs.loc[designs["reviewed"].astype(bool), "participant_key"].nunique()),
        content_groups=tie_groups(content, "participants"),
        n_follow_up=int(own["follow_up"].astype(bool).sum()) if "follow_up" in own else 0,
        avoid_periods=_periods(own),
        content_online={str(lbl): int(k) for lbl, k in zip(content["label"], content["online"], strict=True) if k},
        second_format=_runner_up(format_counts, best_format)[0],
        n_second_format=_runner_up(format_counts, best_format)[1],
        n_rejecting_format=int(own.get("rejected_formats", pd.Series("", index=own.index)).fillna("")
                               .str.split(";").map(lambda fs: best_format in fs).sum()) if best_format else 0,
    )


def _topic_modes(t: Tables, mode: str) -> dict[str, int]:
    """Per content code: how many participants assigned it to ``mode`` (e.g. online self-study) when they asked
    for it — so a topic wanted online is not read as the first need of an in-person module."""
    from gtna_analysis.coding.designs import topic_mode

    coded = participant_codings(t)
    coded = coded[(coded["theme_id"] == "training_content") & (coded.get("polarity", "stated") == "stated")]
    if coded.empty:
        return {}
    text = t.segments.set_index("segment_id")["text"]
    modes = [topic_mode(str(text.get(s, "")), str(m)) for s, m in zip(coded["segment_id"], coded["matched_text"],
                                                                      strict=True)]
    chosen = coded.assign(mode=modes)
    chosen = chosen[chosen["mode"] == mode]
    return chosen.groupby("code_id")["participant_key"].nunique().to_dict()


def _periods(own: pd.DataFrame) -> list[tuple[str, int]]:
    """Periods to avoid and how many participants named each, most named first."""
    if "avoid_periods" not in own:
        return []
    counts: dict[str, int] = {}
    for value in own["avoid_periods"].fillna(""):
        for period in filter(None, str(value).split(";")):
            counts[period] = counts.get(period, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _top(values: pd.Series) -> str | None:
    counts = values.dropna().value_counts()
    return str(counts.index[0]) if len(counts) else None


def tie_groups(frame: pd.DataFrame, column: str) -> list[tuple[int, list[str]]]:
    """Labels grouped by equal ``column`` counts, largest first: ties are shown as ties, not as a ranking."""
    groups: dict[int, list[str]] = {}
    for label, n in zip(frame["label"], frame[column], strict=True):
        groups.setdefault(int(n), []).append(str(label))
    return sorted(groups.items(), key=lambda item: -item[0])


def _runner_up(counts: dict[str, int], best: str | None) -> tuple[str | None, int]:
    rest = {k: v for k, v in counts.items() if k != best}
    if not rest:
        return None, 0
    second = max(rest, key=lambda k: (rest[k], k))
    return second, int(rest[second])


def _recommendation_from_mentions(t: Tables, agency: str | None, content: pd.DataFrame,
                                  target: pd.DataFrame) -> Recommendation:
    """Tables without a designs table: format by majority of mentions, duration as the median of each
    participant's median mention."""
    prefs = t.preferences.assign(participant_key=t.preferences["interview_id"] + ":" + t.preferences["speaker_id"])
    formats = prefs[prefs["kind"] == "format"]
    per_person = formats.groupby("participant_key")["format"].agg(_person_format)
    format_counts = per_person.value_counts().to_dict()
    best_format = max(format_counts, key=lambda k: (format_counts[k], k == "blended")) if format_counts else None
    tied = sorted(k for k, v in format_counts.items() if best_format and v == format_counts[best_format])
    durations = prefs[prefs["kind"] == "duration"].groupby("participant_key")["duration_hours"].median()
    evidence = sorted(set(formats["segment_id"]) | set(prefs[prefs["kind"] == "duration"]["segment_id"]))
    return Recommendation(
        agency=agency, n_interviews=len(t.interviews), n_participants=len(t.participants),
        **_format_and_length(format_counts, best_format, tied, durations), content=content, participants=target,
        evidence_segments=evidence, thin=is_thin(len(t.interviews), len(t.participants)),
    )


def _format_and_length(format_counts: dict[str, int], best: str | None, tied: list[str], hours: pd.Series) -> dict:
    """The Recommendation fields on format and length: counts, the chosen format, ties, median and range."""
    return {"format_counts": {k: int(v) for k, v in sorted(format_counts.items())}, "format": best,
            "format_tied": tied, "duration_hours_median": float(hours.median()) if len(hours) else None,
            "duration_hours_low": float(hours.min()) if len(hours) else None,
            "duration_hours_high": float(hours.max()) if len(hours) else None, "n_duration_participants": len(hours)}


@dataclass
class Programme:
    """For the Commission: a common core module most agencies' participants support, plus agency modules."""

    core_topics: list[str]              # content labels requested in at least half of the agencies
    n_agencies: int
    agency_modules: list[dict]          # agency (short name), extra topics, median hours, primary format
    core_agencies: dict[str, list[str]] = field(default_factory=dict)  # core label → agencies (short) asking


def programme(tables: Tables, lang: str = "en") -> Programme:
    """Core = content topics stated in answers of at least half of the agencies; each agency's module adds the
    topics only it (or a minority) asked for, with its own participants' median design and format."""
    agencies = tables.agencies
    requested: dict[str, pd.DataFrame] = {}
    for agency in agencies:
        prev = prevalence(tables, "code", lang, agency, theme="training_content").query("interviews > 0")
        requested[agency] = prev.assign(label=prev["label"].str.replace(_QUALIFIER, "", regex=True))
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    asking: dict[str, list[str]] = {}
    for agency, prev in requested.items():
        for code, label in zip(prev["id"], prev["label"], strict=True):
            counts[code] = counts.get(code, 0) + 1
            labels[code] = label
            asking.setdefault(code, []).append(tables.agency_name(agency, lang, short=True))
    need = max(1, -(-len(agencies) // 2))
    core = [c for c in sorted(counts, key=lambda c: (-counts[c], labels[c])) if counts[c] >= need]
    modules = []
    for agency in agencies:
        rec = training_recommendation(tables, agency, lang)
        extra = [label for code, label in zip(requested[agency]["id"], requested[agency]["label"], strict=True)
                 if code not in core][:3]
        modules.append({"agency": tables.agency_name(agency, lang, short=True), "topics": extra,
                        "hours": rec.duration_hours_median, "format": rec.format})
    return Programme([labels[c] for c in core], len(agencies), modules, {labels[c]: asking[c] for c in core})
