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
# # 1 · The facts in the sources
#
# Every finding in this project starts from the news articles in `seeds/`. This notebook extracts
# what they contain (who is named, who is quoted and how, which dates and numbers they give, which
# statements can be checked) and shows each fact next to the exact words it came from.
# The `analysis` package does the work; the cells below only call it and show the result.

# %%
from IPython.display import Markdown, display

from analysis import ProjectPaths, style
from analysis.facts import charts, profile
from analysis.facts.extract import extract_facts, mention_counts, quote_summary, speakers
from analysis.markup import text

style.use_house_style()
facts = extract_facts(ProjectPaths.default())
facts["sources"][["source_id", "published", "outlet", "authors", "paragraphs", "sentences"]]

# %% [markdown]
# Each fact table below is also exported to `reports/data/` as CSV with a Frictionless
# `datapackage.json`. Every row carries `source_id`, `start` and `end`: `source.text[start:end]`
# gives back its words, and the extraction refuses to finish if any row does not.

# %%
Markdown("\n".join(f"- **{name}**: {len(frame)} rows" for name, frame in facts.tables.items()))

# %% [markdown]
# ## Who is named
#
# Mentions count every way a source names an entity from the gazetteer
# (`analysis/knowledge/entities.yaml`): names and aliases, demonyms (*Pakistani*), capitals used for
# governments (*Beijing*) and descriptions (*China’s space station*).

# %%
counts = mention_counts(facts)
charts.mentions_by_entity(counts, "Most-mentioned actors in the sources").show()

# %%
top, second = counts.iloc[0], counts.iloc[1]
Markdown(f"**{text(top['name'])}** is named {top['mentions']} times and **{text(second['name'])}** {second['mentions']} times; "
         f"together they account for {(top['mentions'] + second['mentions']) / counts['mentions'].sum():.0%} "
         f"of the {counts['mentions'].sum()} mentions of {len(counts)} distinct actors.")

# %% [markdown]
# ## Who is quoted, and how their words reached the reporter
#
# Each quotation is attributed by rule: a name next to a speech verb, a pronoun resolved to the last
# person named, or the channel (*the statement added*). The channel says whether the words came
# through another outlet, a statement, or were not sourced.

# %%
charts.quoted_words(quote_summary(facts), "Quoted words by speaker and channel").show()

# %%
quotes = facts["quotes"].assign(speaker=speakers(facts))
quotes[["quote_id", "speaker", "method", "channel", "cue", "text", "start", "end"]]

# %% [markdown]
# ## When: the dates in the sources
#
# Every date expression is resolved against the publication date (or a date before it in the same
# sentence): a weekday or a bare month is the nearest one that fits the tense, *next month* and
# *October next year* count from publication. Each gets a status: *reported* (already happened),
# *scheduled* (a set day) or *planned* (a month, a year or a longer stretch).

# %%
source = facts.sources[0]
charts.event_timeline(facts["events"], source.published.isoformat(),
                      "Dated events in the sources, by status").show()

# %%
facts["events"][["event_id", "date", "precision", "status", "evidence", "time_utc", "time_check", "actors"]]

# %% [markdown]
# ## How many: numbers in the sources
#
# Counts, ranges, ages and ordinals, with the bounds they imply (*nearly 200* is at most 200;
# *more than 60* at least 60).

# %%
facts["quantities"][["quantity_id", "text", "value", "low", "high", "unit", "kind", "qualifier"]]

# %% [markdown]
# ## What can be checked
#
# The claims register lists the statements that the record can confirm or refute. Their verdicts
# are computed against the reference tables in the record notebook.

# %%
facts["claims"][["claim_id", "kind", "topic", "origin", "text"]]

# %% [markdown]
# ## Names not yet in the gazetteer
#
# Capitalised names and designators that no gazetteer entry covers. When an article is added, this
# list (also printed by `python -m analysis candidates`) shows what to curate.

# %%
facts["candidates"]

# %% [markdown]
# ## How each source is built
#
# Words per paragraph, split into the reporter's own and the words inside quotation marks: the
# longest sources, up to six (a chart per source would make a thousand charts of a large story).

# %%
longest = sorted(facts.sources, key=lambda s: (-len(s.text), s.published, s.source_id))[:6]
for source in sorted(longest, key=lambda s: (s.published, s.source_id)):
    charts.paragraph_words(profile.paragraph_profile(source),
                           f"Words per paragraph, quoted and narrative ({source.outlet}, {source.published})").show()
if len(facts.sources) > len(longest):
    display(Markdown(f"{len(facts.sources) - len(longest)} shorter sources are not drawn; "
                     "`profile.paragraph_profile(source)` gives any source's paragraphs."))
