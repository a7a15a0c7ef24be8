# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3 · Checked against the public record
#
# A briefing that repeats its sources is not analysis. This notebook takes every checkable
# statement in the claims register and sets it against reference tables compiled from public
# sources (`analysis/reference/`: crewed Shenzhou missions, space stations and their foreign
# visitors, Pakistan's space milestones, and what happened after the seed article), each row with its
# sources.
#
# Two dates matter throughout: the **sources' dates**, when their statements were made, and the
# **record's as-of date**, the latest date the reference tables speak of. Nothing after the as-of
# date is known here.

# %%
from IPython.display import Markdown

from analysis import style
from analysis.briefing.content import Briefing
from analysis.markup import text
from analysis.record import charts as record_charts

style.use_house_style()
b = Briefing.assemble()
facts, record, claims, n = b.facts, b.record, b.claims, b.numbers
dates = b.source_dates
Markdown(f"Sources: **{b.source_span}** · record as of: **{record.as_of}** · "
         f"{len(claims)} claims, {sum(len(t) for t in record.tables().values())} reference rows, "
         f"{int(sum(t.bk.sum() for t in record.tables().values()))} of them resting only on background knowledge.")

# %% [markdown]
# ## Verdicts
#
# Every claim gets a verdict from a fixed vocabulary. Wherever a reference table allows, the
# verdict is **computed**: the claimed date, count or clock time is read from the facts extracted
# inside the claim's words and compared with the table. **Typed** verdicts are used only where no
# table can settle the claim, and say so; opinions are marked as such.

# %%
record_charts.verdict_counts(claims, f"Claim verdicts against the record (as of {record.as_of})").show()

# %%
computed = int(claims.method.str.startswith("computed").sum())  # generic checks included
tally = ", ".join(f"{verdict}: {count}" for verdict, count in n["verdicts"].items())
Markdown(f"Of {n['checkable']} checkable claims, **{n['supported']} are supported** by the record "
         f"({tally}). {computed} verdicts are computed from the tables.")

# %%
claims[["claim_id", "topic", "verdict", "method", "note", "reference"]]

# %% [markdown]
# ## What the sources said that does not hold as stated
#
# The claims whose verdict is not *supported*, with the reason computed from the record (curated
# claims first, at most 30; the table above holds them all).

# %%
pending = (claims.origin == "automatic") & (claims.verdict == "unverifiable")
flagged = claims[~claims.verdict.isin(["supported", "opinion"]) & ~pending].sort_values("origin", key=lambda o: o == "automatic",
                                                                                      kind="stable")
listed = "\n".join(f"- **{text(r.topic)}** ({r.verdict}, {r.method}): {text(r.note)}" for r in flagged.head(30).itertuples())
Markdown(listed + (f"\n\n{len(flagged) - 30} more in the table above." if len(flagged) > 30 else "")
         + (f"\n\n{int(pending.sum())} automatic claims no check could settle await curation." if pending.any() else ""))

# %% [markdown]
# ## Timeline: what the sources said, and what happened since
#
# Lanes separate the sources' own dated statements (reported, or scheduled and planned) from the
# record: crewed Shenzhou launches, Pakistan's milestones, and later events. The dashed lines mark
# the first and latest source's dates (the band between them shaded), the dotted line the record's
# as-of date.

# %%
points = record_charts.timeline_points(facts["events"], record)
record_charts.record_timeline(points, dates, record.as_of,
                              f"The sources' dates against the record, {points.date.min().year}–{points.date.max().year}").show()

# %%
record_charts.record_timeline(points, dates, record.as_of, "From the sources to the record's as-of date",
                              start="2024-10-01", end="2026-12-31").show()

# %%
after = record.after_article_timeline
after[["date", "event", "sources"]]

# %% [markdown]
# ## Context: how often China flies crews

# %%
record_charts.crewed_missions_by_year(record, f"Crewed Shenzhou launches per year, by destination (to {record.as_of})").show()

# %%
crewed = record.crewed_missions[record.crewed_missions.crew_size > 0]
station = n["check"]["ninth-since-assembly"]["destination"]
Markdown(f"{len(crewed)} crewed Shenzhou flights in the record, {int((crewed.destination == station).sum())} of them "
         f"to the modular {text(station)} since {n['first_crew_year'][station]}: {n['crews_per_year'][station]} crews a year.")

# %% [markdown]
# ## Context: how other stations opened to foreigners

# %%
record_charts.stations_by_foreign_nationalities(record, "Foreign nationalities hosted by each space station").show()

# %%
chinese = n["check"]["first-foreign-country"]
Markdown(f"Soviet stations hosted guests from {n['soviet_foreign']} foreign nationalities, beginning with "
         f"{text(n['first_guest_station'])}. China's stations ({text(chinese['stations'])}), crewed since {chinese['crewed_from']}, "
         f"had hosted {chinese['foreign']} foreign nationals as of {record.as_of}.")

# %% [markdown]
# ## Context: how much of Pakistan's space programme China launched

# %%
record_charts.pakistan_satellite_launches(record, "Launches of Pakistani satellites, by launcher").show()

# %%
Markdown(f"China launched **{n['pak_by_china']} of the {n['pak_launches']}** Pakistani satellite launches in the record "
         f"({n['pak_share_china']}), including every launch after {n['last_other_launch_year']}.")
